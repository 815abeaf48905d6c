"""The custody bank statement (托管账户流水, DESIGN.md contract) of the demo province.

Contracts of supervised institutions from September 2022 to the as-of date: one 缴费 each (most
within the 60-hour cap, a few over it so that violations appear), weekly 消课, some 退费 of the
whole remaining balance (amount computed by the contract rule, so it matches). The at-risk
institutions show the run-up of a collapse in their last ten weeks: lessons thin out while new
prepayments keep arriving and refunds rise.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from shuangjian.common.text import round_half_up
from shuangjian.funds.generate import write_csv, yuan_text

from . import calibration as cal
from .institutions import DemoInstitution

SCALES = {"small": (260, 6), "province": (4000, 250)}  # (institutions with contracts, contracts each)


def generate_fund_events(
    institutions: list[DemoInstitution],
    at_risk: list[DemoInstitution],
    *,
    scale: str = "small",
    seed: int = 202209,
) -> list[list[str]]:
    """Rows of the statement, in time order (same result for the same inputs, scale and seed)."""
    rng = random.Random(seed)
    n_institutions, per_institution = SCALES[scale]
    eligible = [i for i in institutions if i.supervised and i.active_on(cal.AS_OF) and i not in at_risk]
    chosen = rng.sample(eligible, min(n_institutions, len(eligible))) + list(at_risk)
    risk_start = cal.AS_OF - dt.timedelta(weeks=10)
    events: list[tuple[dt.datetime, str, list[str]]] = []
    serial = 0

    def event(when: dt.datetime, row: list[str]) -> None:
        nonlocal serial
        serial += 1
        events.append((when, f"LS{when:%Y%m%d}{serial:08d}", row))

    for inst in chosen:
        risky = inst in at_risk
        count = per_institution * (3 if risky else 1)
        price = rng.choice([4000, 5000, 6000, 8000, 10000, 12000])  # fen per class hour
        for n in range(count):
            start = dt.date(2022, 9, 1) + dt.timedelta(
                days=rng.randint(0, (cal.AS_OF - dt.date(2022, 9, 1)).days - 7)
            )
            if risky and n >= per_institution:  # the extra prepayments arrive in the run-up
                start = risk_start + dt.timedelta(days=rng.randint(0, 60))
            hours = rng.choice([20, 24, 30, 40, 48, 60] + ([80] if rng.random() < 0.02 else []))
            paid = hours * price
            contract = f"HT{inst.credit_code[-8:]}{n:05d}"
            student = f"S{rng.getrandbits(40):010x}"
            base = [inst.credit_code, contract, student]
            when = dt.datetime.combine(start, dt.time(rng.randint(9, 19), rng.randint(0, 59)))
            event(when, base + ["缴费", yuan_text(paid), str(hours)])
            consumed = 0
            day = start + dt.timedelta(days=rng.randint(2, 7))
            refund_at = None
            if rng.random() < (0.35 if risky and start >= risk_start - dt.timedelta(days=30) else 0.05):
                refund_at = start + dt.timedelta(days=rng.randint(10, 70))
            while consumed < hours and day < cal.AS_OF:
                if refund_at and day >= refund_at:
                    break
                if risky and day >= risk_start and rng.random() < 0.8:
                    day += dt.timedelta(days=7)  # lessons stop happening
                    continue
                h = min(hours - consumed, rng.choice([1, 2, 2, 3]))
                consumed += h
                event(dt.datetime.combine(day, dt.time(rng.randint(9, 20), 0)), base + ["消课", "", str(h)])
                day += dt.timedelta(days=7)
            if refund_at and refund_at < cal.AS_OF and consumed < hours:
                balance = paid - round_half_up(paid * consumed, hours)
                event(dt.datetime.combine(refund_at, dt.time(15, 0)), base + ["退费", yuan_text(balance), ""])
    events.sort(key=lambda e: (e[0], e[1]))
    return [[serial_no, when.strftime("%Y-%m-%d %H:%M:%S")] + row for when, serial_no, row in events]


def write_fund_events_csv(rows: list[list[str]], path: Path) -> Path:
    """Write the DESIGN.md statement (UTF-8 CSV) through the fund-event writer; returns ``path``."""
    write_csv(path, rows)
    return path
