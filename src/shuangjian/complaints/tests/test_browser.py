"""On a phone-sized browser: a parent reports with a photo, the county handles it to closure, the
parent sees the outcome through the query code."""

from __future__ import annotations

import pytest

from shuangjian.conftest import save_screenshot

from .helpers import jpeg_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_submit_handle_and_see_the_result_on_a_phone(phone_page, make_user):
    from django.core.cache import cache

    from shuangjian.complaints.models import Report
    from shuangjian.regions.services import regions_load

    regions_load()
    cache.clear()
    officer = make_user("COUNTY", region="430102", username="furong_officer", password="Furong-pass-2026")
    page = phone_page

    # 1. A parent reports from the phone, with a photo carrying GPS EXIF.
    page.goto(page.base_url + "/complaints/public/new/")
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 390)"
        ".map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' + e.getBoundingClientRect().right)"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, wide  # no sideways scrolling
    page.select_option("#id_report_type", "ILLEGAL_SUBJECT_TRAINING")
    page.fill("#id_description", "每周六在小区会所给初中生上数学课，约二十人，按学期收费")
    page.fill("#id_place", "长沙市芙蓉区五一大道100号")
    page.wait_for_selector(".resolved.ok:has-text('芙蓉区')")
    page.fill("#id_institution_text", "某某学习中心")
    page.fill("#id_phone", "13812345678")
    page.set_input_files(
        "#id_photos",
        files=[
            {"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(1200, 900, gps=True)},
        ],
    )
    save_screenshot(page, "complaints-phone-form")
    page.click("button[type=submit].primary")
    page.wait_for_selector("#receipt-code")
    number = page.inner_text("#receipt-number").strip()
    code = page.inner_text("#receipt-code").strip()
    save_screenshot(page, "complaints-phone-receipt")
    report = Report.objects.get(number=number)
    assert report.county_id == "430102" and report.photos.count() == 1

    # 2. The county officer handles it (same phone-sized window).
    page.goto(page.base_url + "/accounts/login/?next=/complaints/")
    page.fill("#id_username", "furong_officer")
    page.fill("#id_password", "Furong-pass-2026")
    page.click("button[type=submit]")
    page.click(f"a:has-text('{number}')")
    assert "13812345678" in page.inner_text("#reporter-phone")
    page.click("#btn-acknowledge")
    page.check("#form-judge input[name=valid][value='1']")
    page.fill("#form-judge textarea[name=reason]", "经现场核实，属违规学科类培训")
    page.click("#form-judge button[type=submit]")
    page.select_option("#form-assign select[name=handler]", str(officer.pk))
    page.click("#form-assign button[type=submit]")
    page.select_option("#form-action select[name=kind]", "SITE_INSPECTION")
    page.fill("#form-action textarea[name=note]", "执法人员现场检查，责令立即停止培训")
    page.click("#form-action button[type=submit]")
    page.fill("#form-close textarea[name=result]", "经查属实，已责令停止违规培训并全额退费。感谢您的监督！")
    page.click("#form-close button[type=submit]")
    page.wait_for_selector("#report-result")
    save_screenshot(page, "complaints-phone-county-closed")
    report.refresh_from_db()
    assert report.status == "CLOSED" and report.handler == officer
    assert report.actions.get().kind == "SITE_INSPECTION"
    page.click("header button:has-text('退出')")
    page.wait_for_url("**/accounts/login/")

    # 3. The parent follows up with the query code and sees the result.
    page.goto(page.base_url + "/complaints/public/track/")
    page.fill("#id_number", number)
    page.fill("#id_code", "WRONGCODE")
    page.click("button[type=submit].primary")
    page.wait_for_selector("#track-error")
    page.fill("#id_number", number)
    page.fill("#id_code", code)
    page.click("button[type=submit].primary")
    page.wait_for_selector("#track-result")
    assert page.inner_text("#track-status") == "已办结"
    assert "已责令停止违规培训并全额退费" in page.inner_text("#track-result-text")
    assert "已采取措施：现场检查" in page.inner_text(".timeline")
    assert "13812345678" not in page.content()
    save_screenshot(page, "complaints-phone-track")
