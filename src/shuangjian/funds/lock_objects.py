"""Row locks of the custody ledger, always taken in primary-key order (no deadlocks).

Every service that changes a contract's counters locks its row first, inside the service's
transaction. On PostgreSQL ``SELECT … FOR UPDATE`` makes a second writer wait until the first
commits, then read the committed counters, so two processes consuming the same contract can
neither overdraw it nor lose an update. On SQLite ``FOR UPDATE`` is ignored, and the settings open
every transaction with ``BEGIN IMMEDIATE``, so writers are serialised by the database lock.
"""

from __future__ import annotations

from collections.abc import Iterable

from .models import Contract


def lock_contracts(ids: Iterable[int]) -> dict[int, Contract]:
    """Lock the contracts ``ids`` (in pk order) and return them fresh from the database, by pk."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = Contract.objects.select_for_update(of=("self",)).filter(pk__in=wanted).order_by("pk")
    return {c.pk: c for c in rows}


def lock_contract(contract_id: int) -> Contract:
    """Lock one contract; ``Contract.DoesNotExist`` when it is gone."""
    locked = lock_contracts([contract_id])
    if contract_id not in locked:
        raise Contract.DoesNotExist(contract_id)
    return locked[contract_id]


def lock_contract_by_no(institution_id: int, contract_no: str) -> Contract | None:
    """Lock the contract ``contract_no`` of an institution; None when it does not exist."""
    return (
        Contract.objects.select_for_update(of=("self",))
        .filter(institution_id=institution_id, contract_no=contract_no)
        .order_by("pk")
        .first()
    )


def lock_contract_rows(ids: Iterable[int], fields: list[str], *, chunk: int = 2000) -> list[tuple]:
    """Lock many contracts in ascending pk order (chunk by chunk) and return ``values_list(*fields)``.

    For bulk work such as the fund-events import: no model instances are built.
    """
    wanted = sorted(set(ids))
    out: list[tuple] = []
    for start in range(0, len(wanted), chunk):
        part = wanted[start : start + chunk]
        out.extend(
            Contract.objects.select_for_update(of=("self",))
            .filter(pk__in=part)
            .order_by("pk")
            .values_list(*fields)
        )
    return out
