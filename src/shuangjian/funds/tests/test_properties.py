"""Property-based (stateful) test: random sequences of ledger operations — including refused ones,
repeated idempotency keys and conflicting ones — keep every invariant after every step.

Runs on whichever database DATABASE_URL selects (SQLite by default, PostgreSQL in CI's second run).
Each example runs inside a transaction that is rolled back afterwards.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from shuangjian.common.testing import make_institution
from shuangjian.funds import services
from shuangjian.funds.ledger import FundsRefused, IdempotencyConflict
from shuangjian.funds.models import Contract, FundEvent, Lesson, LessonStatus, Posting, Transfer
from shuangjian.funds.selectors import ledger_check

SH = dt.timezone(dt.timedelta(hours=8))


def snapshot():
    return (
        FundEvent.objects.count(),
        Transfer.objects.count(),
        Posting.objects.count(),
        sorted(
            Contract.objects.values_list(
                "pk", "hours_consumed", "hours_pending", "released_fen", "refunded_fen", "status"
            )
        ),
        sorted(Lesson.objects.values_list("pk", "status")),
    )


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.institutions = [make_institution("430102"), make_institution("430405")]
        self.clock = dt.datetime(2024, 3, 1, 9, 0, tzinfo=SH)
        self.n = 0
        self.contracts: list[tuple[int, str]] = []  # (institution index, contract_no)
        self.done: list[tuple] = []  # (service, kwargs) of applied operations, for replays
        self.refusals = 0

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # -- helpers -----------------------------------------------------------------------------
    def tick_clock(self, minutes=37):
        self.clock += dt.timedelta(minutes=minutes)
        return self.clock

    def attempt(self, service, **kwargs):
        """Run an operation; a refusal must leave the ledger exactly as it was."""
        before = snapshot()
        try:
            result = service(**kwargs)
        except FundsRefused:
            self.refusals += 1
            assert snapshot() == before, "a refused operation changed the ledger"
            return None
        self.done.append((service, kwargs))
        return result

    def target(self, index):
        inst, number = self.contracts[index % len(self.contracts)]
        contract = Contract.objects.get(institution=self.institutions[inst], contract_no=number)
        return self.institutions[inst], contract

    # -- operations ----------------------------------------------------------------------------
    @rule(inst=st.integers(0, 1), hours=st.integers(1, 80), fen=st.integers(1, 900_000), reuse=st.booleans())
    def pay(self, inst, hours, fen, reuse):
        self.n += 1
        number = self.contracts[-1][1] if reuse and self.contracts else f"HT{self.n:04d}"
        result = self.attempt(
            services.payment_record,
            key=f"K{self.n}",
            institution=self.institutions[inst],
            contract_no=number,
            student_ref="XS1",
            hours=hours,
            amount_fen=fen,
            occurred_at=self.tick_clock(),
        )
        if result is not None and (inst, number) not in self.contracts:
            self.contracts.append((inst, number))

    @precondition(lambda self: self.contracts)
    @rule(
        index=st.integers(0, 50),
        hours=st.sampled_from([1, 1, 2, 3, 5, "0.5", "0.25", 100]),
        confirmed=st.booleans(),
        student=st.sampled_from(["XS1", "XS1", "XS1", "XS9"]),
    )
    def consume(self, index, hours, confirmed, student):
        institution, contract = self.target(index)
        self.n += 1
        self.attempt(
            services.consumption_record,
            key=f"K{self.n}",
            institution=institution,
            contract_no=contract.contract_no,
            student_ref=student,
            hours=hours,
            occurred_at=self.tick_clock(),
            confirmed=confirmed,
        )

    @precondition(lambda self: self.contracts)
    @rule(index=st.integers(0, 50), exact=st.sampled_from([None, True, False]))
    def refund(self, index, exact):
        institution, contract = self.target(index)
        amount = None if exact is None else (contract.balance_fen if exact else contract.balance_fen + 1)
        self.n += 1
        self.attempt(
            services.refund_record,
            key=f"K{self.n}",
            institution=institution,
            contract_no=contract.contract_no,
            student_ref="XS1",
            amount_fen=amount or None,
            occurred_at=self.tick_clock(),
        )

    @precondition(lambda self: Lesson.objects.filter(status=LessonStatus.PENDING).exists())
    @rule(dispute=st.booleans())
    def parent_answers(self, dispute):
        lesson = Lesson.objects.filter(status=LessonStatus.PENDING).order_by("?").first()
        if dispute:
            services.lesson_dispute(lesson_id=lesson.pk, reason="没上课")
        else:
            services.lesson_confirm(lesson_id=lesson.pk, now=self.tick_clock())

    @precondition(lambda self: Lesson.objects.filter(status=LessonStatus.DISPUTED).exists())
    @rule(release=st.booleans())
    def regulator_resolves(self, release):
        lesson = Lesson.objects.filter(status=LessonStatus.DISPUTED).first()
        services.lesson_dispute_resolve(
            lesson_id=lesson.pk, release=release, actor=None, now=self.tick_clock()
        )

    @precondition(lambda self: self.contracts)
    @rule(index=st.integers(0, 50))
    def parent_asks_refund(self, index):
        _institution, contract = self.target(index)
        self.attempt(services.refund_request_create, contract_id=contract.pk, now=self.tick_clock())

    @rule(days=st.integers(0, 40))
    def tick(self, days):
        now = self.tick_clock(days * 24 * 60)
        services.funds_tick(now=now)
        again = snapshot()
        services.funds_tick(now=now)
        assert snapshot() == again, "a second tick at the same moment changed something"

    @precondition(lambda self: self.done)
    @rule(index=st.integers(0, 200))
    def replay_same_key(self, index):
        service, kwargs = self.done[index % len(self.done)]
        if "key" not in kwargs:
            return
        before = snapshot()
        result = service(**kwargs)
        assert result.created is False
        assert snapshot() == before

    @precondition(lambda self: self.done)
    @rule(index=st.integers(0, 200))
    def reuse_key_with_other_content(self, index):
        service, kwargs = self.done[index % len(self.done)]
        if "key" not in kwargs:
            return
        changed = dict(kwargs, occurred_at=kwargs["occurred_at"] + dt.timedelta(seconds=1))
        before = snapshot()
        with pytest.raises(IdempotencyConflict):
            service(**changed)
        assert snapshot() == before

    @invariant()
    def ledger_invariants_hold(self):
        problems, _ = ledger_check()
        assert problems == []
        for contract in Contract.objects.all():
            assert contract.balance_fen >= 0
            assert contract.released_fen + contract.refunded_fen <= contract.paid_fen


@pytest.mark.django_db
def test_random_operation_sequences_keep_the_ledger_consistent():
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=10,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
            derandomize=True,
        ),
    )
