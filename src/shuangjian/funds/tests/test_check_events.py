"""`funds check` matches every transfer to its business event (流水) and each event to its transfers.

A ledger built by every service (payment, consumption, a confirmed and a pending lesson, refund,
reserve deposit and its correction) passes; then, one at a time and rolled back in between, rows
are inserted behind the ledger's back the way the database still allows (inserts only): each is
reported with the transfer, event or contract it concerns.
"""

from __future__ import annotations

import pytest
from django.db import transaction

from shuangjian.funds.models import Account, Contract, FundEvent, Transfer
from shuangjian.funds.selectors import ledger_check

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(institution, pay):
    """Every kind of event through the services; returns the institution."""
    from shuangjian.funds import services

    pay("HT001", hours=10, fen=100_000)
    pay("HT002", hours=20, fen=300_000, student="XS002")
    services.consumption_record(
        key="C-1",
        institution=institution,
        contract_no="HT001",
        student_ref="XS001",
        hours=3,
        occurred_at=at("2024-03-05"),
        confirmed=True,
    )
    services.consumption_record(
        key="C-2",
        institution=institution,
        contract_no="HT001",
        student_ref="XS001",
        hours=1,
        occurred_at=at("2024-03-06"),
        confirmed=False,
    )
    services.refund_record(
        key="R-1",
        institution=institution,
        contract_no="HT002",
        student_ref="XS002",
        amount_fen=None,
        occurred_at=at("2024-03-07"),
    )
    deposit = services.reserve_deposit(
        key="D-1", institution=institution, amount_fen=50_000, occurred_at=at("2024-03-08")
    )
    services.transfer_correct(transfer=deposit.event.transfers.get(), key="X-1", reason="金额录错")
    services.reserve_deposit(
        key="D-2", institution=institution, amount_fen=40_000, occurred_at=at("2024-03-09")
    )
    return institution


def copy(transfer: Transfer, **changes) -> Transfer:
    """Insert a copy of ``transfer`` with ``changes`` (a forged row; inserts are all the database allows)."""
    fields = {
        f.attname: getattr(transfer, f.attname) for f in Transfer._meta.concrete_fields if f.attname != "id"
    }
    return Transfer.objects.create(**{**fields, **changes})


def problems_after(forge) -> list[str]:
    """``ledger_check`` problems with ``forge()`` applied, then rolled back."""
    with transaction.atomic():
        made = forge()
        problems, _ = ledger_check(limit=50)
        transaction.set_rollback(True)
    assert ledger_check()[0] == [], "the rollback must restore a clean ledger"
    return problems, made


def test_a_ledger_made_by_every_service_passes(ledger):
    problems, counts = ledger_check()
    assert problems == []
    assert set(FundEvent.objects.values_list("kind", flat=True)) == {
        "PAYMENT",
        "CONSUMPTION",
        "REFUND",
        "RESERVE_DEPOSIT",
        "CORRECTION",
    }


def test_a_stray_reserve_transfer_reusing_an_event_is_reported(ledger):
    deposit = Transfer.objects.get(event__key="D-2")
    problems, made = problems_after(lambda: copy(deposit))
    assert (
        f"业务流水 #{deposit.event_id} 的2笔转账不成对或重复（同一类型多于一笔，或划拨与核销不相等）"
        in problems
    )
    assert any(p.startswith("业务流水与转账笔数不符：") and "风险保证金2/3" in p for p in problems), problems


def test_an_invented_contract_hung_on_another_contracts_payment_is_reported(ledger, institution):
    payment = Transfer.objects.get(event__key="P-HT001", kind="PAYMENT")

    def forge():
        contract = Contract.objects.create(
            institution=institution,
            county_id=institution.county_id,
            contract_no="FAKE",
            student_ref="X",
            hours_total=10,
            paid_fen=7_000,
            start_date="2024-03-01",
            end_date="2024-06-01",
            verification_code="FAKE0001",
            opened_at=at("2024-03-01"),
        )
        liability = Account.objects.create(kind="LIABILITY", institution=institution, contract=contract)
        return copy(payment, contract_id=contract.pk, credit_id=liability.pk, amount_fen=7_000)

    problems, made = problems_after(forge)
    assert (
        f"转账 #{made.pk}（缴费入托管）与其业务流水“P-HT001”（缴费）不符：类型、机构、合同、时间、金额或借贷账户不一致"
        in problems
    )


def test_a_release_to_the_wrong_account_is_reported(ledger, institution):
    from shuangjian.funds.services import institution_accounts

    release = Transfer.objects.get(event__key="C-1", kind="RELEASE_CASH")
    refunded = institution_accounts(institution.pk)["REFUNDED"]

    def forge():
        # Same amount, same event: only the account differs (the released money booked as refunded).
        return copy(release, debit_id=refunded)

    problems, made = problems_after(forge)
    assert any(p.startswith(f"转账 #{made.pk}（消课划拨）与其业务流水“C-1”（消课）不符") for p in problems), (
        problems
    )
    assert any(f"业务流水 #{release.event_id} 的3笔转账不成对或重复" in p for p in problems), problems


def test_an_event_without_its_transfer_and_a_second_payment_are_reported(ledger, institution):
    payment_event = FundEvent.objects.get(key="P-HT001")
    fields = {
        f.attname: getattr(payment_event, f.attname)
        for f in FundEvent._meta.concrete_fields
        if f.attname != "id"
    }

    problems, _ = problems_after(lambda: FundEvent.objects.create(**{**fields, "key": "P-GHOST"}))
    assert "业务流水“P-GHOST”（缴费）缺少对应的转账" in problems
    assert any(p.startswith("业务流水与转账笔数不符：缴费3/2") for p in problems), problems

    payment = Transfer.objects.get(event=payment_event)

    def second_payment():
        event = FundEvent.objects.create(**{**fields, "key": "P-AGAIN"})
        return copy(payment, event_id=event.pk)

    problems, _ = problems_after(second_payment)
    contract = payment.contract
    assert f"合同“{contract.contract_no}”(#{contract.pk}) 有2笔缴费转账，应为1笔" in problems


def test_a_correction_that_does_not_reverse_its_deposit_is_reported(ledger):
    correction = Transfer.objects.get(kind="CORRECTION")
    other = Transfer.objects.get(event__key="D-2")

    def forge():
        event = correction.event
        fields = {
            f.attname: getattr(event, f.attname) for f in FundEvent._meta.concrete_fields if f.attname != "id"
        }
        forged_event = FundEvent.objects.create(**{**fields, "key": "X-2", "amount_fen": 40_000})
        # Points at D-2 but moves money the same way as the deposit instead of back.
        return copy(
            correction,
            event_id=forged_event.pk,
            corrects_id=other.pk,
            amount_fen=40_000,
            debit_id=other.debit_id,
            credit_id=other.credit_id,
        )

    problems, made = problems_after(forge)
    assert any(
        p.startswith(f"转账 #{made.pk}（更正（冲销））与其业务流水“X-2”（更正）不符") for p in problems
    ), problems
