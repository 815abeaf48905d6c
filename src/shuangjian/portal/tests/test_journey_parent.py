"""Journey 1, first half (issue 9): a parent on a phone finds the public portal, looks an institution
up in the white list and sees the approved items with their prices. The report → handling → outcome
half runs in complaints/tests/test_browser.py on the same phone viewport."""

import pytest

from shuangjian.conftest import save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_parent_looks_up_an_institution_and_sees_its_price(phone_page, make_user):
    from django.core.cache import cache

    from shuangjian.common.testing import make_institution
    from shuangjian.institutions import services
    from shuangjian.institutions.models import TrainingItem
    from shuangjian.regions.services import regions_load

    regions_load()
    cache.clear()
    officer = make_user("COUNTY", region="430102")
    institution = make_institution(
        "430102", name="芙蓉区星光美术培训中心", license_no="教民1430102001", category="NON_SUBJECT"
    )
    item = services.item_save(
        institution=institution,
        actor=officer,
        name="少儿创意美术",
        description="水彩与手工，培养审美与动手能力",
        category="NON_SUBJECT",
        subject_area="美术",
        grades=["G3", "G4"],
        mode="OFFLINE",
        class_size=TrainingItem._meta.get_field("class_size").choices[0][0],
        class_minutes=60,
        total_hours=24,
        price_per_hour_fen=8500,
    )
    services.item_set_status(item=item, actor=officer, status="APPROVED")

    page = phone_page
    page.goto(page.base_url + "/public/")
    page.click("#portal-links a:has-text('白名单')")
    page.fill("input[name=q]", "星光美术")
    page.click("form button[type=submit]")
    page.click("a:has-text('芙蓉区星光美术培训中心')")
    page.wait_for_selector("text=少儿创意美术")
    assert "¥85.00" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= 400
    save_screenshot(page, "journey1-parent-price")
