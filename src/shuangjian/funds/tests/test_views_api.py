"""Pages, export and JSON API: authentication, scoping, idempotency over HTTP."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from shuangjian.common.testing import make_institution
from shuangjian.funds.models import Contract, FundEvent

from .conftest import at

pytestmark = pytest.mark.django_db


def payment_body(institution, **extra):
    body = {
        "idempotency_key": "API-P1",
        "credit_code": institution.credit_code,
        "contract_no": "HT100",
        "student_ref": "XS100",
        "hours": "20",
        "amount_fen": 200_000,
        "occurred_at": "2024-03-01T10:00:00+08:00",
    }
    body.update(extra)
    return body


@pytest.fixture
def api(institution, make_user):
    user = make_user("INSTITUTION", institution=institution)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_api_requires_authentication(institution):
    response = APIClient().post(reverse("funds:api-payments"), payment_body(institution), format="json")
    assert response.status_code in (401, 403)
    assert not Contract.objects.exists()


def test_api_payment_consumption_refund_with_idempotency(api, institution):
    url = reverse("funds:api-payments")
    first = api.post(url, payment_body(institution), format="json")
    assert first.status_code == 201, first.content
    assert first.json()["contract"]["balance_fen"] == 200_000 and first.json()["created"] is True
    again = api.post(url, payment_body(institution), format="json")
    assert again.status_code == 200 and again.json()["created"] is False
    conflict = api.post(url, payment_body(institution, amount_fen=1), format="json")
    assert conflict.status_code == 409 and "流水号“API-P1”已用于内容不同的业务" in conflict.json()["detail"]
    lesson = api.post(
        reverse("funds:api-consumptions"),
        {
            "credit_code": institution.credit_code,
            "contract_no": "HT100",
            "student_ref": "XS100",
            "hours": "2",
            "occurred_at": "2024-03-02T10:00:00+08:00",
        },
        format="json",
        HTTP_IDEMPOTENCY_KEY="API-C1",
    )
    assert lesson.status_code == 201 and lesson.json()["pending_lesson_id"]
    assert lesson.json()["contract"]["hours_pending"] == "2.00"
    over = api.post(
        reverse("funds:api-consumptions"),
        {
            "idempotency_key": "API-C2",
            "credit_code": institution.credit_code,
            "contract_no": "HT100",
            "student_ref": "XS100",
            "hours": "19",
            "occurred_at": "2024-03-02T11:00:00+08:00",
        },
        format="json",
    )
    assert over.status_code == 422 and over.json()["code"] == "over_consumption"
    bad_refund = api.post(
        reverse("funds:api-refunds"),
        {
            "idempotency_key": "API-R1",
            "credit_code": institution.credit_code,
            "contract_no": "HT100",
            "student_ref": "XS100",
            "amount_fen": 5,
            "occurred_at": "2024-03-03T10:00:00+08:00",
        },
        format="json",
    )
    assert bad_refund.status_code == 422 and "不符" in bad_refund.json()["detail"]
    refund = api.post(
        reverse("funds:api-refunds"),
        {
            "idempotency_key": "API-R1",
            "credit_code": institution.credit_code,
            "contract_no": "HT100",
            "student_ref": "XS100",
            "occurred_at": "2024-03-03T10:00:00+08:00",
        },
        format="json",
    )
    assert refund.status_code == 201 and refund.json()["amount_fen"] == 200_000
    assert refund.json()["contract"]["status"] == "refunded"
    assert FundEvent.objects.count() == 3


def test_api_institution_may_only_post_for_itself(api):
    other = make_institution("430102")
    response = api.post(reverse("funds:api-payments"), payment_body(other), format="json")
    assert response.status_code == 403 and "只能为本机构" in response.json()["detail"]
    assert not Contract.objects.exists()


def test_api_regulator_cannot_post_and_bad_input_is_400(institution, make_user):
    client = APIClient()
    client.force_authenticate(make_user("COUNTY", region="430102"))
    assert (
        client.post(reverse("funds:api-payments"), payment_body(institution), format="json").status_code
        == 403
    )
    client.force_authenticate(make_user("INSTITUTION", institution=institution))
    response = client.post(
        reverse("funds:api-payments"), payment_body(institution, credit_code="123"), format="json"
    )
    assert response.status_code == 400 and "18位" in str(response.json())


def test_api_contracts_are_scoped(api, institution, pay):
    pay("HT001")
    other = make_institution("430102")
    pay("HT002", inst=other, key="P-other")
    data = api.get(reverse("funds:api-contracts")).json()
    assert [c["contract_no"] for c in data["results"]] == ["HT001"]
    foreign = Contract.objects.get(contract_no="HT002")
    assert api.get(reverse("funds:api-contract", args=[foreign.pk])).status_code == 404


def test_openapi_schema_lists_fund_endpoints(client, make_user):
    client.force_login(make_user("PROVINCE", region="430000"))
    schema = client.get(reverse("api-schema")).content.decode()
    assert "/funds/api/payments/" in schema and "FundOperationResult" in schema


def test_regulator_overview_and_export(client, make_user, pay, institution):
    pay("HT001", hours=61, fen=610_000)
    client.force_login(make_user("CITY", region="430100"))
    page = client.get(reverse("funds:index")).content.decode()
    assert "¥6,100.00" in page and "星光艺术培训学校" in page and "<svg" in page
    response = client.get(reverse("funds:export"))
    assert response.status_code == 200
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "统一社会信用代码" and rows[1][0] == institution.credit_code and rows[1][-1] == 6100
    client.force_login(make_user("COUNTY", region="430405"))
    other = openpyxl.load_workbook(io.BytesIO(client.get(reverse("funds:export")).content)).active
    assert other.max_row == 1  # another county's regulator exports only its own (empty) table
    client.force_login(make_user("SUPERVISOR"))
    assert client.get(reverse("funds:index")).status_code == 403
    assert client.get(reverse("funds:export")).status_code == 403


def test_institution_sees_its_contracts_and_records_lessons(client, make_user, pay, institution):
    result = pay("HT001", hours=10, fen=10_000)
    other = make_institution("430102")
    foreign = pay("HT002", inst=other, key="P-x").contract
    staff = make_user("INSTITUTION", institution=institution)
    client.force_login(staff)
    assert client.get(reverse("funds:index")).status_code == 302
    listing = client.get(reverse("funds:contracts")).content.decode()
    assert "HT001" in listing and "HT002" not in listing
    detail = client.get(reverse("funds:contract", args=[result.contract.pk])).content.decode()
    assert result.contract.verification_code in detail
    assert client.get(reverse("funds:contract", args=[foreign.pk])).status_code == 404
    client.post(reverse("funds:lesson_record", args=[result.contract.pk]), {"hours": "2", "form_key": "abc"})
    client.post(reverse("funds:lesson_record", args=[result.contract.pk]), {"hours": "2", "form_key": "abc"})
    assert Contract.objects.get(pk=result.contract.pk).hours_pending == 2  # a double submit is one lesson
    assert client.post(reverse("funds:lesson_record", args=[foreign.pk]), {"hours": "1"}).status_code == 404


def test_parent_lookup_confirms_disputes_and_requests_refund(client, pay, institution):
    from shuangjian.funds.services import consumption_record

    contract = pay("HT001", hours=10, fen=10_000).contract
    for key in ("A", "B"):
        consumption_record(
            key=key,
            institution=institution,
            contract_no="HT001",
            student_ref="XS001",
            hours=1,
            occurred_at=at("2024-03-02"),
            confirmed=False,
        )
    url = reverse("funds:lookup")
    assert client.get(url).status_code == 200
    wrong = client.post(url, {"contract_no": "HT001", "code": "WRONG"}).content.decode()
    assert "合同编号或查询码不正确" in wrong and "¥100.00" not in wrong
    page = client.post(
        url, {"contract_no": "HT001", "code": contract.verification_code.lower()}
    ).content.decode()
    assert "¥100.00" in page and "待家长确认" in page
    a, b = contract.lessons.order_by("pk")
    client.post(
        url, {"contract_no": "HT001", "code": contract.verification_code, "action": "confirm", "lesson": a.pk}
    )
    page = client.post(
        url,
        {
            "contract_no": "HT001",
            "code": contract.verification_code,
            "action": "dispute",
            "lesson": b.pk,
            "reason": "没上课",
        },
    ).content.decode()
    assert "已提出异议" in page
    contract.refresh_from_db()
    assert contract.released_fen == 1000 and contract.balance_fen == 9000
    page = client.post(
        url,
        {
            "contract_no": "HT001",
            "code": contract.verification_code,
            "action": "refund",
            "reason": "不想学了",
        },
    ).content.decode()
    assert "已提交退费申请" in page and contract.refund_requests.count() == 1


def test_parent_lookup_is_rate_limited(client, pay):
    pay("HT001")
    url = reverse("funds:lookup")
    codes = [client.post(url, {"contract_no": "HT001", "code": f"X{i}"}).status_code for i in range(22)]
    assert codes[:20] == [200] * 20 and codes[-1] == 429


def test_monthly_trend_fills_quiet_months(pay, institution):
    from shuangjian.funds.selectors import monthly_trend
    from shuangjian.funds.services import consumption_record

    pay("HT001", hours=10, fen=10_000, when=at("2024-01-15"))
    consumption_record(
        key="C1",
        institution=institution,
        contract_no="HT001",
        student_ref="XS001",
        hours=1,
        occurred_at=at("2024-04-02"),
        confirmed=True,
    )
    from shuangjian.funds.models import Transfer

    points = monthly_trend(Transfer.objects.all())
    assert [p.month.isoformat() for p in points] == ["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01"]
    assert [p.custody_fen for p in points] == [10_000, 10_000, 10_000, 9_000]
