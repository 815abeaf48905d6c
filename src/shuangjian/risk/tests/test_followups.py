"""Cross-area follow-ups: a payment, a refund request and a 爆雷 report rescore the institution once
the triggering write commits (risk.receivers); a refused operation rescores nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from shuangjian.common.testing import make_institution

pytestmark = pytest.mark.django_db


def _assessed_today(institution) -> bool:
    from shuangjian.risk.models import RiskAssessment

    return RiskAssessment.objects.filter(institution=institution).exists()


def _pay(institution, key: str = "F-1"):
    from shuangjian.funds.services import payment_record

    return payment_record(
        key=key,
        institution=institution,
        contract_no=f"HT-{key}",
        student_ref="S-1",
        hours=20,
        amount_fen=200_000,
        occurred_at=timezone.now(),
    )


def test_a_payment_rescores_after_commit(django_capture_on_commit_callbacks):
    institution = make_institution("430102", fund_supervised=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _pay(institution)
    assert not _assessed_today(institution)  # nothing before the commit
    assert callbacks
    for callback in callbacks:
        callback()
    assert _assessed_today(institution)


def test_a_refused_payment_rescores_nothing(django_capture_on_commit_callbacks):
    from shuangjian.funds.ledger import FundsRefused
    from shuangjian.funds.services import payment_record

    institution = make_institution("430102", fund_supervised=True)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(FundsRefused):
        payment_record(
            key="F-bad",
            institution=institution,
            contract_no="HT-bad",
            student_ref="S-1",
            hours=20,
            amount_fen=0,
            occurred_at=timezone.now(),
        )
    assert callbacks == [] and not _assessed_today(institution)


def test_a_refund_request_rescores(django_capture_on_commit_callbacks):
    from shuangjian.funds.services import refund_request_create

    institution = make_institution("430102", fund_supervised=True)
    result = _pay(institution)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        refund_request_create(contract_id=result.contract.pk, reason="搬家")
    assert callbacks and _assessed_today(institution)


def test_a_collapse_report_rescores(django_capture_on_commit_callbacks):
    from shuangjian.complaints.choices import ReportType, Source
    from shuangjian.complaints.services import report_create
    from shuangjian.risk.models import RiskAssessment

    institution = make_institution("430102", fund_supervised=True)
    _pay(institution)
    RiskAssessment.objects.filter(institution=institution).delete()
    with django_capture_on_commit_callbacks(execute=True):
        report_create(
            source=Source.PHONE,
            report_type=ReportType.COLLAPSE,
            county_code="430102",
            institution=institution,
            description="老板失联，机构已停课",
            with_query_code=False,
        )
    assert _assessed_today(institution)
