"""Realistic fund-event files (托管账户流水) for the demo, the benchmark and tests.

:func:`generate_events` yields rows in the DESIGN.md column order, every one valid against the
ledger rules when applied in order: contracts open with a payment, are consumed lesson by lesson,
some are refunded, a few prepay more than the 60-hour limit (recorded, and raising a violation).

The file contract itself — :data:`HEADER`, :func:`yuan_text` for 金额 and :func:`write_csv` — is the
one every fund-event file is written with, the demo province's statement (``shuangjian.demo.funds``,
calibrated to the provincial figures) included.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterator, Sequence
from pathlib import Path

HEADER = ["流水号", "发生时间", "统一社会信用代码", "合同编号", "学员编号", "类型", "金额", "课时"]


def yuan_text(fen: int) -> str:
    """金额 as the file writes it: yuan with two decimals from integer fen (``123456`` → ``"1234.56"``)."""
    return f"{fen // 100}.{fen % 100:02d}"


def generate_events(
    credit_codes: Sequence[str],
    n_events: int,
    *,
    seed: int = 7,
    start: dt.datetime | None = None,
    key_prefix: str = "LS",
    contract_prefix: str = "HT",
) -> Iterator[list[str]]:
    """Yield ``n_events`` rows [流水号, 发生时间, 统一社会信用代码, 合同编号, 学员编号, 类型, 金额, 课时].

    Times increase (a few seconds apart) from ``start`` (default 2024-03-01 08:00 Shanghai time).
    About one row in five opens a contract, one in fifty refunds one; the rest are 消课.
    """
    rng = random.Random(seed)
    moment = start or dt.datetime(2024, 3, 1, 8, 0, 0)  # noqa: DTZ001 - Shanghai wall-clock text
    open_contracts: list[list] = []  # [code, contract_no, student, hours_left]
    contract_seq = 0
    for n in range(n_events):
        moment += dt.timedelta(seconds=rng.randint(1, 40))
        stamp = moment.strftime("%Y-%m-%d %H:%M:%S")
        key = f"{key_prefix}{n:010d}"
        roll = rng.random()
        if not open_contracts or roll < 0.2 or len(open_contracts) < 50:
            contract_seq += 1
            code = credit_codes[rng.randrange(len(credit_codes))]
            hours = rng.choice((10, 12, 16, 20, 24, 30, 40, 48, 60)) if rng.random() > 0.01 else 72
            price = rng.choice((4500, 6000, 8000, 9950, 12000, 15000, 19999))  # fen per hour
            amount = hours * price
            contract_no = f"{contract_prefix}{contract_seq:08d}"
            student = f"XS{rng.randrange(10**9):09d}"
            open_contracts.append([code, contract_no, student, hours])
            yield [
                key,
                stamp,
                code,
                contract_no,
                student,
                "缴费",
                yuan_text(amount),
                str(hours),
            ]
            continue
        index = rng.randrange(len(open_contracts))
        code, contract_no, student, left = open_contracts[index]
        if roll < 0.22:
            open_contracts[index] = open_contracts[-1]
            open_contracts.pop()
            yield [key, stamp, code, contract_no, student, "退费", "", ""]
            continue
        hours = min(left, rng.choice((1, 1, 2, 2, 3)))
        left -= hours
        if left == 0:
            open_contracts[index] = open_contracts[-1]
            open_contracts.pop()
        else:
            open_contracts[index][3] = left
        yield [key, stamp, code, contract_no, student, "消课", "", str(hours)]


def write_csv(
    path: Path | str, rows: Iterator[list[str]] | Sequence[list[str]], *, encoding: str = "utf-8"
) -> int:
    """Write a fund-events CSV (header first); returns the number of data rows."""
    count = 0
    with open(path, "w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count
