"""Business writes of the custody ledger: each a keyword-only function running in one transaction.

Every operation carries an idempotency key (流水号): the same key with the same content returns the
first result without changing anything (``OperationResult.created`` False); the same key with
different content raises :class:`IdempotencyConflict`. A refused operation raises
:class:`FundsRefused` with a Chinese reason and changes nothing (its transaction rolls back and no
event is stored, so a corrected retry may reuse the key).

Policy sources: DESIGN.md "Fund events"; RULES.md §1.2/§1.3 (prepayment limits, D2/D7), §1.5
(parent confirmation, automatic confirmation and refund approval, D12).
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from shuangjian.common.audit import save_audited
from shuangjian.common.rules import rule_value
from shuangjian.common.workdays import WorkdayCalendar
from shuangjian.institutions.models import Institution

from . import rules
from .ledger import (
    ContractState,
    FundsRefused,
    IdempotencyConflict,
    centi_to_decimal,
    check_amount,
    check_not_future,
    decimal_to_centi,
    fingerprint,
    hours_to_centi,
)
from .limits import PrepaymentLimits, add_months, is_subject_institution
from .lock_objects import lock_contract, lock_contract_by_no
from .models import (
    Account,
    AccountKind,
    Contract,
    ContractStatus,
    EventKind,
    EventSource,
    FundEvent,
    Lesson,
    LessonStatus,
    PrepaymentViolation,
    RefundRequest,
    RefundRequestStatus,
    Transfer,
    TransferKind,
)

__all__ = [
    "FundsRefused",
    "IdempotencyConflict",
    "OperationResult",
    "consumption_record",
    "payment_record",
    "refund_record",
    "reserve_deposit",
    "lesson_confirm",
    "lesson_dispute",
    "lesson_dispute_resolve",
    "refund_request_create",
    "refund_request_answer",
    "funds_tick",
    "transfer_correct",
    # the limits policy lives in .limits; these names stay importable from here
    "PrepaymentLimits",
    "add_months",
    "is_subject_institution",
]

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
INSTITUTION_KINDS = [k for k in AccountKind.values if k != AccountKind.LIABILITY]


@dataclass
class OperationResult:
    """What an operation did: its event, whether it was new, the contract and the fen it moved."""

    event: FundEvent
    created: bool
    contract: Contract | None = None
    amount_fen: int = 0
    violations: list[PrepaymentViolation] = field(default_factory=list)
    lesson: Lesson | None = None


@dataclass
class TickReport:
    """What ``funds tick`` did."""

    lessons_confirmed: int = 0
    refunds_approved: int = 0
    warnings: list[str] = field(default_factory=list)


# --- helpers ----------------------------------------------------------------------------------------
def local_text(moment: dt.datetime) -> str:
    """A moment as Shanghai wall-clock text "YYYY-MM-DD HH:MM:SS" (the fingerprint's time form)."""
    if timezone.is_naive(moment):
        raise FundsRefused("发生时间缺少时区", code="invalid")
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")


_CODE_TRANSLATION = str.maketrans("ILO", "89X")


def new_verification_code() -> str:
    """An 8-character random code (40 bits) for the parent's look-up (base32 without I, L, O)."""
    return base64.b32encode(secrets.token_bytes(5)).decode().translate(_CODE_TRANSLATION)


def institution_accounts(institution_id: int) -> dict[str, int]:
    """Ids of the institution's six institution-level accounts, creating missing ones (race-safe)."""
    existing = dict(
        Account.objects.filter(institution_id=institution_id, contract__isnull=True).values_list("kind", "id")
    )
    if len(existing) < len(INSTITUTION_KINDS):
        Account.objects.bulk_create(
            [Account(kind=k, institution_id=institution_id) for k in INSTITUTION_KINDS if k not in existing],
            ignore_conflicts=True,
        )
        existing = dict(
            Account.objects.filter(institution_id=institution_id, contract__isnull=True).values_list(
                "kind", "id"
            )
        )
    return existing


def _post(
    event: FundEvent,
    kind: str,
    *,
    institution_id: int,
    debit: int,
    credit: int,
    amount: int,
    contract_id: int | None = None,
    corrects: Transfer | None = None,
) -> Transfer:
    """One transfer of ``amount`` fen (> 0) from account ``credit`` to account ``debit`` (its
    postings, +amount to ``debit`` and −amount to ``credit``, are derived from it)."""
    transfer = Transfer(
        event=event,
        kind=kind,
        institution_id=institution_id,
        contract_id=contract_id,
        amount_fen=amount,
        debit_id=debit,
        credit_id=credit,
        occurred_at=event.occurred_at,
        corrects=corrects,
    )
    transfer.save()
    return transfer


def _existing(key: str, fp: str) -> FundEvent | None:
    """The event already stored under ``key`` when its content matches; conflict otherwise."""
    event = FundEvent.objects.filter(key=key).first()
    if event is None:
        return None
    if event.fingerprint != fp:
        raise IdempotencyConflict(f"流水号“{key}”已用于内容不同的业务，不能重复使用")
    return event


def _check_key(key: str) -> str:
    key = str(key or "").strip()
    if not key:
        raise FundsRefused("缺少流水号（幂等键）", code="invalid")
    if len(key) > 64:
        raise FundsRefused("流水号过长（最多64个字符）", code="invalid")
    return key


def _idempotent(key: str, fp: str, operation, replay):
    """Run ``operation()`` in one transaction unless ``key`` was already used.

    A unique-key race with a concurrent writer of the same key ends in the replay/conflict path.
    """
    done = _existing(key, fp)
    if done is not None:
        return replay(done)
    try:
        with transaction.atomic():
            return operation()
    except IntegrityError:
        done = _existing(key, fp)
        if done is not None:
            return replay(done)
        raise


def _state(contract: Contract) -> ContractState:
    return ContractState(
        id=contract.pk,
        institution_id=contract.institution_id,
        contract_no=contract.contract_no,
        student_ref=contract.student_ref,
        paid=contract.paid_fen,
        hours_total=decimal_to_centi(contract.hours_total),
        consumed=decimal_to_centi(contract.hours_consumed),
        pending=decimal_to_centi(contract.hours_pending),
        released=contract.released_fen,
        refunded=contract.refunded_fen,
        status=contract.status,
        start=contract.start_date.isoformat() if contract.start_date else "",
    )


def _store_state(contract: Contract, state: ContractState, closed_at: dt.datetime | None = None) -> None:
    contract.hours_consumed = centi_to_decimal(state.consumed)
    contract.hours_pending = centi_to_decimal(state.pending)
    contract.released_fen = state.released
    contract.refunded_fen = state.refunded
    fields = ["hours_consumed", "hours_pending", "released_fen", "refunded_fen", "status", "closed_at"]
    if contract.status != state.status:
        contract.status = state.status
        contract.closed_at = closed_at
    contract.save(update_fields=fields)


def _event(
    *,
    key: str,
    kind: str,
    occurred_at: dt.datetime,
    institution_id: int,
    fp: str,
    source: str,
    actor: Any,
    contract: Contract | None = None,
    student_ref: str = "",
    amount_fen: int | None = None,
    hours_centi: int | None = None,
    note: str = "",
) -> FundEvent:
    check_not_future(occurred_at, timezone.now())
    event = FundEvent(
        key=key,
        kind=kind,
        occurred_at=occurred_at,
        institution_id=institution_id,
        contract=contract,
        student_ref=student_ref,
        amount_fen=amount_fen,
        hours=None if hours_centi is None else centi_to_decimal(hours_centi),
        fingerprint=fp,
        source=source,
        actor=actor if getattr(actor, "pk", None) else None,
        note=note[:200],
        recorded_at=timezone.now(),
    )
    event.save()
    return event


def _institution(institution: Institution | str) -> Institution:
    if isinstance(institution, Institution):
        return institution
    found = Institution.objects.filter(credit_code=str(institution).strip().upper()).first()
    if found is None:
        raise FundsRefused(f"统一社会信用代码“{institution}”不在机构名册中", code="unknown_institution")
    return found


def _positive_fen(amount_fen: Any, *, required: bool) -> int | None:
    if amount_fen is None:
        if required:
            raise FundsRefused("缺少金额", code="invalid")
        return None
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int):
        raise FundsRefused("金额必须是整数（分）", code="invalid")
    return check_amount(amount_fen)


# --- operations ---------------------------------------------------------------------------------------
def payment_record(
    *,
    key: str,
    institution: Institution | str,
    contract_no: str,
    student_ref: str,
    hours: Any,
    amount_fen: int,
    occurred_at: dt.datetime,
    training_item: str = "",
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    source: str = EventSource.API,
    actor: Any = None,
) -> OperationResult:
    """Open contract ``contract_no`` with its payment (缴费) of ``amount_fen`` for ``hours`` class hours.

    Posts one transfer: +amount to the institution's custody account, −amount to the contract's new
    liability account. A prepayment over the limits in force for the institution's county (hours,
    months between ``start_date`` and ``end_date``, yuan cap for its category) is recorded and
    raises a :class:`PrepaymentViolation` per limit (RULES.md §1.2/§1.3). Refuses (FundsRefused) a
    second payment on the same contract (a renewal is a new contract), bad amounts or hours.
    """
    key = _check_key(key)
    inst = _institution(institution)
    contract_no = str(contract_no or "").strip()
    student_ref = str(student_ref or "").strip()
    if not contract_no:
        raise FundsRefused("缺少合同编号", code="invalid")
    if not student_ref:
        raise FundsRefused("缺少学员编号", code="invalid")
    amount = _positive_fen(amount_fen, required=True)
    assert amount is not None
    centi = hours_to_centi(hours)
    fp = fingerprint(
        EventKind.PAYMENT, local_text(occurred_at), inst.credit_code, contract_no, student_ref, amount, centi
    )
    start = start_date or timezone.localdate(occurred_at)
    if end_date is not None and end_date < start:
        raise FundsRefused("服务截止日期早于开始日期", code="invalid")

    def operation() -> OperationResult:
        if Contract.objects.filter(institution=inst, contract_no=contract_no).exists():
            raise FundsRefused(
                f"合同“{contract_no}”已缴费，同一合同只能缴费一次（续费请签订新合同）",
                code="duplicate_payment",
            )
        accounts = institution_accounts(inst.pk)
        contract = Contract.objects.create(
            institution=inst,
            county_id=inst.county_id,
            contract_no=contract_no,
            student_ref=student_ref,
            training_item=training_item[:200],
            hours_total=centi_to_decimal(centi),
            paid_fen=amount,
            start_date=start,
            end_date=end_date,
            verification_code=new_verification_code(),
            opened_at=occurred_at,
        )
        liability = Account.objects.create(kind=AccountKind.LIABILITY, institution=inst, contract=contract)
        event = _event(
            key=key,
            kind=EventKind.PAYMENT,
            occurred_at=occurred_at,
            institution_id=inst.pk,
            fp=fp,
            source=source,
            actor=actor,
            contract=contract,
            student_ref=student_ref,
            amount_fen=amount,
            hours_centi=centi,
        )
        _post(
            event,
            TransferKind.PAYMENT,
            institution_id=inst.pk,
            contract_id=contract.pk,
            debit=accounts[AccountKind.CUSTODY],
            credit=liability.pk,
            amount=amount,
        )
        limits = PrepaymentLimits.for_county(inst.county_id)
        breaches = limits.breaches(
            hours_centi=centi,
            amount_fen=amount,
            start=start,
            end=end_date,
            subject=is_subject_institution(inst.pk, start),
        )
        violations = [
            PrepaymentViolation.objects.create(
                institution=inst,
                county_id=inst.county_id,
                contract=contract,
                event=event,
                rule=rule,
                detail=detail,
                source=src[:200],
                detected_at=timezone.now(),
            )
            for rule, detail, src in breaches
        ]
        return OperationResult(
            event=event, created=True, contract=contract, amount_fen=amount, violations=violations
        )

    def replay(event: FundEvent) -> OperationResult:
        return OperationResult(
            event=event,
            created=False,
            contract=event.contract,
            amount_fen=event.amount_fen or 0,
            violations=list(event.violations.all()),
        )

    return _idempotent(key, fp, operation, replay)


def _release(
    contract: Contract, state: ContractState, event: FundEvent, release: int, accounts: dict[str, int]
) -> None:
    """The two transfers of a release: custody → released (cash), liability → discharged (claim)."""
    if release <= 0:
        return
    liability = contract.liability_account.pk
    _post(
        event,
        TransferKind.RELEASE_CASH,
        institution_id=contract.institution_id,
        contract_id=contract.pk,
        debit=accounts[AccountKind.RELEASED],
        credit=accounts[AccountKind.CUSTODY],
        amount=release,
    )
    _post(
        event,
        TransferKind.RELEASE_DISCHARGE,
        institution_id=contract.institution_id,
        contract_id=contract.pk,
        debit=liability,
        credit=accounts[AccountKind.DISCHARGED],
        amount=release,
    )


def _workday_deadline(moment: dt.datetime, key: str, county_code: str) -> dt.date:
    days = int(rule_value(key, county_code))
    return WorkdayCalendar().add_working_days(timezone.localdate(moment), days)


def consumption_record(
    *,
    key: str,
    institution: Institution | str,
    contract_no: str,
    student_ref: str,
    hours: Any,
    occurred_at: dt.datetime,
    confirmed: bool,
    source: str = EventSource.API,
    actor: Any = None,
) -> OperationResult:
    """Consume ``hours`` class hours of a contract (消课).

    ``confirmed`` True (a bank-statement row: consumption already confirmed) releases fen at once
    so that the cumulative release is round_half_up(P × c / H). ``confirmed`` False (an institution
    recording a lesson, RULES.md §1.5) holds the hours as a pending :class:`Lesson` that the parent
    confirms or that confirms itself after the rule's working days. Refuses an unknown or closed
    contract, a student mismatch, and more hours than remain (pending lessons included).
    """
    key = _check_key(key)
    inst = _institution(institution)
    contract_no = str(contract_no or "").strip()
    student_ref = str(student_ref or "").strip()
    centi = hours_to_centi(hours)
    kind = EventKind.CONSUMPTION if confirmed else "LESSON"
    fp = fingerprint(kind, local_text(occurred_at), inst.credit_code, contract_no, student_ref, None, centi)

    def operation() -> OperationResult:
        contract = lock_contract_by_no(inst.pk, contract_no)
        if contract is None:
            raise FundsRefused(
                f"机构没有编号为“{contract_no}”的合同（合同须先缴费）", code="unknown_contract"
            )
        state = _state(contract)
        state.check_not_before(timezone.localdate(occurred_at).isoformat())
        if confirmed:
            release = state.consume(centi, student_ref)
            accounts = institution_accounts(inst.pk)
            event = _event(
                key=key,
                kind=EventKind.CONSUMPTION,
                occurred_at=occurred_at,
                institution_id=inst.pk,
                fp=fp,
                source=source,
                actor=actor,
                contract=contract,
                student_ref=student_ref,
                hours_centi=centi,
            )
            _release(contract, state, event, release, accounts)
            _store_state(contract, state, closed_at=occurred_at)
            return OperationResult(event=event, created=True, contract=contract, amount_fen=release)
        state.hold(centi, student_ref)
        event = _event(
            key=key,
            kind=EventKind.CONSUMPTION,
            occurred_at=occurred_at,
            institution_id=inst.pk,
            fp=fp,
            source=source,
            actor=actor,
            contract=contract,
            student_ref=student_ref,
            hours_centi=centi,
            note="课时登记，待家长确认",
        )
        lesson = Lesson.objects.create(
            contract=contract,
            event=event,
            hours=centi_to_decimal(centi),
            recorded_at=occurred_at,
            due_on=_workday_deadline(occurred_at, rules.AUTO_CONFIRM_DAYS.key, contract.county_id),
        )
        _store_state(contract, state)
        return OperationResult(event=event, created=True, contract=contract, lesson=lesson)

    def replay(event: FundEvent) -> OperationResult:
        lesson = Lesson.objects.filter(event=event).first()
        released = sum(
            int(amount)
            for amount in Transfer.objects.filter(
                contract=event.contract, event=event, kind=TransferKind.RELEASE_CASH
            ).values_list("amount_fen", flat=True)
        )
        return OperationResult(
            event=event, created=False, contract=event.contract, amount_fen=released, lesson=lesson
        )

    return _idempotent(key, fp, operation, replay)


def _refund_locked(
    contract: Contract,
    *,
    key: str,
    fp: str,
    amount_fen: int | None,
    student_ref: str,
    occurred_at: dt.datetime,
    source: str,
    actor: Any,
) -> OperationResult:
    state = _state(contract)
    state.check_not_before(timezone.localdate(occurred_at).isoformat())
    refund = state.refund(amount_fen, student_ref)
    accounts = institution_accounts(contract.institution_id)
    event = _event(
        key=key,
        kind=EventKind.REFUND,
        occurred_at=occurred_at,
        institution_id=contract.institution_id,
        fp=fp,
        source=source,
        actor=actor,
        contract=contract,
        student_ref=contract.student_ref,
        amount_fen=refund,
    )
    liability = contract.liability_account.pk
    _post(
        event,
        TransferKind.REFUND_CASH,
        institution_id=contract.institution_id,
        contract_id=contract.pk,
        debit=accounts[AccountKind.REFUNDED],
        credit=accounts[AccountKind.CUSTODY],
        amount=refund,
    )
    _post(
        event,
        TransferKind.REFUND_DISCHARGE,
        institution_id=contract.institution_id,
        contract_id=contract.pk,
        debit=liability,
        credit=accounts[AccountKind.DISCHARGED],
        amount=refund,
    )
    now = timezone.now()
    for lesson in contract.lessons.filter(status__in=[LessonStatus.PENDING, LessonStatus.DISPUTED]):
        lesson.status = LessonStatus.VOIDED
        lesson.decided_at = now
        save_audited(
            lesson, user=actor, reason="合同退费，未确认课时作废", update_fields=["status", "decided_at"]
        )
    for request in contract.refund_requests.filter(status=RefundRequestStatus.REQUESTED):
        request.status = RefundRequestStatus.APPROVED
        request.decided_at = now
        request.refund_event = event
        request.answer = request.answer or "已退费"
        request.save(update_fields=["status", "decided_at", "refund_event", "answer"])
    _store_state(contract, state, closed_at=occurred_at)
    return OperationResult(event=event, created=True, contract=contract, amount_fen=refund)


def refund_record(
    *,
    key: str,
    institution: Institution | str,
    contract_no: str,
    student_ref: str,
    amount_fen: int | None,
    occurred_at: dt.datetime,
    source: str = EventSource.API,
    actor: Any = None,
) -> OperationResult:
    """Refund the whole remaining balance of a contract (退费) and close it.

    Posts two transfers: custody → refunds paid out (cash), liability → discharged (claim); pending
    and disputed lessons are voided and an open refund request is marked approved. ``amount_fen``,
    when given, must equal the remaining balance. Refuses unknown, refunded or completed contracts.
    """
    key = _check_key(key)
    inst = _institution(institution)
    contract_no = str(contract_no or "").strip()
    student_ref = str(student_ref or "").strip()
    amount = _positive_fen(amount_fen, required=False)
    fp = fingerprint(
        EventKind.REFUND, local_text(occurred_at), inst.credit_code, contract_no, student_ref, amount, None
    )

    def operation() -> OperationResult:
        contract = lock_contract_by_no(inst.pk, contract_no)
        if contract is None:
            raise FundsRefused(
                f"机构没有编号为“{contract_no}”的合同（合同须先缴费）", code="unknown_contract"
            )
        return _refund_locked(
            contract,
            key=key,
            fp=fp,
            amount_fen=amount,
            student_ref=student_ref,
            occurred_at=occurred_at,
            source=source,
            actor=actor,
        )

    def replay(event: FundEvent) -> OperationResult:
        return OperationResult(
            event=event, created=False, contract=event.contract, amount_fen=event.amount_fen or 0
        )

    return _idempotent(key, fp, operation, replay)


def reserve_deposit(
    *,
    key: str,
    institution: Institution | str,
    amount_fen: int,
    occurred_at: dt.datetime,
    source: str = EventSource.API,
    actor: Any = None,
) -> OperationResult:
    """Post a risk-reserve deposit (风险保证金缴存): institution's own funds → its reserve account.

    For counties that use a risk reserve instead of (or beside) bank custody (RULES.md §1.4; the
    amount or ratio is local policy, NOT FOUND nationally, so it is not checked here).
    """
    key = _check_key(key)
    inst = _institution(institution)
    amount = _positive_fen(amount_fen, required=True)
    assert amount is not None
    fp = fingerprint(
        EventKind.RESERVE_DEPOSIT, local_text(occurred_at), inst.credit_code, "", "", amount, None
    )

    def operation() -> OperationResult:
        accounts = institution_accounts(inst.pk)
        event = _event(
            key=key,
            kind=EventKind.RESERVE_DEPOSIT,
            occurred_at=occurred_at,
            institution_id=inst.pk,
            fp=fp,
            source=source,
            actor=actor,
            amount_fen=amount,
        )
        _post(
            event,
            TransferKind.RESERVE_DEPOSIT,
            institution_id=inst.pk,
            debit=accounts[AccountKind.RESERVE],
            credit=accounts[AccountKind.OWN_FUNDS],
            amount=amount,
        )
        return OperationResult(event=event, created=True, amount_fen=amount)

    return _idempotent(
        key, fp, operation, lambda e: OperationResult(event=e, created=False, amount_fen=e.amount_fen)
    )


def transfer_correct(*, transfer: Transfer, key: str, reason: str, actor: Any = None) -> OperationResult:
    """Correct a mistaken risk-reserve transfer by a new transfer that reverses it (更正/冲销).

    The original stays in the ledger; the correction references it (``corrects``), so it can be
    corrected once. Contract movements are not corrected this way: their counterpart is a business
    operation (a refund), which keeps the contract's counters and the ledger in step.
    """
    key = _check_key(key)
    reason = str(reason or "").strip()
    if not reason:
        raise FundsRefused("更正须说明理由", code="invalid")
    if transfer.kind != TransferKind.RESERVE_DEPOSIT:
        raise FundsRefused(
            "只有风险保证金转账可以冲销更正；合同资金的差错请通过退费等业务处理", code="invalid"
        )
    fp = fingerprint(
        EventKind.CORRECTION,
        local_text(transfer.occurred_at),
        str(transfer.pk),
        "",
        "",
        transfer.amount_fen,
        None,
    )

    def operation() -> OperationResult:
        if Transfer.objects.filter(corrects=transfer).exists():
            raise FundsRefused("该转账已被更正过", code="duplicate")
        now = timezone.now()
        event = _event(
            key=key,
            kind=EventKind.CORRECTION,
            occurred_at=now,
            institution_id=transfer.institution_id,
            fp=fp,
            source=EventSource.WEB,
            actor=actor,
            amount_fen=transfer.amount_fen,
            note=reason,
        )
        _post(
            event,
            TransferKind.CORRECTION,
            institution_id=transfer.institution_id,
            debit=transfer.credit_id,
            credit=transfer.debit_id,
            amount=transfer.amount_fen,
            corrects=transfer,
        )
        return OperationResult(event=event, created=True, amount_fen=transfer.amount_fen)

    return _idempotent(
        key, fp, operation, lambda e: OperationResult(event=e, created=False, amount_fen=e.amount_fen)
    )


# --- online flow (RULES.md §1.5) ---------------------------------------------------------------------
def _lesson_release(
    lesson: Lesson, contract: Contract, *, status: str, now: dt.datetime, actor: Any, reason: str
) -> Lesson:
    state = _state(contract)
    centi = decimal_to_centi(lesson.hours)
    release = state.consume(centi, from_pending=True)
    key = f"LESSON-{lesson.pk}-RELEASE"
    fp = fingerprint(
        EventKind.CONSUMPTION,
        local_text(now),
        contract.institution.credit_code,
        contract.contract_no,
        contract.student_ref,
        None,
        centi,
    )
    event = _event(
        key=key,
        kind=EventKind.CONSUMPTION,
        occurred_at=now,
        institution_id=contract.institution_id,
        fp=fp,
        source=EventSource.SYSTEM if actor is None else EventSource.WEB,
        actor=actor,
        contract=contract,
        student_ref=contract.student_ref,
        hours_centi=centi,
        note=reason,
    )
    _release(contract, state, event, release, institution_accounts(contract.institution_id))
    _store_state(contract, state, closed_at=now)
    lesson.status = status
    lesson.decided_at = now
    lesson.release_event = event
    save_audited(lesson, user=actor, reason=reason, update_fields=["status", "decided_at", "release_event"])
    return lesson


def _locked_lesson(lesson_id: int) -> tuple[Lesson, Contract]:
    lesson = Lesson.objects.get(pk=lesson_id)
    contract = lock_contract(lesson.contract_id)
    lesson.refresh_from_db()
    return lesson, contract


@transaction.atomic
def lesson_confirm(*, lesson_id: int, now: dt.datetime | None = None, actor: Any = None) -> Lesson:
    """The parent confirms a pending lesson: its hours are consumed and the release is posted.

    Confirming an already confirmed lesson is a no-op. Refuses a disputed or voided lesson.
    """
    now = now or timezone.now()
    lesson, contract = _locked_lesson(lesson_id)
    if lesson.status in (LessonStatus.CONFIRMED, LessonStatus.AUTO_CONFIRMED):
        return lesson
    if lesson.status != LessonStatus.PENDING:
        raise FundsRefused(f"该课时状态为“{lesson.get_status_display()}”，不能确认", code="invalid_state")
    return _lesson_release(
        lesson, contract, status=LessonStatus.CONFIRMED, now=now, actor=actor, reason="家长确认课时"
    )


@transaction.atomic
def lesson_dispute(*, lesson_id: int, reason: str, now: dt.datetime | None = None) -> Lesson:
    """The parent disputes a pending lesson: the release is held until a regulator resolves it."""
    reason = str(reason or "").strip()
    if not reason:
        raise FundsRefused("请填写异议理由", code="invalid")
    lesson, _contract = _locked_lesson(lesson_id)
    if lesson.status == LessonStatus.DISPUTED:
        return lesson
    if lesson.status != LessonStatus.PENDING:
        raise FundsRefused(f"该课时状态为“{lesson.get_status_display()}”，不能提出异议", code="invalid_state")
    lesson.status = LessonStatus.DISPUTED
    lesson.dispute_reason = reason[:300]
    lesson.decided_at = now or timezone.now()
    save_audited(
        lesson, user=None, reason="家长提出异议", update_fields=["status", "dispute_reason", "decided_at"]
    )
    return lesson


@transaction.atomic
def lesson_dispute_resolve(
    *, lesson_id: int, release: bool, actor: Any, now: dt.datetime | None = None
) -> Lesson:
    """A regulator resolves a disputed lesson: release it (the lesson was given) or void it."""
    now = now or timezone.now()
    lesson, contract = _locked_lesson(lesson_id)
    if lesson.status != LessonStatus.DISPUTED:
        raise FundsRefused("只能处理有异议的课时", code="invalid_state")
    if release:
        return _lesson_release(
            lesson,
            contract,
            status=LessonStatus.CONFIRMED,
            now=now,
            actor=actor,
            reason="监管部门裁定：课时属实，划拨",
        )
    state = _state(contract)
    state.unhold(decimal_to_centi(lesson.hours))
    _store_state(contract, state)
    lesson.status = LessonStatus.VOIDED
    lesson.decided_at = now
    save_audited(
        lesson, user=actor, reason="监管部门裁定：课时不成立，作废", update_fields=["status", "decided_at"]
    )
    return lesson


@transaction.atomic
def refund_request_create(
    *, contract_id: int, reason: str = "", now: dt.datetime | None = None
) -> RefundRequest:
    """A parent asks for a refund (退费申请); auto-approved after the rule's working days without answer."""
    now = now or timezone.now()
    contract = lock_contract(contract_id)
    if contract.status != ContractStatus.OPEN:
        raise FundsRefused(f"合同状态为“{contract.get_status_display()}”，不能申请退费", code="closed")
    if contract.balance_fen <= 0:
        raise FundsRefused("合同剩余余额为0，没有可退金额", code="nothing_to_refund")
    existing = contract.refund_requests.filter(status=RefundRequestStatus.REQUESTED).first()
    if existing is not None:
        return existing
    return RefundRequest.objects.create(
        contract=contract,
        reason=str(reason or "").strip()[:300],
        requested_at=now,
        due_on=_workday_deadline(now, rules.AUTO_REFUND_DAYS.key, contract.county_id),
    )


@transaction.atomic
def refund_request_answer(
    *,
    request_id: int,
    approve: bool,
    answer: str = "",
    actor: Any = None,
    now: dt.datetime | None = None,
    auto: bool = False,
) -> RefundRequest:
    """The institution answers a refund request: approval refunds the whole remaining balance."""
    now = now or timezone.now()
    request = RefundRequest.objects.get(pk=request_id)
    contract = lock_contract(request.contract_id)
    request.refresh_from_db()
    if request.status != RefundRequestStatus.REQUESTED:
        return request
    if not approve:
        answer = str(answer or "").strip()
        if not answer:
            raise FundsRefused("不同意退费须说明理由", code="invalid")
        request.status = RefundRequestStatus.REJECTED
        request.answer = answer[:300]
        request.decided_at = now
        save_audited(
            request, user=actor, reason="机构不同意退费", update_fields=["status", "answer", "decided_at"]
        )
        return request
    key = f"REFUND-REQUEST-{request.pk}"
    fp = fingerprint(
        EventKind.REFUND,
        local_text(now),
        contract.institution.credit_code,
        contract.contract_no,
        contract.student_ref,
        None,
        None,
    )
    result = _refund_locked(
        contract,
        key=key,
        fp=fp,
        amount_fen=None,
        student_ref=contract.student_ref,
        occurred_at=now,
        source=EventSource.SYSTEM if auto else EventSource.WEB,
        actor=actor,
    )
    request.refresh_from_db()
    request.status = RefundRequestStatus.AUTO_APPROVED if auto else RefundRequestStatus.APPROVED
    request.answer = answer[:300] if answer else ("逾期未答复，自动同意" if auto else "同意退费")
    request.decided_at = now
    request.refund_event = result.event
    save_audited(
        request,
        user=actor,
        reason=request.answer,
        update_fields=["status", "answer", "decided_at", "refund_event"],
    )
    return request


def funds_tick(*, now: dt.datetime | None = None) -> TickReport:
    """Run the timers of the online flow; safe to run any number of times.

    Lessons still pending after their ``due_on`` are confirmed automatically (RULES.md §1.5: 15
    working days by default); refund requests unanswered after their ``due_on`` are approved
    automatically (5 working days by default). Each item is its own transaction.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    report = TickReport()
    for lesson_id in Lesson.objects.filter(status=LessonStatus.PENDING, due_on__lt=today).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            lesson, contract = _locked_lesson(lesson_id)
            if lesson.status == LessonStatus.PENDING:
                _lesson_release(
                    lesson,
                    contract,
                    status=LessonStatus.AUTO_CONFIRMED,
                    now=now,
                    actor=None,
                    reason="家长逾期未确认，自动确认",
                )
                report.lessons_confirmed += 1
    for request_id in RefundRequest.objects.filter(
        status=RefundRequestStatus.REQUESTED, due_on__lt=today
    ).values_list("pk", flat=True):
        request = refund_request_answer(request_id=request_id, approve=True, now=now, auto=True)
        if request.status == RefundRequestStatus.AUTO_APPROVED and request.decided_at == now:
            report.refunds_approved += 1
    calendar = WorkdayCalendar()
    calendar.is_working_day(today)
    report.warnings.extend(calendar.warnings)
    return report


def hours_decimal(value: Any) -> Decimal:
    """Validated class hours as a Decimal with 2 places (for forms and serializers)."""
    return centi_to_decimal(hours_to_centi(value))


def funds_tick_job(day: dt.date) -> tuple[dict[str, int], list[str]]:
    """The daily job ``funds_tick`` (00:30, registered in :mod:`shuangjian.common.operations`):
    :func:`funds_tick` as counts ``{"lessons_confirmed", "refunds_approved"}`` and its warnings.
    ``day`` is the Shanghai day the run stands for (the tick acts on everything overdue now)."""
    report = funds_tick()
    return {
        "lessons_confirmed": report.lessons_confirmed,
        "refunds_approved": report.refunds_approved,
    }, list(report.warnings)
