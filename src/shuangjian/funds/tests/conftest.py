"""Fixtures of the custody-ledger tests."""

from __future__ import annotations

import datetime as dt

import pytest

SH = dt.timezone(dt.timedelta(hours=8))


def at(day: str, time: str = "10:00") -> dt.datetime:
    """A Shanghai-time moment: at("2024-03-01", "09:30")."""
    return dt.datetime.fromisoformat(f"{day} {time}").replace(tzinfo=SH)


@pytest.fixture
def institution(db):
    from shuangjian.common.testing import make_institution

    return make_institution("430102", name="星光艺术培训学校")


@pytest.fixture
def pay(institution):
    """Open a contract: pay(no, hours=40, fen=400000, key=None, **extra)."""
    from shuangjian.funds.services import payment_record

    def factory(
        no: str = "HT001", *, hours=40, fen: int = 400_000, key: str | None = None, when=None, **extra
    ):
        return payment_record(
            key=key or f"P-{no}",
            institution=extra.pop("inst", institution),
            contract_no=no,
            student_ref=extra.pop("student", "XS001"),
            hours=hours,
            amount_fen=fen,
            occurred_at=when or at("2024-03-01"),
            **extra,
        )

    return factory


def assert_ledger_ok():
    from shuangjian.funds.selectors import ledger_check

    problems, _ = ledger_check()
    assert problems == []


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache: each test starts with a fresh budget."""
    from django.core.cache import cache

    cache.clear()
    yield
