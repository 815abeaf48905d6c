"""The ledger rules as pure functions over a contract's state (no database).

Both the services (one operation under a row lock) and the fund-events importer (thousands of
operations simulated in memory, then written in bulk) apply operations through
:class:`ContractState`, so the two paths cannot disagree on a rule. Hours are held as integer
hundredths (``centi``): 12.5 class hours is 1250. Money is integer fen.

Rules (DESIGN.md "Fund events"):
- the cumulative release after c consumed hours of a contract paid P fen for H hours is
  round_half_up(P × c / H); consuming all H hours releases exactly P;
- consumption beyond the remaining hours, or on a refunded contract, is refused;
- a refund returns the whole remaining balance and closes the contract; a stated amount must
  equal it; nothing may follow it; a completed contract has nothing to refund.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from shuangjian.common.errors import DomainError

from .models import ContractStatus

CENTI = 100
# One event's amount at most ¥100,000,000 (10^10 fen): far above any prepayment, and low enough that
# sums over billions of events stay inside a 64-bit integer (the databases' BIGINT, SQLite's INTEGER).
MAX_AMOUNT_FEN = 10_000_000_000


# How far past the current time an event's 发生时间 may lie: the clocks of the custody bank, the
# institution's system and ours disagree by seconds, not by more.
FUTURE_TOLERANCE = dt.timedelta(minutes=5)


def latest_occurrence(now: dt.datetime) -> dt.datetime:
    """The latest 发生时间 an event may carry when recorded at ``now`` (aware datetime)."""
    return now + FUTURE_TOLERANCE


def check_not_future(occurred: dt.datetime, now: dt.datetime) -> None:
    """Refuse (``FundsRefused``, code ``future``) an event that claims to happen after ``now``
    (both aware datetimes): a custody statement records what has happened; a future-dated
    consumption would release money, and a future-dated payment stand in every figure, before the
    day came (DESIGN.md "Fund events": events apply in 发生时间 order)."""
    if occurred > latest_occurrence(now):
        raise FundsRefused(
            f"发生时间{occurred.isoformat(sep=' ', timespec='seconds')}晚于当前时间，流水不能发生在未来",
            code="future",
        )


class FundsRefused(DomainError):
    """An operation the ledger rules refuse; nothing was changed. ``str()`` is the Chinese reason,
    ``code`` the machine code of the API's 422 body."""

    code = "refused"


class IdempotencyConflict(FundsRefused):
    """The idempotency key (流水号) was already used for an operation with different content."""

    code = "idempotency_conflict"
    http_status = 409


def check_amount(fen: int, shown: str = "") -> int:
    """Return ``fen`` when it is a valid event amount: > 0 and at most :data:`MAX_AMOUNT_FEN`.

    Raises :class:`FundsRefused` (code ``invalid``) with a Chinese reason naming ``shown`` (the
    amount as the user wrote it) when given. One rule for the services and the importer.
    """
    if fen <= 0:
        raise FundsRefused("金额必须大于0", code="invalid")
    if fen > MAX_AMOUNT_FEN:
        raise FundsRefused(f"金额{f'“{shown}”' if shown else ''}过大（单笔上限1亿元）", code="invalid")
    return fen


def hours_to_centi(value: object) -> int:
    """Class hours (int, Decimal or text, > 0, at most 2 decimals) → hundredths of an hour.

    Raises :class:`FundsRefused` with a Chinese reason for anything else.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        centi = value * CENTI
    else:
        text = str(value).strip() if value is not None else ""
        if text.isdigit():
            centi = int(text) * CENTI
        else:
            try:
                number = Decimal(text)
            except (InvalidOperation, ValueError):
                raise FundsRefused(f"课时“{value}”不是有效数字", code="invalid") from None
            if not number.is_finite():
                raise FundsRefused(f"课时“{value}”不是有效数字", code="invalid")
            scaled = number * CENTI
            if scaled != scaled.to_integral_value():
                raise FundsRefused(f"课时“{value}”最多两位小数", code="invalid")
            centi = int(scaled)
    if centi <= 0:
        raise FundsRefused("课时必须大于0", code="invalid")
    if centi >= 10_000_000 * CENTI:
        raise FundsRefused(f"课时“{value}”过大", code="invalid")
    return centi


def centi_to_decimal(centi: int) -> Decimal:
    """Hundredths of an hour → Decimal hours with 2 places (1250 → Decimal('12.50'))."""
    return Decimal(centi).scaleb(-2)


def decimal_to_centi(value: Decimal | int | float) -> int:
    """A stored hours value (Decimal with 2 places) → hundredths."""
    return int((Decimal(str(value)) * CENTI).to_integral_value())


def hours_text(centi: int) -> str:
    """Display hours without trailing zeros: 1250 → "12.5", 1000 → "10"."""
    whole, part = divmod(centi, CENTI)
    if part == 0:
        return str(whole)
    return f"{whole}.{part:02d}".rstrip("0")


def cumulative_release(paid_fen: int, consumed_centi: int, total_centi: int) -> int:
    """round_half_up(P × c / H) in exact integer arithmetic (all operands ≥ 0, H > 0)."""
    return (2 * paid_fen * consumed_centi + total_centi) // (2 * total_centi)


def fingerprint(
    kind: str,
    occurred: str,
    credit_code: str,
    contract_no: str,
    student_ref: str,
    amount_fen: int | None,
    hours_centi: int | None,
) -> str:
    """SHA-1 of an operation's normalised content; ``occurred`` is Shanghai time "YYYY-MM-DD HH:MM:SS"."""
    raw = "|".join(
        (
            kind,
            occurred,
            credit_code,
            contract_no,
            student_ref,
            "" if amount_fen is None else str(amount_fen),
            "" if hours_centi is None else str(hours_centi),
        )
    )
    return hashlib.sha1(raw.encode()).hexdigest()  # noqa: S324 - a content fingerprint, not a password


def yuan(fen: int) -> str:
    """Fen as a yuan text for messages: 123456 → "1234.56元"."""
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100}.{fen % 100:02d}元"


@dataclass(slots=True)
class ContractState:
    """A contract's ledger-relevant state (fen, hundredths of hours)."""

    id: int | None
    institution_id: int
    contract_no: str
    student_ref: str
    paid: int
    hours_total: int
    consumed: int = 0
    pending: int = 0
    released: int = 0
    refunded: int = 0
    status: str = ContractStatus.OPEN
    dirty: bool = False
    is_new: bool = False
    start: str = ""  # the contract's payment day, ISO "YYYY-MM-DD" (Shanghai); "" when unknown

    @property
    def balance(self) -> int:
        return self.paid - self.released - self.refunded

    @property
    def hours_left(self) -> int:
        return self.hours_total - self.consumed - self.pending

    def check_not_before(self, day: str) -> None:
        """Refuse (``FundsRefused``, code ``before_payment``) an event dated ``day`` (ISO
        "YYYY-MM-DD", Shanghai) before the contract's payment day: a consumption or refund cannot
        precede the payment that opened the contract (DESIGN.md "Fund events": a contract is opened
        by its 缴费; the balance is never negative — also not as of an earlier day)."""
        if self.start and day < self.start:
            raise FundsRefused(
                f"发生日期{day}早于合同“{self.contract_no}”的缴费日期{self.start}", code="before_payment"
            )

    def _check_student(self, student_ref: str | None) -> None:
        if student_ref and student_ref != self.student_ref:
            raise FundsRefused(
                f"学员编号“{student_ref}”与合同“{self.contract_no}”登记的学员编号不符",
                code="student_mismatch",
            )

    def check_consume(
        self, hours: int, student_ref: str | None = None, *, from_pending: bool = False
    ) -> None:
        """Refuse a consumption of ``hours`` (hundredths) the contract cannot take."""
        self._check_student(student_ref)
        if self.status == ContractStatus.REFUNDED:
            raise FundsRefused(f"合同“{self.contract_no}”已退费，不能再消课", code="closed")
        if self.status == ContractStatus.COMPLETED:
            raise FundsRefused(f"合同“{self.contract_no}”课时已全部消完，不能再消课", code="closed")
        available = self.hours_left + (hours if from_pending else 0)
        if hours > available:
            raise FundsRefused(
                f"消课{hours_text(hours)}课时超出合同“{self.contract_no}”剩余课时{hours_text(max(available, 0))}",
                code="over_consumption",
            )

    def consume(self, hours: int, student_ref: str | None = None, *, from_pending: bool = False) -> int:
        """Consume ``hours``; returns the fen released by it (may be 0). Raises :class:`FundsRefused`."""
        self.check_consume(hours, student_ref, from_pending=from_pending)
        if from_pending:
            self.pending -= hours
        self.consumed += hours
        release = cumulative_release(self.paid, self.consumed, self.hours_total) - self.released
        self.released += release
        if self.consumed == self.hours_total:
            self.status = ContractStatus.COMPLETED
        self.dirty = True
        return release

    def hold(self, hours: int, student_ref: str | None = None) -> None:
        """Reserve ``hours`` for a lesson waiting for the parent's confirmation."""
        self.check_consume(hours, student_ref)
        self.pending += hours
        self.dirty = True

    def unhold(self, hours: int) -> None:
        """Give back hours of a voided pending lesson."""
        self.pending -= hours
        self.dirty = True

    def refund(self, amount_fen: int | None, student_ref: str | None = None) -> int:
        """Refund the whole remaining balance and close the contract; returns the fen refunded.

        ``amount_fen``, when given, must equal the remaining balance. Pending lesson hours are given
        back (the lessons are voided by the caller). Raises :class:`FundsRefused`.
        """
        self._check_student(student_ref)
        if self.status == ContractStatus.REFUNDED:
            raise FundsRefused(f"合同“{self.contract_no}”已退费，不能重复退费", code="closed")
        if self.status == ContractStatus.COMPLETED:
            raise FundsRefused(f"合同“{self.contract_no}”课时已全部消完，没有可退余额", code="closed")
        remaining = self.balance
        if remaining <= 0:
            raise FundsRefused(f"合同“{self.contract_no}”剩余余额为0，没有可退金额", code="nothing_to_refund")
        if amount_fen is not None and amount_fen != remaining:
            raise FundsRefused(
                f"退费金额{yuan(amount_fen)}与合同“{self.contract_no}”剩余余额{yuan(remaining)}不符"
                "（退费须退还全部剩余余额）",
                code="refund_mismatch",
            )
        self.refunded += remaining
        self.pending = 0
        self.status = ContractStatus.REFUNDED
        self.dirty = True
        return remaining
