"""The parent-app flow (RULES.md §1.5): pending lessons, confirmation, disputes, refund requests, tick."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from shuangjian.funds.ledger import FundsRefused
from shuangjian.funds.models import Contract, LessonStatus, RefundRequestStatus, Transfer
from shuangjian.funds.services import (
    consumption_record,
    funds_tick,
    lesson_confirm,
    lesson_dispute,
    lesson_dispute_resolve,
    refund_request_answer,
    refund_request_create,
)

from .conftest import assert_ledger_ok, at

pytestmark = pytest.mark.django_db


def record(institution, hours=2, key="LES1", when=None):
    return consumption_record(
        key=key,
        institution=institution,
        contract_no="HT001",
        student_ref="XS001",
        hours=hours,
        occurred_at=when or at("2024-03-04"),
        confirmed=False,
    ).lesson


def test_recorded_lesson_is_pending_and_holds_hours(pay, institution):
    pay("HT001", hours=3, fen=3000)
    lesson = record(institution, hours=2)
    contract = Contract.objects.get()
    assert (
        lesson.status == LessonStatus.PENDING and contract.hours_pending == 2 and contract.released_fen == 0
    )
    assert not Transfer.objects.filter(kind="RELEASE_CASH").exists()
    # 2024-03-04 is a Monday: 15 working days later is Monday 2024-03-25.
    assert lesson.due_on == dt.date(2024, 3, 25)
    with pytest.raises(FundsRefused, match="剩余课时1"):
        record(institution, hours=2, key="LES2")
    lesson_confirm(lesson_id=lesson.pk)
    contract.refresh_from_db()
    assert (contract.hours_pending, contract.hours_consumed, contract.released_fen) == (0, 2, 2000)
    lesson_confirm(lesson_id=lesson.pk)  # confirming twice is a no-op
    assert Transfer.objects.filter(kind="RELEASE_CASH").count() == 1
    assert_ledger_ok()


def test_auto_confirmation_after_working_days_and_tick_is_idempotent(pay, institution, capsys):
    pay("HT001", hours=10, fen=10_000)
    lesson = record(institution, hours=1, when=at("2024-09-27"))  # Friday before 国庆 (Oct 1–7 off)
    # 15 working days: 9-29 (Sunday 调休 workday), 9-30, 10-8 … 10-12 (Saturday 调休), 10-14 … 10-23.
    assert lesson.due_on == dt.date(2024, 10, 23)
    assert funds_tick(now=at("2024-10-23", "23:00")).lessons_confirmed == 0
    call_command("funds", "tick", "--now", "2024-10-24 08:00")
    assert "自动确认课时1笔" in capsys.readouterr().out
    call_command("funds", "tick", "--now", "2024-10-25 08:00")
    assert "自动确认课时0笔" in capsys.readouterr().out
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.AUTO_CONFIRMED
    assert Contract.objects.get().released_fen == 1000
    assert_ledger_ok()


def test_dispute_holds_release_until_regulator_resolves(pay, institution, make_user):
    pay("HT001", hours=10, fen=10_000)
    lesson = record(institution, hours=3)
    lesson_dispute(lesson_id=lesson.pk, reason="当天停课")
    assert funds_tick(now=at("2025-01-01")).lessons_confirmed == 0  # a disputed lesson never auto-confirms
    with pytest.raises(FundsRefused):
        lesson_confirm(lesson_id=lesson.pk)
    regulator = make_user("COUNTY", region="430102")
    lesson_dispute_resolve(lesson_id=lesson.pk, release=False, actor=regulator)
    contract = Contract.objects.get()
    assert contract.hours_pending == 0 and contract.released_fen == 0
    second = record(institution, hours=3, key="LES2")
    lesson_dispute(lesson_id=second.pk, reason="有疑问")
    lesson_dispute_resolve(lesson_id=second.pk, release=True, actor=regulator)
    contract.refresh_from_db()
    assert contract.released_fen == 3000 and contract.hours_consumed == 3
    assert_ledger_ok()


def test_refund_request_auto_approved_after_five_working_days(pay, institution):
    pay("HT001", hours=10, fen=10_000)
    record(institution, hours=1)
    request = refund_request_create(
        contract_id=Contract.objects.get().pk, reason="搬家", now=at("2024-03-08")
    )
    assert request.due_on == dt.date(2024, 3, 15)  # Friday → next Friday
    assert refund_request_create(contract_id=request.contract_id, now=at("2024-03-08")).pk == request.pk
    assert funds_tick(now=at("2024-03-15", "20:00")).refunds_approved == 0
    report = funds_tick(now=at("2024-03-16", "08:00"))
    assert report.refunds_approved == 1
    assert funds_tick(now=at("2024-03-17", "08:00")).refunds_approved == 0
    request.refresh_from_db()
    contract = Contract.objects.get()
    assert request.status == RefundRequestStatus.AUTO_APPROVED and contract.status == "REFUNDED"
    # The unconfirmed lesson is voided: the whole 10,000 fen go back.
    assert contract.refunded_fen == 10_000 and contract.lessons.get().status == LessonStatus.VOIDED
    assert_ledger_ok()


def test_institution_answers_refund_request(pay, institution, make_user):
    pay("HT001", hours=10, fen=10_000)
    staff = make_user("INSTITUTION", institution=institution)
    request = refund_request_create(contract_id=Contract.objects.get().pk, now=at("2024-03-08"))
    with pytest.raises(FundsRefused, match="须说明理由"):
        refund_request_answer(request_id=request.pk, approve=False, actor=staff)
    refund_request_answer(request_id=request.pk, approve=False, answer="合同约定开课后不退", actor=staff)
    request.refresh_from_db()
    assert request.status == RefundRequestStatus.REJECTED
    assert funds_tick(now=at("2024-04-30")).refunds_approved == 0
    again = refund_request_create(contract_id=request.contract_id, now=at("2024-03-09"))
    refund_request_answer(request_id=again.pk, approve=True, actor=staff)
    assert Contract.objects.get().status == "REFUNDED"
    assert_ledger_ok()
