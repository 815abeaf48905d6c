"""Browser journeys of co-governance (Debian chromium through Playwright):

1. the province appoints a supervisor and assigns an inspection task; the supervisor, on a phone,
   files a finding with a photo; it appears as a report in the county's queue;
2. a county opens its evaluation score and, from it, the KPI records behind it.
"""

from __future__ import annotations

import datetime as dt

import pytest

from shuangjian.complaints.tests.helpers import jpeg_bytes
from shuangjian.conftest import save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Browser-pass-2026"


def _fresh_regions():
    from django.core.cache import cache

    from shuangjian.regions.services import regions_load

    regions_load()
    cache.clear()


def login(page, username: str, password: str = PASSWORD, next_url: str = "/") -> None:
    page.goto(page.base_url + "/accounts/login/?next=" + next_url)
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_province_appoints_supervisor_who_files_a_finding_on_a_phone(browser_page, phone_page, make_user):
    from shuangjian.complaints.models import Report
    from shuangjian.governance.models import Supervisor

    _fresh_regions()
    make_user("PROVINCE", region="430000", username="prov_gov", password=PASSWORD)
    make_user("COUNTY", region="430405", username="zhuhui_gov", password=PASSWORD)
    page = browser_page

    # 1. The province appoints a supervisor with a login and assigns a task in 珠晖区.
    login(page, "prov_gov", next_url="/governance/supervisors/")
    page.click("#appoint-link")
    page.fill("#id_number", "HNSJD2026001")
    page.fill("#id_name", "赵监督")
    page.select_option("#id_region", "430000")
    page.fill("#id_term_start", dt.date.today().replace(month=1, day=1).isoformat())
    page.fill("#id_term_end", "2099-12-31")
    page.fill("#id_username", "zhao_jdy")
    page.fill("#id_password", "Zhao-pass-2026")
    page.click("#main-form button[type=submit]")
    page.wait_for_selector("#supervisor-facts")
    assert "省级" in page.inner_text("#supervisor-facts")
    page.select_option("#form-assign [name=kind]", "INSTITUTION_VISIT")
    page.fill("#form-assign [name=title]", "暗访珠晖区周末学科类培训")
    page.select_option("#form-assign [name=county]", "430405")
    page.click("#form-assign button[type=submit]")
    page.wait_for_selector("#task-status")
    assert "已派发" in page.inner_text("#task-status")
    save_screenshot(page, "governance-province-task")
    supervisor = Supervisor.objects.get(number="HNSJD2026001")
    task = supervisor.tasks.get()

    # 2. The supervisor, on a phone, files a finding with a photo.
    phone = phone_page
    login(phone, "zhao_jdy", "Zhao-pass-2026", next_url="/governance/my/")
    phone.click(f"a:has-text('{task.title}')")
    phone.select_option("#form-finding [name=report_type]", "ILLEGAL_SUBJECT_TRAINING")
    phone.fill("#form-finding [name=description]", "周六上午在小区会所开展初中数学培训，约二十名学生")
    phone.fill("#form-finding [name=place]", "衡阳市珠晖区某小区会所")
    phone.set_input_files(
        "#id_photos",
        files=[{"name": "现场.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(1200, 900, gps=True)}],
    )
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    save_screenshot(phone, "governance-supervisor-phone-finding")
    phone.click("#form-finding button[type=submit]")
    phone.wait_for_selector(".messages li.success")
    report = Report.objects.get(supervisor_finding__task=task)
    assert report.number in phone.inner_text(".messages")
    assert report.source == "SUPERVISION" and report.county_id == "430405" and report.photos.count() == 1

    # 3. The report is in the county's queue.
    page.click("header button:has-text('退出')")
    login(page, "zhuhui_gov", next_url="/complaints/")
    page.wait_for_selector(f"a:has-text('{report.number}')")
    page.click(f"a:has-text('{report.number}')")
    assert "社会监督" in page.content()
    save_screenshot(page, "governance-county-queue-report")


def test_county_opens_its_evaluation_score_and_the_records_behind_it(browser_page, make_user):
    from shuangjian.common.testing import make_institution
    from shuangjian.governance import services
    from shuangjian.governance.testing import make_campaign
    from shuangjian.institutions.models import InstitutionEpisode
    from shuangjian.regions.models import Region

    _fresh_regions()
    county = Region.objects.get(code="430405")
    for n in range(5):
        inst = make_institution(county, name=f"珠晖测试培训学校{n}")
        InstitutionEpisode.objects.create(
            institution=inst,
            category="SUBJECT",
            mode="OFFLINE",
            audiences="COMPULSORY",
            approved_on=dt.date(2020, 1, 1),
            ended_on=None if n == 0 else dt.date(2021, 12, 1),
        )
    campaign = make_campaign(county, name="2022年6月“双减”实地督查（测试）")
    province = make_user("PROVINCE", region="430000")
    services.score_record(
        actor=province,
        target=campaign.targets.get(),
        indicator=campaign.indicator_set.indicators.get(code="2"),
        percent=90,
        finding="机制健全",
    )
    make_user("COUNTY", region="430405", username="zhuhui_eval", password=PASSWORD)
    page = browser_page
    login(page, "zhuhui_eval", next_url="/stats/evaluation/")
    page.click("#ranking-counties a:has-text('珠晖区')")
    page.wait_for_selector("#total-score")
    # 60 × min(1, 0.8 / 0.8) + 40 × 0.9 = 96
    assert page.inner_text("#total-score") == "96.0"
    save_screenshot(page, "governance-county-evaluation")
    page.click("a.record-link[data-kpi='institutions.offline_compulsory_subject.baseline']")
    page.wait_for_selector("table")
    text = page.content()
    assert "珠晖测试培训学校0" in text and "珠晖测试培训学校4" in text
    save_screenshot(page, "governance-evaluation-records")
