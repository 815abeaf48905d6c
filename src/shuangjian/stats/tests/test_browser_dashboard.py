"""Journey 5: the province opens the dashboard, drills down to a county and its records, and
downloads this week's report as Word and PDF (Debian chromium through Playwright)."""

import io

import pytest
from docx import Document

from shuangjian.conftest import save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_province_drills_down_and_downloads_the_weekly_report(browser_page, make_user, tmp_path):
    from shuangjian.regions.services import regions_load
    from shuangjian.stats.testing import _supervised_institution

    regions_load()
    for county in ("430102", "430102", "430103", "430405"):
        _supervised_institution(county)
    make_user("PROVINCE", username="sheng", region="430000", password="Province-pass-1")

    page = browser_page
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", "sheng")
    page.fill("#id_password", "Province-pass-1")
    page.click("button[type=submit]")
    page.wait_for_selector("#children-table")
    assert "统计看板 · 湖南省" in page.inner_text("main h1")
    page.wait_for_selector("#ranked-chart[data-ready='1']")  # ECharts served from our static files drew
    save_screenshot(page, "journey5-province-dashboard")

    page.click("#children-table a.drill:text-is('长沙市')")
    page.wait_for_selector("main h1:has-text('湖南省长沙市')")
    assert page.inner_text("[data-kpi='institutions.active'] .figure") == "3"
    page.click("#children-table a.drill:text-is('芙蓉区')")
    page.wait_for_selector("main h1:has-text('湖南省长沙市芙蓉区')")
    page.wait_for_selector("#county-institutions")
    save_screenshot(page, "journey5-county-dashboard")
    page.click("[data-kpi='institutions.active']")
    page.wait_for_selector("#record-total")
    assert page.inner_text("#record-total") == "2"

    page.goto(page.base_url + "/stats/weekly/?week=2023-W22")
    page.wait_for_selector("article.weekly-report")
    assert "第20期" in page.inner_text("article.weekly-report")
    save_screenshot(page, "journey5-weekly-report")
    with page.expect_download() as docx_info:
        page.click("#download-docx")
    docx_path = tmp_path / "weekly.docx"
    docx_info.value.save_as(docx_path)
    text = "\n".join(p.text for p in Document(io.BytesIO(docx_path.read_bytes())).paragraphs)
    assert "湖南省“双减”工作每周专报" in text
    with page.expect_download() as pdf_info:
        page.click("#download-pdf")
    pdf_path = tmp_path / "weekly.pdf"
    pdf_info.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")
    page.goto(page.base_url + "/stats/weekly/archive/")
    assert "第20期" in page.inner_text("main")


def test_dashboard_says_as_of_when_and_refreshes_after_a_change(browser_page, make_user):
    """The figures come from snapshots: the page says when they were computed; after a new
    institution it says records changed, and 立即刷新 brings the new figure."""
    from shuangjian.regions.services import regions_load
    from shuangjian.stats.testing import _supervised_institution

    regions_load()
    for county in ("430102", "430103"):
        _supervised_institution(county)
    make_user("CITY", username="changsha", region="430100", password="City-pass-1")

    page = browser_page
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", "changsha")
    page.fill("#id_password", "City-pass-1")
    page.click("button[type=submit]")
    page.wait_for_selector("#figures-as-of")
    assert "数据截至" in page.inner_text("#figures-as-of")
    assert page.locator("#figures-stale").count() == 0
    assert page.inner_text("[data-kpi='institutions.active'] .figure") == "2"

    _supervised_institution("430102")
    page.reload()
    page.wait_for_selector("#figures-stale")
    assert page.inner_text("[data-kpi='institutions.active'] .figure") == "2"
    save_screenshot(page, "dashboard-stale-figures")
    page.click("#figures-refresh button")
    page.wait_for_selector("#figures-as-of")
    assert page.locator("#figures-stale").count() == 0
    assert page.inner_text("[data-kpi='institutions.active'] .figure") == "3"
