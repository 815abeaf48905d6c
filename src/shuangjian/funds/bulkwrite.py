"""The fund-events import's bulk writer (分批写入): events, contracts, accounts, transfers, postings
and violations of one import, written in batches inside the import's transaction — ``INSERT``
statements on SQLite, ``COPY … FROM STDIN`` on PostgreSQL. The importer (:mod:`.importers`) decides
what to write (it simulates the ledger rules first); this module only writes it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection

from .models import EventSource

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@dataclass
class BulkWriter:
    """Bulk writes of the import, in batches, inside the import's transaction."""

    sqlite: bool
    now: dt.datetime

    def __post_init__(self) -> None:
        self.events: list[tuple] = []
        self.transfers: list[tuple] = []
        self.postings: list[tuple] = []
        self.contracts: list[tuple] = []
        self.accounts: list[tuple] = []
        self.violations: list[tuple] = []
        self.next_ids: dict[str, int] = {}
        self.ts_cache: dict[str, Any] = {}
        self.table_seconds: dict[str, float] = {}  # SQLite: seconds of INSERT per table (benchmark)
        self.now_db = self.ts(self.now.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S"))

    def ts(self, text: str) -> Any:
        """A Shanghai wall-clock text as the database parameter (UTC text on SQLite)."""
        cached = self.ts_cache.get(text)
        if cached is None:
            moment = dt.datetime(
                int(text[0:4]),
                int(text[5:7]),
                int(text[8:10]),
                int(text[11:13]),
                int(text[14:16]),
                int(text[17:19]),
                tzinfo=SHANGHAI,
            )
            if self.sqlite:
                cached = (moment - dt.timedelta(hours=8)).replace(tzinfo=None).isoformat(" ")
            else:
                cached = moment
            if len(self.ts_cache) > 20_000:
                self.ts_cache.clear()
            self.ts_cache[text] = cached
        return cached

    def hours(self, centi: int) -> Any:
        text = f"{centi // 100}.{centi % 100:02d}"
        if self.sqlite:
            return text
        from decimal import Decimal

        return Decimal(text)

    def allocate(self, table: str, count: int) -> list[int]:
        """``count`` fresh primary keys of ``table``."""
        if count == 0:
            return []
        with connection.cursor() as cursor:
            if self.sqlite:
                # The IMMEDIATE transaction holds the database's write lock: nobody else inserts.
                start = self.next_ids.get(table)
                if start is None:
                    cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 - fixed names
                    start = cursor.fetchone()[0] + 1
                self.next_ids[table] = start + count
                return list(range(start, start + count))
            cursor.execute(
                f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s)",  # noqa: S608
                [count],
            )
            return [r[0] for r in cursor.fetchall()]

    def flush(self) -> None:
        self.insert_contracts(self.contracts)
        if self.sqlite:
            self._flush_insert()
        else:
            self._flush_copy()
        for rows in (
            self.events,
            self.transfers,
            self.postings,
            self.contracts,
            self.accounts,
            self.violations,
        ):
            rows.clear()

    CONTRACT_COLUMNS = (
        "id, institution_id, county_id, contract_no, student_ref, hours_total, hours_consumed, hours_pending, "
        "paid_fen, released_fen, refunded_fen, start_date, status, verification_code, opened_at, closed_at"
    )

    def insert_contracts(self, rows: list[tuple]) -> None:
        """New contracts with their final counters (training_item empty, no end date)."""
        if not rows:
            return
        with connection.cursor() as wrapper:
            if self.sqlite:
                wrapper.executemany(
                    f"INSERT INTO funds_contract ({self.CONTRACT_COLUMNS}, training_item) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, '')",
                    rows,
                )
                return
            with wrapper.cursor.copy(
                f"COPY funds_contract ({self.CONTRACT_COLUMNS}, training_item) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row((*row, ""))

    def update_contracts(self, rows: list[tuple]) -> None:
        """Counters of existing contracts: (consumed, pending, released, refunded, status, closed_at, id)."""
        if not rows:
            return
        with connection.cursor() as wrapper:
            if self.sqlite:
                wrapper.executemany(
                    "UPDATE funds_contract SET hours_consumed = %s, hours_pending = %s, released_fen = %s, "
                    "refunded_fen = %s, status = %s, closed_at = COALESCE(%s, closed_at) WHERE id = %s",
                    rows,
                )
                return
            # Once per transaction (dropped at commit), emptied before each chunk's counters.
            wrapper.execute(
                "CREATE TEMP TABLE IF NOT EXISTS funds_import_counters (consumed numeric, pending numeric, "
                "released bigint, refunded bigint, status varchar(10), closed timestamptz, id bigint) ON COMMIT DROP"
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

    def _flush_insert(self) -> None:
        import time

        seconds = self.table_seconds
        with connection.cursor() as cursor:
            if self.accounts:
                started = time.perf_counter()
                cursor.executemany(
                    "INSERT INTO funds_account (id, kind, institution_id, contract_id) VALUES (%s, %s, %s, %s)",
                    self.accounts,
                )
                seconds["accounts"] = seconds.get("accounts", 0.0) + time.perf_counter() - started
            if self.events:
                started = time.perf_counter()
                cursor.executemany(
                    "INSERT INTO funds_fundevent (id, key, kind, occurred_at, institution_id, contract_id, student_ref, "
                    "amount_fen, hours, fingerprint, source, actor_id, note, recorded_at) "
                    f"VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, '{EventSource.IMPORT}', NULL, '', %s)",
                    self.events,
                )
                seconds["events"] = seconds.get("events", 0.0) + time.perf_counter() - started
            if self.transfers:
                started = time.perf_counter()
                cursor.executemany(
                    "INSERT INTO funds_transfer (id, event_id, kind, institution_id, contract_id, amount_fen, "
                    "occurred_at, corrects_id) VALUES (%s, %s, %s, %s, %s, %s, %s, NULL)",
                    self.transfers,
                )
                seconds["transfers"] = seconds.get("transfers", 0.0) + time.perf_counter() - started
            if self.postings:
                started = time.perf_counter()
                cursor.executemany(
                    "INSERT INTO funds_posting (transfer_id, account_id, amount_fen) VALUES (%s, %s, %s)",
                    self.postings,
                )
                seconds["postings"] = seconds.get("postings", 0.0) + time.perf_counter() - started
            if self.violations:
                started = time.perf_counter()
                cursor.executemany(
                    "INSERT INTO funds_prepaymentviolation (institution_id, county_id, contract_id, event_id, rule, "
                    "detail, source, detected_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                    self.violations,
                )
                seconds["violations"] = seconds.get("violations", 0.0) + time.perf_counter() - started

    def _flush_copy(self) -> None:
        """PostgreSQL: COPY … FROM STDIN (binary-safe rows through psycopg), much faster than INSERTs."""
        with connection.cursor() as wrapper:
            cursor = wrapper.cursor
            if self.accounts:
                with cursor.copy(
                    "COPY funds_account (id, kind, institution_id, contract_id) FROM STDIN"
                ) as copy:
                    for row in self.accounts:
                        copy.write_row(row)
            if self.events:
                with cursor.copy(
                    "COPY funds_fundevent (id, key, kind, occurred_at, institution_id, contract_id, student_ref, "
                    "amount_fen, hours, fingerprint, recorded_at, source, note) FROM STDIN"
                ) as copy:
                    for row in self.events:
                        copy.write_row((*row, EventSource.IMPORT, ""))
            if self.transfers:
                with cursor.copy(
                    "COPY funds_transfer (id, event_id, kind, institution_id, contract_id, amount_fen, occurred_at) "
                    "FROM STDIN"
                ) as copy:
                    for row in self.transfers:
                        copy.write_row(row)
            if self.postings:
                with cursor.copy(
                    "COPY funds_posting (transfer_id, account_id, amount_fen) FROM STDIN"
                ) as copy:
                    for row in self.postings:
                        copy.write_row(row)
            if self.violations:
                with cursor.copy(
                    "COPY funds_prepaymentviolation (institution_id, county_id, contract_id, event_id, rule, detail, "
                    "source, detected_at) FROM STDIN"
                ) as copy:
                    for row in self.violations:
                        copy.write_row(row)
