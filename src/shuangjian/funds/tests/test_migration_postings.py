"""Migration 0003 (postings derived from transfers) on a ledger that already holds data: back to the
stored posting table and forward again, on the real database (SQLite or PostgreSQL)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from shuangjian.funds.models import AccountKind, Transfer

from .conftest import at

# Transactional (schema changes cannot run inside a test transaction): `make test` only, not test-fast.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
BEFORE = [("funds", "0002_append_only_triggers")]


def _postings() -> list[tuple[int, int, int]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT transfer_id, account_id, amount_fen FROM funds_posting ORDER BY 1, 3")
        return [tuple(row) for row in cursor.fetchall()]


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def test_postings_table_and_back(pay, institution, capsys):
    from shuangjian.funds.services import consumption_record, refund_record, reserve_deposit, transfer_correct

    pay("HT001")
    pay("HT002", fen=120_000, hours=12)
    consumption_record(
        key="C1",
        institution=institution,
        contract_no="HT001",
        student_ref="XS001",
        hours=3,
        occurred_at=at("2024-03-05"),
        confirmed=True,
    )
    refund_record(
        key="R1",
        institution=institution,
        contract_no="HT002",
        student_ref="XS001",
        amount_fen=None,
        occurred_at=at("2024-03-06"),
    )
    deposit = reserve_deposit(
        key="D1", institution=institution, amount_fen=50_000, occurred_at=at("2024-03-07")
    )
    transfer_correct(transfer=deposit.event.transfers.get(), key="D1-FIX", reason="金额录入错误")
    sides = {t.pk: (t.debit_id, t.credit_id, t.amount_fen) for t in Transfer.objects.all()}
    derived = _postings()
    assert (
        len(derived) == 2 * len(sides) == 2 * 8
    )  # payments 1 + 1, consumption 2, refund 2, deposit 1, correction 1
    leaf = [key for key in MigrationExecutor(connection).loader.graph.leaf_nodes() if key[0] == "funds"]
    try:
        _migrate(BEFORE)  # the stored table of 0002, filled from the transfers
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM funds_posting WHERE amount_fen = 0")
            assert cursor.fetchone()[0] == 0
        assert _postings() == derived
        _migrate(leaf)  # forward again: each transfer takes its accounts from its stored postings
    finally:
        _migrate(leaf)
    assert {t.pk: (t.debit_id, t.credit_id, t.amount_fen) for t in Transfer.objects.all()} == sides
    assert _postings() == derived
    custody = Transfer.objects.filter(debit__kind=AccountKind.CUSTODY).count()
    assert custody == 2  # the two payments
    call_command("funds", "check")
    assert "全部不变量成立" in capsys.readouterr().out
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE funds_transfer SET amount_fen = 1")  # the append-only trigger is back
