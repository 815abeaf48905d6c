"""Each demo role logs in through the real browser and lands on its Chinese home page."""

import pytest
from django.test import override_settings

from shuangjian.conftest import save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@override_settings(DEMO_MODE=True)
def test_every_demo_role_logs_in(browser_page):
    from shuangjian.accounts.demo import demo_accounts_create
    from shuangjian.regions.services import regions_load

    regions_load()
    page = browser_page
    for account in demo_accounts_create():
        page.goto(page.base_url + "/")
        assert "/accounts/login/" in page.url
        page.fill("#id_username", account.username)
        page.fill("#id_password", account.password)
        page.click("button[type=submit]")
        page.wait_for_selector("main h1")
        assert page.inner_text("main h1").startswith(("工作台", "统计看板"))
        assert account.role in page.inner_text("header")
        save_screenshot(page, f"home-{account.username}")
        page.click("header button:has-text('退出')")
        page.wait_for_url("**/accounts/login/")
