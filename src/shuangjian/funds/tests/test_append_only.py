"""The ledger's rows cannot be deleted or changed at the database level, on SQLite as on PostgreSQL,
while Django's flush (the test framework's reset, ``manage.py flush``) still empties them."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from shuangjian.funds.models import FundEvent, Transfer


def _refused(sql: str) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as c:
        c.execute(sql)


@pytest.mark.django_db
def test_raw_delete_and_update_of_ledger_rows_are_refused(pay):
    pay("HT001")
    transfer = Transfer.objects.get()
    event = FundEvent.objects.get()
    _refused(f"DELETE FROM funds_transfer WHERE id = {transfer.pk}")
    _refused(f"DELETE FROM funds_fundevent WHERE id = {event.pk}")
    _refused(f"UPDATE funds_transfer SET amount_fen = 1 WHERE id = {transfer.pk}")
    assert Transfer.objects.get().amount_fen == 400_000
    assert FundEvent.objects.count() == 1


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_ledger_and_keeps_its_guard(pay):
    pay("HT001")
    call_command("flush", interactive=False, verbosity=0)
    assert Transfer.objects.count() == 0 and FundEvent.objects.count() == 0
    from django.core.cache import cache

    from shuangjian.common.testing import make_institution
    from shuangjian.funds.services import payment_record
    from shuangjian.regions.services import regions_load

    from .conftest import at

    regions_load()  # the flush emptied the region table too
    cache.clear()
    payment_record(
        key="P-2",
        institution=make_institution("430102", name="新机构"),
        contract_no="HT002",
        student_ref="XS",
        hours=10,
        amount_fen=1_000,
        occurred_at=at("2024-03-01"),
    )
    _refused("DELETE FROM funds_transfer")
    assert Transfer.objects.count() == 1
