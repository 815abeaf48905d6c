"""Crafted records for the risk tests: an institution with a steady ledger history, plus extras."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from shuangjian.common.testing import make_institution

COUNTY = "430102"
TODAY = dt.date(2026, 6, 30)
_seq = itertools.count(1)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def steady_institution(
    *,
    county: str = COUNTY,
    days: int = 120,
    today: dt.date = TODAY,
    recent_pay_factor: float = 1.0,
    recent_hours_factor: float = 1.0,
    **fields,
):
    """An institution that sells one 60-hour package (¥3,000) every 6 days and consumes 16 hours
    every other day (8 a day) over ``days`` days up to ``today``. In the last 30 days sales and
    consumption are scaled by ``recent_*_factor`` (1.0 = steady: every signal stays quiet)."""
    from shuangjian.funds.services import consumption_record, payment_record

    inst = make_institution(county, fund_supervised=True, **fields)
    start = today - dt.timedelta(days=days)
    open_contracts: list[list] = []  # [contract_no, student, hours_left]
    pay_credit = hours_credit = 0.0
    for offset in range(1, days + 1):
        day = start + dt.timedelta(days=offset)
        recent = (today - day).days < 30
        pay_credit += (recent_pay_factor if recent else 1.0) / 6
        while pay_credit >= 1:
            pay_credit -= 1
            n = next(_seq)
            no, student = f"HT{inst.pk}-{n}", f"S{n}"
            payment_record(
                key=f"P{inst.pk}-{n}",
                institution=inst,
                contract_no=no,
                student_ref=student,
                hours=60,
                amount_fen=300_000,
                occurred_at=at(day, 9),
            )
            open_contracts.append([no, student, 60])
        hours_credit += 8 * (recent_hours_factor if recent else 1.0)
        if offset % 2:
            continue
        for contract in open_contracts:
            take = min(int(hours_credit), contract[2])
            if take <= 0:
                continue
            hours_credit -= take
            contract[2] -= take
            consumption_record(
                key=f"C{inst.pk}-{next(_seq)}",
                institution=inst,
                contract_no=contract[0],
                student_ref=contract[1],
                hours=take,
                occurred_at=at(day, 15),
                confirmed=True,
            )
        open_contracts = [c for c in open_contracts if c[2] > 0]
        hours_credit = min(hours_credit, 40)
    return inst


def custody_withdrawal(inst, *, amount_fen: int, day: dt.date) -> None:
    """Crafted ledger divergence: cash leaves the custody account to the institution's own funds
    without a lesson or refund (a bank-side special withdrawal the funds area does not offer)."""
    from shuangjian.funds.ledger import fingerprint
    from shuangjian.funds.models import AccountKind, EventSource
    from shuangjian.funds.services import _event, _post, institution_accounts

    accounts = institution_accounts(inst.pk)
    key = f"W{inst.pk}-{next(_seq)}"
    event = _event(
        key=key,
        kind="CORRECTION",
        occurred_at=at(day),
        institution_id=inst.pk,
        fp=fingerprint("W", key, inst.credit_code, "", "", amount_fen, None),
        source=EventSource.SYSTEM,
        actor=None,
        amount_fen=amount_fen,
        note="测试：托管资金被特殊划出",
    )
    _post(
        event,
        "CORRECTION",
        institution_id=inst.pk,
        debit=accounts[AccountKind.OWN_FUNDS],
        credit=accounts[AccountKind.CUSTODY],
        amount=amount_fen,
    )
