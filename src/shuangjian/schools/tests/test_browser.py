"""In the real browser: a teacher publishes homework, a parent reads it on a phone, the province
sees the rates by city with the bar chart."""

from __future__ import annotations

import pytest
from django.utils import timezone

from shuangjian.conftest import save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, username: str, password: str = "Pass-word-123") -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_selector("main h1")


def test_teacher_publishes_and_province_sees_cities(browser_page, phone_page, make_user):
    from shuangjian.regions.services import regions_load
    from shuangjian.schools.testing import make_school

    regions_load()
    school = make_school("430102", name="芙蓉区浏览器小学", classes_per_grade=1)
    grade4 = school.classes.get(grade=4)
    teacher = make_user("SCHOOL", school=school, username="teacher")
    page = browser_page
    login(page, teacher.username)
    page.goto(page.base_url + "/schools/")  # a teacher's area page is the own school
    assert "芙蓉区浏览器小学" in page.inner_text("main h1")
    page.goto(page.base_url + f"/schools/class/{grade4.pk}/homework/")
    page.fill("#id_items-0-subject", "数学")
    page.fill("#id_items-0-content", "课本第36页练习")
    page.fill("#id_items-0-minutes", "35")
    page.check("#id_items-0-is_written")
    page.click("main button[type=submit]")
    page.wait_for_selector(".messages")
    assert "已公示" in page.inner_text(".messages")
    save_screenshot(page, "schools-class-after-publish")

    phone_page.goto(phone_page.base_url + f"/schools/public/class/{grade4.public_key}/")
    text = phone_page.inner_text("main")
    assert "课本第36页练习" in text and timezone.localdate().strftime("%Y年") in text
    save_screenshot(phone_page, "schools-public-class-phone")

    page.click("header button:has-text('退出')")
    make_user("PROVINCE", region="430000", username="sheng")
    login(page, "sheng")
    page.goto(page.base_url + "/schools/")
    assert page.locator("svg rect").count() > 10  # bars of the 14 cities
    assert "长沙市" in page.inner_text("table.drill")
    page.click("table.drill a:has-text('长沙市')")
    page.wait_for_selector("table.drill")
    assert "芙蓉区" in page.inner_text("table.drill")
    save_screenshot(page, "schools-province-rates")
