"""Journey 4 (issue 9): the custody bank's payment arrives through the API, the institution records a
lesson, the parent confirms it and asks for a refund, the institution agrees; the county regulator
sees the custody figures change at each step, and `funds check` holds throughout.

Real HTTP against the live server for the API (token authentication), Debian chromium for the pages.
"""

import io
import json
import urllib.request

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from shuangjian.conftest import save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, username, password):
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_selector("main h1")


def custody_card(page) -> str:
    page.goto(page.base_url + "/funds/")
    return page.locator(".card", has_text="托管余额").locator(".figure").inner_text()


def ledger_holds():
    out = io.StringIO()
    call_command("funds", "check", stdout=out)  # exits 1 (SystemExit) on any broken invariant
    assert "全部不变量成立" in out.getvalue()


def test_payment_lesson_refund_and_the_regulator_sees_it(chromium_browser, live_server, make_user):
    from shuangjian.common.testing import make_institution
    from shuangjian.funds.models import Contract
    from shuangjian.regions.services import regions_load

    regions_load()
    institution = make_institution("430102", name="星光艺术培训学校", fund_supervised=True)
    make_user("INSTITUTION", username="xingguang", institution=institution, password="Inst-pass-123")
    make_user("COUNTY", username="furong4", region="430102", password="County-pass-123")
    staff_token = Token.objects.create(user=institution.staff_users.get())

    def new_page(phone=False):
        size = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
        page = chromium_browser.new_context(viewport=size, locale="zh-CN").new_page()
        page.base_url = live_server.url
        page.set_default_timeout(15000)
        return page

    regulator = new_page()
    login(regulator, "furong4", "County-pass-123")
    assert custody_card(regulator) == "¥0.00"

    # 1. The custody bank's payment notification: 20 class hours, ¥2,000.00.
    body = json.dumps(
        {
            "credit_code": institution.credit_code,
            "contract_no": "HT-J4-001",
            "student_ref": "XS-J4",
            "hours": "20",
            "amount_fen": 200000,
            "occurred_at": "2024-03-01T10:00:00+08:00",
        }
    ).encode()
    request = urllib.request.Request(
        live_server.url + "/funds/api/payments/",
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Token {staff_token.key}",
            "Idempotency-Key": "BANK-J4-1",
        },
    )
    with urllib.request.urlopen(request) as response:
        assert response.status == 201
        assert json.loads(response.read())["contract"]["balance_fen"] == 200000
    with urllib.request.urlopen(request) as replay:  # the bank retries: nothing changes
        assert replay.status == 200
    assert custody_card(regulator) == "¥2,000.00"
    ledger_holds()

    # 2. The institution records a 2-hour lesson; it waits for the parent's confirmation.
    staff = new_page()
    login(staff, "xingguang", "Inst-pass-123")
    contract = Contract.objects.get(contract_no="HT-J4-001")
    staff.goto(staff.base_url + f"/funds/contracts/{contract.pk}/")
    staff.fill("input[name=hours]", "2")
    staff.click("button:has-text('登记（待家长确认）')")
    staff.wait_for_selector("text=待家长确认")
    save_screenshot(staff, "journey4-institution-lesson")

    # 3. The parent, on a phone, confirms the lesson and asks for the rest back.
    parent = new_page(phone=True)
    parent.goto(parent.base_url + "/funds/lookup/")
    parent.fill("#contract_no", "HT-J4-001")
    parent.fill("#code", contract.verification_code)
    parent.click("#lookup-form button[type=submit]")
    parent.wait_for_selector("#balance")
    parent.click("button:has-text('确认上课')")
    parent.wait_for_selector("text=已确认课时")
    assert parent.inner_text("#balance") == "¥1,800.00"
    assert custody_card(regulator) == "¥1,800.00"
    parent.fill("input[name=reason]", "孩子转学")
    parent.click("button:has-text('申请退还全部余额')")
    parent.wait_for_selector("text=退费申请已提交")
    save_screenshot(parent, "journey4-parent-refund-request")

    # 4. The institution agrees; the money goes back; the regulator sees custody at zero.
    staff.goto(staff.base_url + f"/funds/contracts/{contract.pk}/")
    staff.click("button:has-text('同意退费')")
    staff.wait_for_selector("text=已退费")
    contract.refresh_from_db()
    assert contract.refunded_fen == 180000 and contract.balance_fen == 0
    assert custody_card(regulator) == "¥0.00"
    save_screenshot(regulator, "journey4-regulator-funds")
    ledger_holds()
