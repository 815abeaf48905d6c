"""Bulk insert of new records with their "+" history rows, without building model instances.

``bulk_create_with_history`` builds two model instances per record and lets Django's SQL compiler
prepare every value of every field one by one; for a 20,000-row import that is most of the time.
:func:`bulk_insert_with_history` takes plain dicts instead (``attname`` → value), adapts each value
once per column type, and writes the records and their history rows with ``executemany`` on SQLite
and ``COPY … FROM STDIN`` on PostgreSQL, inside the caller's transaction. The history rows are the
ones simple-history writes itself (history_type "+", user, change reason, date), so the audit trail
(审计留痕) reads the same.

Signals are not sent (as with ``bulk_create``); callers whose follow-ups hang on ``post_save`` must
do them themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from itertools import chain
from operator import itemgetter
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.utils import timezone

from .audit import history_user
from .signals import records_changed_send


def _adapter(field: models.Field) -> Callable[[Any], Any] | None:
    """How a Python value of ``field`` becomes a database parameter (None: as it is); dates and
    moments are adapted by the caller (cached)."""
    kind = field.get_internal_type()
    if kind in {
        "CharField",
        "TextField",
        "BooleanField",
        "IntegerField",
        "BigIntegerField",
        "SmallIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "PositiveBigIntegerField",
        "AutoField",
        "BigAutoField",
        "ForeignKey",
        "OneToOneField",
    }:
        return None
    return lambda value: field.get_db_prep_save(value, connection)


def _memo(adapt: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``adapt`` remembering its answers (a row repeats a moment in several columns)."""
    seen: dict[Any, Any] = {}

    def cached(value: Any) -> Any:
        try:
            return seen[value]
        except KeyError:
            seen[value] = result = adapt(value)
            return result

    return cached


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` fresh primary keys of ``model``'s table, reserved inside the current transaction.

    SQLite: the import's transaction is IMMEDIATE (settings), so it holds the write lock and the
    next keys after both ``MAX(id)`` and the AUTOINCREMENT counter are free. PostgreSQL: drawn from
    the table's sequence. Raises ``RuntimeError`` outside a transaction on SQLite.
    """
    if count <= 0:
        return []
    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            if connection.get_autocommit():
                raise RuntimeError("allocate_ids needs a transaction on SQLite")
            cursor.execute(
                f'SELECT MAX(COALESCE((SELECT MAX("{pk}") FROM "{table}"), 0), '  # noqa: S608 - model names
                "COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
                [table],
            )
            start = int(cursor.fetchone()[0]) + 1
            return list(range(start, start + count))
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _history_user_id(user: Any) -> Any:
    """The acting user's pk, else the logged-in user of the current request (as simple-history's
    middleware gives it to ``save()``), else None."""
    actor = history_user(user)
    if actor is None:
        from simple_history.models import HistoricalRecords

        request = getattr(HistoricalRecords.context, "request", None)
        actor = history_user(getattr(request, "user", None))
    return getattr(actor, "pk", None)


ROWS_PER_STATEMENT = 250  # SQLite: rows per multi-row INSERT (250 × up to 16 columns < 32,766 variables)


def write_rows(table: str, columns: Sequence[str], rows: list[tuple]) -> None:
    """Insert ``rows`` (tuples in ``columns`` order, values already adapted for the database) into
    ``table`` inside the caller's transaction.

    PostgreSQL: one ``COPY … FROM STDIN``. SQLite: multi-row ``INSERT … VALUES (…), (…)`` statements
    of :data:`ROWS_PER_STATEMENT` rows through ``executemany`` — several times faster than one
    statement per row on tables with an ``AUTOINCREMENT`` key, whose counter SQLite updates once
    per statement. Database errors (unique, foreign key, check) propagate.
    """
    if not rows:
        return
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    name = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {name} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        one = "(" + ", ".join(["%s"] * len(columns)) + ")"
        per = ROWS_PER_STATEMENT
        full = len(rows) - len(rows) % per
        if full:
            flatten = chain.from_iterable
            cursor.executemany(
                f"INSERT INTO {name} ({quoted}) VALUES " + ", ".join([one] * per),  # noqa: S608 - model names
                [list(flatten(rows[start : start + per])) for start in range(0, full, per)],
            )
        if full < len(rows):
            rest = rows[full:]
            cursor.execute(
                f"INSERT INTO {name} ({quoted}) VALUES " + ", ".join([one] * len(rest)),  # noqa: S608
                list(chain.from_iterable(rest)),
            )


def bulk_insert_with_history(
    model: type[models.Model],
    records: Sequence[dict[str, Any]],
    *,
    user: Any,
    reason: str,
    now: dt.datetime | None = None,
) -> list[int]:
    """Insert ``records`` (dicts ``attname`` → Python value) as new rows of ``model`` with one "+"
    history row each (``user``, ``reason``); returns their primary keys in order.

    Missing fields take their default (``auto_now_add`` fields: ``now``, by default the current
    time). Values must already be valid for their fields (no validation, no ``save()``, no signals).
    Runs inside the caller's transaction; the model must have an auto primary key and, for the
    history rows, simple-history's ``history`` manager. Database errors (unique, foreign key)
    propagate; ``ValueError`` when a record names a column ``model`` does not have.
    """
    if not records:
        return []
    now = now or timezone.now()
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    ids = allocate_ids(model, len(records))
    defaults: dict[str, Any] = {}
    for field in fields:
        if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
            defaults[field.attname] = now
        else:
            defaults[field.attname] = field.get_default()
    # One cache per call for each kind of moment: a row repeats its moments in several columns.
    moment = _memo(connection.ops.adapt_datetimefield_value)
    day = _memo(connection.ops.adapt_datefield_value)
    adapt_at: list[tuple[int, Callable[[Any], Any]]] = []
    for index, field in enumerate(fields, start=1):
        if isinstance(field, models.DateTimeField):
            adapt_at.append((index, moment))
        elif isinstance(field, models.DateField):
            adapt_at.append((index, day))
        else:
            adapt = _adapter(field)
            if adapt is not None:
                adapt_at.append((index, adapt))
    attnames = [field.attname for field in fields]
    unknown = set(records[0]) - set(attnames)
    if unknown:
        raise ValueError(f"{model.__name__} has no column {sorted(unknown)}")
    pairs = [(attname, defaults[attname]) for attname in attnames]
    rows: list[tuple] = []
    for pk, record in zip(ids, records, strict=True):
        get = record.get
        row = [pk, *[get(attname, default) for attname, default in pairs]]
        for index, adapt in adapt_at:
            value = row[index]
            if value is not None:
                row[index] = adapt(value)
        rows.append(tuple(row))
    write_rows(meta.db_table, [str(meta.pk.column), *(str(f.column) for f in fields)], rows)
    region_path = getattr(model, "scope_region_field", None)
    regions: set[str] | None = None
    if region_path and "__" not in region_path:
        codes = {record.get(f"{region_path}_id") for record in records}
        regions = None if None in codes else {str(c) for c in codes}
    records_changed_send(model, regions)

    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return ids
    history = model.history.model  # type: ignore[attr-defined]
    position = {attname: index for index, attname in enumerate([meta.pk.attname, *attnames])}
    tracked = [f.attname for f in history.tracked_fields]
    pick = itemgetter(*[position[attname] for attname in tracked])
    user_id = _history_user_id(user)
    extra = (moment(now), reason, "+", user_id)
    history_rows = [pick(row) + extra for row in rows]
    columns = [str(history._meta.get_field(a).column) for a in tracked]
    write_rows(
        history._meta.db_table,
        [*columns, "history_date", "history_change_reason", "history_type", "history_user_id"],
        history_rows,
    )
    return ids
