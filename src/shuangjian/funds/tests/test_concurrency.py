"""Concurrency on PostgreSQL: several processes consume (and refund) the same contracts at once.

Row locks (lock_objects.py, SELECT … FOR UPDATE in pk order) must make every consumption see the
committed counters: afterwards no contract is overdrawn, no accepted consumption is lost, and
`funds check` holds. SQLite serialises writers with BEGIN IMMEDIATE instead (settings), so this test
needs a PostgreSQL DATABASE_URL and skips otherwise.
"""

from __future__ import annotations

import multiprocessing
import os

import pytest
from django.db import connection

pytestmark = [pytest.mark.postgres_only, pytest.mark.processes, pytest.mark.django_db(transaction=True)]

CONTRACTS = ["HTC1", "HTC2", "HTC3"]
HOURS = 40


def _worker(database_url: str, credit_code: str, seed: int, attempts: int) -> dict:
    """Runs in a fresh process: hammer the contracts; return accepted hours per contract."""
    import datetime as dt
    import random

    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuangjian.settings.test")
    import django

    django.setup()
    from shuangjian.funds.ledger import FundsRefused
    from shuangjian.funds.services import consumption_record, refund_record

    rng = random.Random(seed)
    accepted = {number: 0 for number in CONTRACTS}
    refunded = []
    refused = 0
    moment = dt.datetime(2024, 3, 1, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    for i in range(attempts):
        number = rng.choice(CONTRACTS)
        moment += dt.timedelta(minutes=1)
        try:
            if seed == 0 and i == attempts // 2:
                refund_record(
                    key=f"W{seed}-{i}",
                    institution=credit_code,
                    contract_no="HTC3",
                    student_ref="XS1",
                    amount_fen=None,
                    occurred_at=moment,
                )
                refunded.append("HTC3")
                continue
            hours = rng.choice((1, 2, 3))
            consumption_record(
                key=f"W{seed}-{i}",
                institution=credit_code,
                contract_no=number,
                student_ref="XS1",
                hours=hours,
                occurred_at=moment,
                confirmed=True,
            )
            accepted[number] += hours
        except FundsRefused:
            refused += 1
    return {"accepted": accepted, "refused": refused, "refunded": refunded}


def test_concurrent_consumption_never_overdraws_nor_loses_updates():
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL (DATABASE_URL=postgres://…): SQLite serialises writers with BEGIN IMMEDIATE"
        )
    import datetime as dt

    from shuangjian.common.testing import make_institution
    from shuangjian.funds.models import Contract
    from shuangjian.funds.selectors import ledger_check
    from shuangjian.funds.services import payment_record
    from shuangjian.regions.services import regions_load

    regions_load()
    institution = make_institution("430102")
    for number in CONTRACTS:
        payment_record(
            key=f"P-{number}",
            institution=institution,
            contract_no=number,
            student_ref="XS1",
            hours=HOURS,
            amount_fen=HOURS * 3333,
            occurred_at=dt.datetime(2024, 3, 1, 8, tzinfo=dt.timezone(dt.timedelta(hours=8))),
        )
    settings = connection.settings_dict
    url = (
        f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/"
        f"{settings['NAME']}"
    )
    connection.close()
    context = multiprocessing.get_context("spawn")
    with context.Pool(4) as pool:
        results = pool.starmap(_worker, [(url, institution.credit_code, seed, 40) for seed in range(4)])
    accepted = {number: sum(r["accepted"][number] for r in results) for number in CONTRACTS}
    assert sum(r["refused"] for r in results) > 0, "the contracts should have run out of hours"
    for contract in Contract.objects.filter(contract_no__in=CONTRACTS):
        # No lost update: every accepted consumption is in the counters; no overdraw.
        assert contract.hours_consumed == accepted[contract.contract_no]
        assert contract.hours_consumed <= contract.hours_total
        assert contract.balance_fen >= 0
    # The refund either won the race (contract refunded: its balance went back) or came after the
    # other workers had consumed every hour (refused: nothing left to refund).
    htc3 = Contract.objects.get(contract_no="HTC3")
    if any(r["refunded"] for r in results):
        assert htc3.status == "REFUNDED" and htc3.refunded_fen == htc3.paid_fen - htc3.released_fen
    else:
        assert htc3.status == "COMPLETED" and htc3.refunded_fen == 0
    problems, _ = ledger_check()
    assert problems == []
