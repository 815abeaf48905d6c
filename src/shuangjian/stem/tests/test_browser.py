"""Browser: a school files a STEM course with its plan, the county and the city pass it on, the province
recognises it, and it appears in the public library — on a desktop and on a phone."""

import pytest

from shuangjian.conftest import save_screenshot
from shuangjian.institutions.testing import TINY_PDF
from shuangjian.stem.testing import PLAN

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


def review(page, course_id, decision, reason=""):
    page.goto(page.base_url + f"/stem/courses/{course_id}/")
    if reason:
        page.fill("#review-form textarea[name=reason]", reason)
    page.click(f"#review-form button[data-decision={decision}]")
    page.wait_for_selector("#course-state")


def test_course_from_school_to_public_library(browser_page, phone_page, make_user):
    from shuangjian.regions.services import regions_load
    from shuangjian.schools.testing import make_school
    from shuangjian.stem.models import StemCourse

    regions_load()
    school = make_school("433125", name="保靖县岳阳学校", kind="NINE_YEAR", students=1200, urban_rural="TOWN")
    make_user("SCHOOL", username="yueyang", school=school)
    make_user("COUNTY", username="baojing", region="433125")
    make_user("CITY", username="xiangxi", region="433100")
    make_user("PROVINCE", username="hunan", region="430000")
    page = browser_page

    login(page, "yueyang")
    page.goto(page.base_url + "/stem/courses/")
    page.click("#new-course")
    page.fill("#id_name", "农历天空下——廿四节气")
    page.select_option("#id_carrier", "SUBJECT")
    page.fill("#id_anchor_subject", "语文")
    page.fill("#id_subjects", "数学、科学、美术、音乐、书法、表演")
    page.fill("#id_hours", "24")
    page.fill("#id_pupils", "480")
    for field, text in PLAN.items():
        page.fill(f"#id_{field}", text)
    page.click("#course-form button[type=submit]")
    page.wait_for_selector("#course-state")
    assert "课程方案文件：未上传" in page.inner_text("#standard-gaps")
    page.select_option("#id_kind", "PLAN")
    page.set_input_files(
        "#id_file", {"name": "课程方案.pdf", "mimeType": "application/pdf", "buffer": TINY_PDF}
    )
    page.check("#id_public")
    page.click("#material-form button[type=submit]")
    page.wait_for_selector("#standard-ok")
    page.click("#submit-form button[type=submit]")
    page.wait_for_selector("#course-state:has-text('待县级审核')")
    assert page.inner_text("#due-on")
    save_screenshot(page, "stem-1-submitted")
    course = StemCourse.objects.get(name="农历天空下——廿四节气")
    logout(page)

    login(page, "baojing")
    page.goto(page.base_url + "/stem/reviews/")
    assert "农历天空下——廿四节气" in page.inner_text("#review-queue")
    review(page, course.pk, "county_pass")
    assert "县级通过" in page.inner_text("#course-state")
    logout(page)

    login(page, "xiangxi")
    review(page, course.pk, "city_recommend", "学科融合示范，推荐参评")
    assert "市级推荐" in page.inner_text("#course-state")
    logout(page)

    login(page, "hunan")
    review(page, course.pk, "province_recognise")
    assert "省级优秀STEM课程" in page.inner_text("#course-state")
    assert "学科融合示范，推荐参评" in page.inner_text("#review-trail")
    save_screenshot(page, "stem-2-recognised")
    logout(page)

    phone = phone_page
    phone.goto(phone.base_url + "/stem/library/")
    card = phone.locator(f"article[data-key='{course.public_key}']")
    assert "保靖县岳阳学校" in card.inner_text() and "已被 0 所学校（幼儿园）采用" in card.inner_text()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the library must fit a phone screen (scrollWidth {width})"
    card.locator("a").click()
    phone.wait_for_selector("#adoption-count")
    assert "课程方案" in phone.inner_text("body")
    save_screenshot(phone, "stem-3-library-phone")
