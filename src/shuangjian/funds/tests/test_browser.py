"""The parent's look-up page in a real browser (Debian chromium via Playwright)."""

from __future__ import annotations

import pytest

from shuangjian.conftest import save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_parent_looks_up_contract_and_confirms_a_lesson(phone_page):
    from shuangjian.common.testing import make_institution
    from shuangjian.funds.models import Contract
    from shuangjian.funds.services import consumption_record, payment_record
    from shuangjian.regions.services import regions_load

    from .conftest import at

    regions_load()
    institution = make_institution("430102", name="星光艺术培训学校")
    contract = payment_record(
        key="B-P1",
        institution=institution,
        contract_no="HT-2024-0001",
        student_ref="XS1",
        hours=20,
        amount_fen=200_000,
        occurred_at=at("2024-03-01"),
    ).contract
    consumption_record(
        key="B-C1",
        institution=institution,
        contract_no="HT-2024-0001",
        student_ref="XS1",
        hours=2,
        occurred_at=at("2024-03-02"),
        confirmed=False,
    )
    page = phone_page
    page.goto(page.base_url + "/funds/lookup/")
    page.fill("#contract_no", "HT-2024-0001")
    page.fill("#code", "WRONG123")
    page.click("#lookup-form button[type=submit]")
    page.wait_for_selector("text=合同编号或查询码不正确")
    page.fill("#code", contract.verification_code.lower())
    page.click("#lookup-form button[type=submit]")
    page.wait_for_selector("#balance")
    assert page.inner_text("#balance") == "¥2,000.00"
    assert "待家长确认" in page.inner_text(".lesson-status")
    save_screenshot(page, "funds-parent-lookup")
    page.click("button:has-text('确认上课')")
    page.wait_for_selector("text=已确认课时")
    assert page.inner_text("#balance") == "¥1,800.00"
    assert "家长已确认" in page.inner_text(".lesson-status")
    save_screenshot(page, "funds-parent-confirmed")
    assert Contract.objects.get().released_fen == 20_000
