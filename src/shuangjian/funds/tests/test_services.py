"""Service rules of the custody ledger: each operation, each refusal, idempotency."""

from __future__ import annotations

import pytest

from shuangjian.funds.ledger import FundsRefused, IdempotencyConflict, cumulative_release
from shuangjian.funds.models import (
    Account,
    AccountKind,
    AppendOnlyError,
    Contract,
    ContractStatus,
    FundEvent,
    Posting,
    PrepaymentViolation,
    Transfer,
    ViolationRule,
)
from shuangjian.funds.services import consumption_record, refund_record, reserve_deposit, transfer_correct

from .conftest import assert_ledger_ok, at

pytestmark = pytest.mark.django_db


def consume(institution, no="HT001", hours=1, key=None, student="XS001", when=None):
    return consumption_record(
        key=key or f"C-{no}-{Contract.objects.get(contract_no=no).events.count()}",
        institution=institution,
        contract_no=no,
        student_ref=student,
        hours=hours,
        occurred_at=when or at("2024-03-05"),
        confirmed=True,
    )


def balance(account_kind, institution):
    account = Account.objects.get(institution=institution, kind=account_kind, contract__isnull=True)
    return sum(Posting.objects.filter(account=account).values_list("amount_fen", flat=True))


def test_payment_opens_contract_with_one_balanced_transfer(pay, institution):
    result = pay("HT001", hours=40, fen=400_000)
    assert result.created
    contract = result.contract
    assert contract.status == ContractStatus.OPEN and contract.balance_fen == 400_000
    assert len(contract.verification_code) == 8
    (transfer,) = Transfer.objects.filter(contract=contract)
    postings = sorted(transfer.postings.values_list("amount_fen", flat=True))
    assert postings == [-400_000, 400_000]
    assert balance(AccountKind.CUSTODY, institution) == 400_000
    assert_ledger_ok()


def test_cumulative_release_rounds_half_up_and_all_hours_release_exactly_p(pay, institution):
    pay("HT001", hours=3, fen=1000)  # 333.33… fen per hour
    releases = [consume(institution, hours=1, key=f"C{i}").amount_fen for i in range(3)]
    assert releases == [333, 334, 333]  # cumulative 333, 667 (666.67 rounds up), 1000
    contract = Contract.objects.get()
    assert contract.released_fen == 1000 and contract.status == ContractStatus.COMPLETED
    assert balance(AccountKind.RELEASED, institution) == 1000
    assert balance(AccountKind.CUSTODY, institution) == 0
    assert cumulative_release(1000, 150, 300) == 500
    assert_ledger_ok()


def test_fractional_hours(pay, institution):
    pay("HT001", hours="10.5", fen=105_00)
    assert consume(institution, hours="0.5", key="C1").amount_fen == 500
    with pytest.raises(FundsRefused, match="最多两位小数"):
        consume(institution, hours="0.125", key="C2")


def test_over_consumption_is_refused_and_changes_nothing(pay, institution):
    pay("HT001", hours=2, fen=2000)
    consume(institution, hours=1, key="C1")
    before = (FundEvent.objects.count(), Transfer.objects.count(), Posting.objects.count())
    with pytest.raises(FundsRefused, match="超出合同“HT001”剩余课时1"):
        consume(institution, hours=2, key="C2")
    assert (FundEvent.objects.count(), Transfer.objects.count(), Posting.objects.count()) == before
    assert Contract.objects.get().hours_consumed == 1
    # The refused key was not consumed: a corrected retry may use it.
    assert consume(institution, hours=1, key="C2").created


def test_consumption_on_unknown_refunded_or_completed_contract_is_refused(pay, institution):
    with pytest.raises(FundsRefused, match="没有编号为“NOPE”的合同"):
        consumption_record(
            key="X",
            institution=institution,
            contract_no="NOPE",
            student_ref="XS001",
            hours=1,
            occurred_at=at("2024-03-02"),
            confirmed=True,
        )
    pay("HT001", hours=1, fen=100)
    consume(institution, hours=1, key="C1")
    with pytest.raises(FundsRefused, match="课时已全部消完"):
        consume(institution, hours=1, key="C2")
    pay("HT002", hours=5, fen=500)
    refund_record(
        key="R1",
        institution=institution,
        contract_no="HT002",
        student_ref="XS001",
        amount_fen=None,
        occurred_at=at("2024-03-03"),
    )
    with pytest.raises(FundsRefused, match="已退费"):
        consume(institution, "HT002", hours=1, key="C3")


def test_student_mismatch_is_refused(pay, institution):
    pay("HT001")
    with pytest.raises(FundsRefused, match="学员编号“XS999”"):
        consume(institution, hours=1, key="C1", student="XS999")


def test_second_payment_on_same_contract_is_refused(pay):
    pay("HT001", key="P1")
    with pytest.raises(FundsRefused, match="同一合同只能缴费一次"):
        pay("HT001", key="P2")
    assert Contract.objects.count() == 1


def test_refund_returns_whole_remaining_balance_and_closes(pay, institution):
    pay("HT001", hours=4, fen=1000)
    consume(institution, hours=1, key="C1")
    with pytest.raises(FundsRefused, match="退费金额5.00元与合同“HT001”剩余余额7.50元不符"):
        refund_record(
            key="R1",
            institution=institution,
            contract_no="HT001",
            student_ref="XS001",
            amount_fen=500,
            occurred_at=at("2024-03-06"),
        )
    result = refund_record(
        key="R1",
        institution=institution,
        contract_no="HT001",
        student_ref="XS001",
        amount_fen=750,
        occurred_at=at("2024-03-06"),
    )
    assert result.amount_fen == 750
    contract = Contract.objects.get()
    assert contract.status == ContractStatus.REFUNDED and contract.balance_fen == 0 and contract.closed_at
    assert balance(AccountKind.REFUNDED, institution) == 750
    assert balance(AccountKind.DISCHARGED, institution) == -1000
    with pytest.raises(FundsRefused, match="不能重复退费"):
        refund_record(
            key="R2",
            institution=institution,
            contract_no="HT001",
            student_ref="XS001",
            amount_fen=None,
            occurred_at=at("2024-03-07"),
        )
    assert_ledger_ok()


def test_refund_of_completed_contract_is_refused(pay, institution):
    pay("HT001", hours=1, fen=100)
    consume(institution, hours=1, key="C1")
    with pytest.raises(FundsRefused, match="没有可退余额"):
        refund_record(
            key="R1",
            institution=institution,
            contract_no="HT001",
            student_ref="XS001",
            amount_fen=None,
            occurred_at=at("2024-03-07"),
        )


def test_idempotency_same_content_is_noop_different_content_conflicts(pay, institution):
    first = pay("HT001", key="K1")
    again = pay("HT001", key="K1")
    assert again.created is False and again.event.pk == first.event.pk
    assert Transfer.objects.count() == 1
    with pytest.raises(IdempotencyConflict, match="流水号“K1”已用于内容不同的业务"):
        pay("HT001", key="K1", fen=999)
    c1 = consume(institution, hours=2, key="C1")
    c1b = consume(institution, hours=2, key="C1")
    assert c1b.created is False and c1b.amount_fen == c1.amount_fen == 20_000
    assert Contract.objects.get().hours_consumed == 2
    with pytest.raises(IdempotencyConflict):
        consume(institution, hours=3, key="C1")


@pytest.mark.parametrize(
    ("hours", "fen", "category", "rules_expected"),
    [
        (60, 500_000, None, []),
        (61, 100_000, None, [ViolationRule.HOURS]),
        (20, 500_001, None, [ViolationRule.AMOUNT]),
        (80, 900_000, None, [ViolationRule.HOURS, ViolationRule.AMOUNT]),
        (20, 900_000, "SUBJECT", []),  # no yuan cap for subject training unless the province sets one
    ],
)
def test_over_limit_prepayment_is_recorded_and_raises_violation(
    pay, institution, hours, fen, category, rules_expected
):
    if category:
        from shuangjian.institutions.models import InstitutionEpisode

        InstitutionEpisode.objects.create(
            institution=institution,
            category=category,
            mode="OFFLINE",
            audiences="COMPULSORY",
            approved_on="2020-01-01",
        )
    result = pay("HT001", hours=hours, fen=fen)
    assert result.contract.paid_fen == fen  # recorded: the money is at the bank
    assert sorted(v.rule for v in PrepaymentViolation.objects.filter(institution=institution)) == sorted(
        rules_expected
    )
    assert all(v.source for v in result.violations)


def test_span_limit_and_regional_override(pay, institution):
    import datetime as dt

    from shuangjian.common.models import RuleParameter

    pay("HT001", start_date=dt.date(2024, 3, 1), end_date=dt.date(2024, 6, 2))
    assert PrepaymentViolation.objects.get().rule == ViolationRule.SPAN
    RuleParameter.objects.create(key="funds.prepaid.max_hours", region_id="430100", value=30, source="测试")
    pay("HT002", hours=40, end_date=dt.date(2024, 4, 1))
    assert PrepaymentViolation.objects.filter(contract__contract_no="HT002").get().rule == ViolationRule.HOURS


def test_reserve_deposit_and_correction(institution):
    result = reserve_deposit(
        key="RS1", institution=institution, amount_fen=5_000_000, occurred_at=at("2024-03-01")
    )
    assert balance(AccountKind.RESERVE, institution) == 5_000_000
    transfer = result.event.transfers.get()
    transfer_correct(transfer=transfer, key="RS1-FIX", reason="金额录入错误")
    assert balance(AccountKind.RESERVE, institution) == 0
    assert Transfer.objects.get(corrects=transfer).amount_fen == 5_000_000
    with pytest.raises(FundsRefused, match="已被更正过"):
        transfer_correct(transfer=transfer, key="RS1-FIX2", reason="再次")
    assert_ledger_ok()


def test_ledger_rows_are_append_only(pay):
    result = pay("HT001")
    transfer = Transfer.objects.get()
    posting = Posting.objects.first()
    with pytest.raises(AppendOnlyError):
        transfer.save()
    with pytest.raises(AppendOnlyError):
        posting.delete()
    with pytest.raises(AppendOnlyError):
        Posting.objects.filter(pk=posting.pk).update(amount_fen=1)
    with pytest.raises(AppendOnlyError):
        FundEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        result.event.save()
    from django.db import DatabaseError, connection, transaction

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE funds_posting SET amount_fen = 1 WHERE id = %s", [posting.pk])
    assert Posting.objects.get(pk=posting.pk).amount_fen == posting.amount_fen


def test_refused_inputs_have_chinese_reasons(pay, institution):
    with pytest.raises(FundsRefused, match="金额必须大于0"):
        pay("HT009", fen=0)
    with pytest.raises(FundsRefused, match="金额过大"):
        pay("HT009", fen=10_000_000_001)
    with pytest.raises(FundsRefused, match="课时必须大于0"):
        pay("HT009", hours=0)
    with pytest.raises(FundsRefused, match="缺少流水号"):
        pay("HT009", key=" ")
    with pytest.raises(FundsRefused, match="不在机构名册中"):
        pay("HT009", inst="91430102MA4L000000")
    assert not Contract.objects.exists()
