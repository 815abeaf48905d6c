"""The fund-events import's bulk writer (分批写入): events, contracts, accounts, transfers
(their postings are derived by the ``funds_posting`` view) and violations of one import, written chunk by chunk inside the import's transaction through
:func:`shuangjian.common.bulkinsert.write_rows` — multi-row ``INSERT`` statements on SQLite,
``COPY … FROM STDIN`` on PostgreSQL. The importer (:mod:`.importers`) decides what to write (it
simulates the ledger rules first); this module only writes it.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

from django.db import connection

from shuangjian.common.bulkinsert import write_rows

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
EIGHT_HOURS = dt.timedelta(hours=8)

# Column order of the rows the importer appends to each list.
ACCOUNT_COLUMNS = ("id", "kind", "institution_id", "contract_id")
EVENT_COLUMNS = (
    "id",
    "key",
    "kind",
    "occurred_at",
    "institution_id",
    "contract_id",
    "student_ref",
    "amount_fen",
    "hours",
    "fingerprint",
    "recorded_at",
    "source",
    "note",
)
TRANSFER_COLUMNS = (
    "id",
    "event_id",
    "kind",
    "institution_id",
    "contract_id",
    "amount_fen",
    "debit_id",
    "credit_id",
    "occurred_at",
)
VIOLATION_COLUMNS = (
    "institution_id",
    "county_id",
    "contract_id",
    "event_id",
    "rule",
    "detail",
    "source",
    "detected_at",
)
CONTRACT_COLUMNS = (
    "id",
    "institution_id",
    "county_id",
    "contract_no",
    "student_ref",
    "hours_total",
    "hours_consumed",
    "hours_pending",
    "paid_fen",
    "released_fen",
    "refunded_fen",
    "start_date",
    "status",
    "verification_code",
    "opened_at",
    "closed_at",
    "training_item",
)


@dataclass
class BulkWriter:
    """Bulk writes of the import, chunk by chunk, inside the import's transaction."""

    sqlite: bool
    now: dt.datetime

    def __post_init__(self) -> None:
        self.events: list[tuple] = []
        self.transfers: list[tuple] = []
        self.contracts: list[tuple] = []
        self.accounts: list[tuple] = []
        self.violations: list[tuple] = []
        self.next_ids: dict[str, int] = {}
        self.ts_cache: dict[str, Any] = {}
        self.hours_cache: dict[int, Any] = {}
        self.table_seconds: dict[str, float] = {}  # seconds of writing per table (benchmark)
        self.now_db = self.ts(self.now.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S"))

    def ts(self, text: str) -> Any:
        """A Shanghai wall-clock text "YYYY-MM-DD HH:MM:SS" as the database parameter: UTC text
        "YYYY-MM-DD HH:MM:SS" on SQLite (Django's storage of an aware moment), the text with its
        "+08:00" offset on PostgreSQL (every import row reaches PostgreSQL through ``COPY``, whose
        text format parses it). Shanghai's offset has been a whole +8 hours since 1992, so only the
        hour part changes: converted once per hour and cached."""
        hour = text[:13]
        cached = self.ts_cache.get(hour)
        if cached is None:
            if self.sqlite:
                cached = (dt.datetime.fromisoformat(hour + ":00:00") - EIGHT_HOURS).isoformat(" ")[:13]
            else:
                cached = hour
            if len(self.ts_cache) > 20_000:
                self.ts_cache.clear()
            self.ts_cache[hour] = cached
        return cached + text[13:] if self.sqlite else text + "+08:00"

    def hours(self, centi: int) -> Any:
        """Hundredths of an hour as the text of a 2-place decimal ("12.50"): SQLite stores the
        decimal column's text form, PostgreSQL's ``COPY`` parses it."""
        cached = self.hours_cache.get(centi)
        if cached is None:
            cached = f"{centi // 100}.{centi % 100:02d}"
            if len(self.hours_cache) > 20_000:
                self.hours_cache.clear()
            self.hours_cache[centi] = cached
        return cached

    def allocate(self, table: str, count: int) -> list[int]:
        """``count`` fresh primary keys of ``table``."""
        if count == 0:
            return []
        with connection.cursor() as cursor:
            if self.sqlite:
                # The IMMEDIATE transaction holds the database's write lock: nobody else inserts.
                # Keys continue after both MAX(id) and the AUTOINCREMENT counter.
                start = self.next_ids.get(table)
                if start is None:
                    cursor.execute(
                        f"SELECT MAX(COALESCE((SELECT MAX(id) FROM {table}), 0), "  # noqa: S608 - fixed names
                        "COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
                        [table],
                    )
                    start = int(cursor.fetchone()[0]) + 1
                self.next_ids[table] = start + count
                return list(range(start, start + count))
            cursor.execute(
                f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s)",  # noqa: S608
                [count],
            )
            return [r[0] for r in cursor.fetchall()]

    def flush(self) -> None:
        """Write every pending row (contracts first: the rows naming them follow) and forget them."""
        seconds = self.table_seconds
        for table, columns, rows in (
            ("funds_contract", CONTRACT_COLUMNS, self.contracts),
            ("funds_account", ACCOUNT_COLUMNS, self.accounts),
            ("funds_fundevent", EVENT_COLUMNS, self.events),
            ("funds_transfer", TRANSFER_COLUMNS, self.transfers),
            ("funds_prepaymentviolation", VIOLATION_COLUMNS, self.violations),
        ):
            started = time.perf_counter()
            write_rows(table, columns, rows)
            seconds[table] = seconds.get(table, 0.0) + time.perf_counter() - started
            rows.clear()

    def update_contracts(self, rows: list[tuple]) -> None:
        """Counters of existing contracts: (consumed, pending, released, refunded, status, closed_at, id)."""
        if not rows:
            return
        started = time.perf_counter()
        with connection.cursor() as wrapper:
            if self.sqlite:
                wrapper.executemany(
                    "UPDATE funds_contract SET hours_consumed = %s, hours_pending = %s, released_fen = %s, "
                    "refunded_fen = %s, status = %s, closed_at = COALESCE(%s, closed_at) WHERE id = %s",
                    rows,
                )
            else:
                # Once per transaction (dropped at commit), emptied before each chunk's counters.
                wrapper.execute(
                    "CREATE TEMP TABLE IF NOT EXISTS funds_import_counters (consumed numeric, pending numeric, "
                    "released bigint, refunded bigint, status varchar(10), closed timestamptz, id bigint) "
                    "ON COMMIT DROP"
                )
                wrapper.execute("TRUNCATE funds_import_counters")
                with wrapper.cursor.copy("COPY funds_import_counters FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                wrapper.execute(
                    "UPDATE funds_contract c SET hours_consumed = t.consumed, hours_pending = t.pending, "
                    "released_fen = t.released, refunded_fen = t.refunded, status = t.status, "
                    "closed_at = COALESCE(t.closed, c.closed_at) FROM funds_import_counters t WHERE c.id = t.id"
                )
        self.table_seconds["contract counters"] = (
            self.table_seconds.get("contract counters", 0.0) + time.perf_counter() - started
        )
