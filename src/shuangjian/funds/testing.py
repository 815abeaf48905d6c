"""Scoping coverage of the custody ledger's pages and endpoints (see shuangjian.common.testing)."""

from __future__ import annotations

import datetime as dt

from shuangjian.common.testing import ScopeCase, make_institution


def _contract(county):
    from shuangjian.funds.services import payment_record

    institution = make_institution(county)
    result = payment_record(
        key=f"SCOPE-{institution.credit_code}",
        institution=institution,
        contract_no=f"SC{institution.pk:06d}",
        student_ref="XS-SCOPE",
        hours=61,
        amount_fen=100_000,
        occurred_at=dt.datetime(2024, 3, 1, 10, tzinfo=dt.timezone(dt.timedelta(hours=8))),
    )
    return {"pk": result.contract.pk}, result.contract.contract_no


def _institution_row(county):
    _kwargs, number = _contract(county)
    from shuangjian.funds.models import Contract

    return {}, Contract.objects.get(contract_no=number).institution.credit_code


SCOPE_CASES = [
    ScopeCase("funds:index", "list", _institution_row),
    ScopeCase("funds:contracts", "list", _contract),
    ScopeCase("funds:contract", "detail", _contract),
    ScopeCase("funds:violations", "list", _contract),
    ScopeCase("funds:api-contracts", "list", _contract),
    ScopeCase("funds:api-contract", "detail", _contract),
]
SCOPE_EXEMPT = {
    "funds:export": "binary .xlsx of institution_summary(Contract.objects.visible_to(user)); tested in test_views",
    "funds:lesson_record": "POST action; contract fetched through visible_to (404 outside scope), tested in test_views",
    "funds:refund_answer": "POST action; request fetched through visible_to, tested in test_views",
    "funds:dispute_resolve": "POST action; lesson fetched through visible_to, tested in test_views",
    "funds:lookup": "public parent page: one contract by number + verification code, rate-limited",
    "funds:api-payments": "POST only; institution users post for their own institution (test_api)",
    "funds:api-consumptions": "POST only; institution users post for their own institution (test_api)",
    "funds:api-refunds": "POST only; institution users post for their own institution (test_api)",
}
