"""Browser journeys of issue 16 (Debian chromium through Playwright, real server and database):

1. a 高职 files an apprenticeship programme with its agreements and mentors and the province approves it;
2. a county officer finds an order class with a low placement rate;
3. a school applies for a 1+X assessment site, the province approves it, and the site counts.
"""

from __future__ import annotations

import datetime as dt

import pytest

from shuangjian.conftest import save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, username, password="Pass-word-123"):
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_selector("h1")


def logout(page):
    page.click("header button:has-text('退出')")
    page.wait_for_url("**/accounts/login/")


@pytest.fixture
def regions():
    from shuangjian.regions.services import regions_load

    regions_load()


def test_college_files_apprenticeship_and_province_approves(browser_page, make_user, regions):
    from shuangjian.common.testing import make_credit_code
    from shuangjian.cooperation.models import Programme
    from shuangjian.cooperation.testing import make_voc_school

    school = make_voc_school("430102", level="ASSOCIATE", majors=("460103",), name="长沙演示装备职业技术学院")
    make_user("VOCATIONAL", username="gaozhi", vocational_school=school)
    make_user("PROVINCE", username="sheng", region="430000")
    page = browser_page

    login(page, "gaozhi")
    page.goto(page.base_url + "/cooperation/programmes/")
    page.click("#new-programme")
    page.select_option("#id_kind", "APPRENTICESHIP")
    page.fill("#id_name", "数控技术现场工程师学徒班")
    page.select_option("#id_major_code", "460103")
    page.fill("#id_credit_code", make_credit_code("430104"))
    page.fill("#id_enterprise_name", "湖南演示数控机床有限公司")
    page.fill("#id_entry_year", "2024")
    page.fill("#id_students", "2")
    page.fill("#id_agreement_signed_on", "2024-08-20")
    page.click("#programme-form button[type=submit]")
    page.wait_for_selector("#state:has-text('草稿')")

    def add(details: str, fields: dict, selects: dict | None = None, checks: tuple = ()):
        page.click(f"#{details} summary")
        for name, value in fields.items():
            page.fill(f"#{details} [name={name}]", value)
        for name, value in (selects or {}).items():
            page.select_option(
                f"#{details} [name={name}]", label=value
            ) if not value.isupper() else page.select_option(f"#{details} [name={name}]", value)
        for name in checks:
            page.check(f"#{details} [name={name}]")
        page.click(f"#{details} button[type=submit]")
        page.wait_for_selector(".messages")

    add(
        "add-mentor",
        {"name": "李明华", "qualification": "双师型（高级）", "practice_years": "8"},
        {"side": "SCHOOL"},
        ("dual_qualified",),
    )
    add(
        "add-mentor",
        {"name": "王建国", "qualification": "数控车工高级技师", "practice_years": "15"},
        {"side": "ENTERPRISE"},
    )
    add(
        "add-period",
        {"starts_on": "2024-09-01", "ends_on": "2025-01-15", "hours_per_day": "6", "content": "数控编程基础"},
        {"place": "SCHOOL"},
    )
    add(
        "add-period",
        {"starts_on": "2025-02-20", "ends_on": "2025-06-30", "hours_per_day": "8", "content": "车间岗位培养"},
        {"place": "ENTERPRISE"},
    )
    # a minor apprentice without the guardian's signature: the check names it and submission is refused
    add(
        "add-apprentice",
        {"ref": "XT-2024-001", "birth_month": "2007-10-01", "agreement_signed_on": "2024-08-25"},
        {"school_mentor": "校内导师 李**", "enterprise_mentor": "企业导师 王**"},
    )
    add(
        "add-apprentice",
        {"ref": "XT-2024-002", "birth_month": "2005-03-01", "agreement_signed_on": "2024-08-25"},
        {"school_mentor": "校内导师 李**", "enterprise_mentor": "企业导师 王**"},
    )
    assert "XT-2024-001 培养开始时未满18周岁" in page.inner_text("#checks")
    page.click("#submit-filing")
    page.wait_for_selector(".messages")
    assert "监护人" in page.inner_text(".messages")
    programme = Programme.objects.get(school=school)
    assert programme.state == "DRAFT"
    # fix: the apprentice is re-registered with the guardian's signature
    programme.apprentices.get(ref="XT-2024-001").delete()
    page.reload()
    add(
        "add-apprentice",
        {"ref": "XT-2024-003", "birth_month": "2007-10-01", "agreement_signed_on": "2024-08-25"},
        {"school_mentor": "校内导师 李**", "enterprise_mentor": "企业导师 王**"},
        ("guardian_signed",),
    )
    assert "✗" not in page.inner_text("#checks")
    page.click("#submit-filing")
    page.wait_for_selector("#state:has-text('待审核')")
    assert "由省级教育行政部门审核" in page.inner_text("#state")
    save_screenshot(page, "coop-1-submitted")
    logout(page)

    login(page, "sheng")
    page.goto(page.base_url + "/cooperation/programmes/?state=SUBMITTED")
    page.click(f"text={programme.code}")
    assert page.inner_text("#agreements").count("校企生（监护人）三方协议") == 2
    assert "企业导师" in page.inner_text("#mentors")
    page.select_option("#review-form [name=decision]", "approve")
    page.click("#review-form button[type=submit]")
    page.wait_for_selector("#state:has-text('已备案')")
    save_screenshot(page, "coop-1-approved")
    assert Programme.objects.get(pk=programme.pk).state == "APPROVED"
    history = page.inner_text("#history")
    assert "审核通过，予以备案" in history and "提交备案" in history


def test_county_officer_finds_low_placement(browser_page, make_user, regions):
    from shuangjian.cooperation.models import OrderClassOutcome
    from shuangjian.cooperation.testing import make_programme, make_voc_school

    school = make_voc_school("430102", level="SECONDARY", majors=("660103",), name="芙蓉区演示职业中专")
    good = make_programme(school, kind="ORDER_CLASS", students=40)
    low = make_programme(school, kind="ORDER_CLASS", students=42)
    other = make_programme(
        make_voc_school("430103", level="SECONDARY", majors=("660103",)), kind="ORDER_CLASS"
    )
    day = dt.date.today() - dt.timedelta(days=30)
    for p, hired in ((good, 34), (low, 9), (other, 5)):
        OrderClassOutcome.objects.create(
            programme=p, graduated_on=day, graduates=40, hired_by_orderer=hired, hired_elsewhere=40 - hired
        )
    make_user("COUNTY", username="furong", region="430102")
    page = browser_page
    login(page, "furong")
    page.click("nav a:has-text('校企合作')")
    page.click("#coop-subnav a:has-text('订单班录用率')")
    table = page.inner_text("#placement")
    assert low.code in table and "0.2250" in table and "偏低" in table and other.code not in table
    assert table.index(low.code) < table.index(good.code)  # lowest first
    save_screenshot(page, "coop-2-low-placement")
    page.click(f"#placement a:has-text('{low.code}')")
    page.wait_for_selector("#placement-rate")
    assert page.inner_text("#placement-rate") == "0.2250"


def test_school_applies_for_site_and_province_approves(browser_page, make_user, regions):
    from shuangjian.cooperation.models import XCertificate
    from shuangjian.cooperation.testing import make_voc_school
    from shuangjian.stats.kpis import KpiContext, compute_kpis

    XCertificate.objects.create(
        name="工业机器人操作与运维",
        organisation="北京新奥时代科技有限责任公司",
        levels="JUNIOR,INTERMEDIATE,SENIOR",
    )
    school = make_voc_school("430102", level="ASSOCIATE", name="长沙演示机电职业技术学院")
    make_voc_school("430103", level="ASSOCIATE")
    make_user("VOCATIONAL", username="jidian", vocational_school=school)
    make_user("PROVINCE", username="sheng", region="430000")

    def figures():
        values = compute_kpis(
            KpiContext(as_of=dt.date.today()),
            ["vocational.x_certificate.sites", "vocational.x_certificate.pilot_share"],
        )
        return values["vocational.x_certificate.sites"], values["vocational.x_certificate.pilot_share"]

    assert figures() == (0, 0.0)
    page = browser_page
    login(page, "jidian")
    page.goto(page.base_url + "/cooperation/x/sites/")
    page.click("#apply-site")
    page.select_option("#id_certificate", label="工业机器人操作与运维")
    page.check("input[name=levels][value=INTERMEDIATE]")
    page.fill("#id_capacity", "40")
    page.click("#site-form button[type=submit]")
    page.wait_for_selector("#site-state:has-text('申请中')")
    assert figures() == (0, 0.0)  # an application does not count
    logout(page)

    login(page, "sheng")
    page.goto(page.base_url + "/cooperation/x/sites/?state=APPLIED")
    page.click("#sites a")
    page.select_option("#site-review [name=decision]", "approve")
    page.click("#site-review button[type=submit]")
    page.wait_for_selector("#site-state:has-text('已批准')")
    save_screenshot(page, "coop-3-site-approved")
    assert figures() == (1, 0.5)
    page.goto(page.base_url + "/cooperation/")
    assert page.inner_text("[data-kpi='vocational.x_certificate.sites'] .figure") == "1"
