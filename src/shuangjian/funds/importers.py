"""`shuangjian import fund-events FILE [--skip-invalid]`: bank custody statements (托管账户流水).

File contract: DESIGN.md "Fund events". The importer overrides the framework's ``run`` because the
ledger rules depend on the order of events and on the ledger's state. Its memory does not grow with
the file (issue 19): it

1. streams the file (CSV in UTF-8 / UTF-8 with BOM / GB18030, or .xlsx) and parses each row into a
   compact record, collecting every malformed cell (row, column, Chinese reason);
2. sorts the records by 发生时间, ties by 流水号, with an external sort: sorted runs of
   ``4 × FUNDS_IMPORT_CHUNK`` records spilled to a temporary directory, merged back in order;
3. inside one transaction, applies them ``FUNDS_IMPORT_CHUNK`` (default :data:`CHUNK`) at a time:
   the chunk's existing contracts are read (locked in primary-key order on PostgreSQL), the events
   simulated through the same :class:`~shuangjian.funds.ledger.ContractState` rules the services
   use (a rejected row changes nothing), and the chunk's events, contracts, accounts, transfers,
   violations and changed contract counters written with bulk statements before the next
   chunk is read — so the ledger itself, not a dict of the whole file, answers whether a 流水号
   was used earlier in the file;
4. without ``skip_invalid`` and with any bad or rejected row, rolls back: nothing applied (exit 1);
   otherwise commits.

Same 流水号 with the same content (in the database or earlier in the file) is skipped; with
different content it is rejected. Re-importing a file therefore changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import heapq
import io
import itertools
import pickle
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from shuangjian.common.codes import CreditCodeError, credit_code_normalize
from shuangjian.common.importing import (
    MAX_IMPORT_BYTES,
    Column,
    Importer,
    ImportFileError,
    ImportReport,
    RowError,
    _decode_csv,
    parse_datetime,
)
from shuangjian.common.signals import records_changed_send
from shuangjian.common.text import nfkc, yuan_to_fen
from shuangjian.institutions.models import Institution

from .bulkwrite import BulkWriter
from .ledger import (
    ContractState,
    FundsRefused,
    check_amount,
    fingerprint,
    hours_to_centi,
    latest_occurrence,
    yuan,
)
from .limits import PrepaymentLimits
from .models import AccountKind, ContractStatus, EventKind, EventSource, TransferKind
from .services import INSTITUTION_KINDS, new_verification_code

H_KEY, H_TIME, H_CODE, H_CONTRACT, H_STUDENT, H_KIND, H_AMOUNT, H_HOURS = (
    "流水号",
    "发生时间",
    "统一社会信用代码",
    "合同编号",
    "学员编号",
    "类型",
    "金额",
    "课时",
)
KINDS = {"缴费": EventKind.PAYMENT, "消课": EventKind.CONSUMPTION, "退费": EventKind.REFUND}
SHANGHAI = dt.timezone(dt.timedelta(hours=8))
_TS_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$")
_AMOUNT_RE = re.compile(r"^(\d{1,12})(?:\.(\d{1,2}))?$")
BATCH = 5000
# Rows with a warning of one kind (a 消课's stated 金额 differing from the computed release, a 缴费
# outside the institution's approved episodes) are listed up to this many, then counted.
MAX_ROW_WARNINGS = 20
# Institutions whose accounts and subject episodes stay in memory between chunks (about 600
# bytes each); beyond it those maps are dropped and re-read (a province has ~20,000).
INSTITUTION_CACHE = 30_000
CHUNK = 20_000  # events applied per chunk (settings.FUNDS_IMPORT_CHUNK); sorted runs hold 4 chunks
# Column indexes of a parsed record tuple.
R_ROW, R_KEY, R_TS, R_CODE, R_NO, R_STUDENT, R_KIND, R_AMOUNT, R_HOURS = range(9)
SEP = "\x1f"  # records are held packed in one string each (about 140 bytes instead of 420 per row)


def _pack(record: tuple) -> str:
    """A parsed record as one string that sorts by (发生时间, 流水号): "ts␟key␟row␟code␟…"."""
    row, key, ts, code, number, student, kind, amount, hours = record
    return SEP.join(
        (
            ts,
            key,
            str(row),
            code,
            number,
            student,
            kind,
            "" if amount is None else str(amount),
            "" if hours is None else str(hours),
        )
    )


def _unpack(packed: str) -> tuple:
    ts, key, row, code, number, student, kind, amount, hours = packed.split(SEP)
    return (
        int(row),
        key,
        ts,
        code,
        number,
        student,
        kind,
        int(amount) if amount else None,
        int(hours) if hours else None,
    )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    return text.strip() if text.isascii() else nfkc(text)


def _timestamp(value: Any) -> str:
    """发生时间 → Shanghai wall-clock text "YYYY-MM-DD HH:MM:SS"; ValueError with a Chinese reason."""
    if isinstance(value, str):
        m = _TS_RE.match(value.strip())
        if m:
            y, mo, d, h, mi, s = m.groups()
            if int(mo) <= 12 and int(d) <= 31 and int(h) <= 23 and int(mi) <= 59 and int(s or 0) <= 59:
                try:
                    dt.date(int(y), int(mo), int(d))
                except ValueError:
                    raise ValueError(f"“{value}”不是有效时间") from None
                return f"{y}-{mo}-{d} {h}:{mi}:{s or '00'}"
    moment = parse_datetime(value)
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")


def _amount(value: Any) -> int:
    if isinstance(value, str):
        m = _AMOUNT_RE.match(value)
        if m:
            cents = m.group(2) or ""
            return int(m.group(1)) * 100 + (int(cents.ljust(2, "0")) if cents else 0)
    if isinstance(value, float):
        value = repr(value)
    return yuan_to_fen(value)


class FundEventImporter(Importer):
    """Bank custody statements (托管账户流水), applied in 发生时间 order as one transaction."""

    kind = "fund-events"
    title = "托管账户流水"
    columns = [
        Column(H_KEY, True, "流水号，幂等键"),
        Column(H_TIME, True, "日期时间"),
        Column(H_CODE, True, "机构名册中的统一社会信用代码"),
        Column(H_CONTRACT, True, "合同编号"),
        Column(H_STUDENT, True, "学员编号（化名）"),
        Column(H_KIND, True, "缴费 / 消课 / 退费"),
        Column(H_AMOUNT, False, "元，>0，最多两位小数（缴费、退费）"),
        Column(H_HOURS, False, "课时，>0（缴费、消课）"),
    ]

    # -- reading ---------------------------------------------------------------------------------
    def _rows(self, path: Path | str, data: bytes | None, filename: str | None) -> Iterator[list[Any]]:
        name = (filename or str(path)).lower()
        if not (name.endswith(".xlsx") or name.endswith(".csv") or name.endswith(".txt")):
            raise ImportFileError("不支持的文件类型：请上传 .csv 或 .xlsx 文件")
        if data is None:
            p = Path(path)
            if not p.exists():
                raise ImportFileError(f"文件不存在：{path}")
            if not name.endswith(".xlsx"):
                # A CSV on disk is streamed, so its size is not capped (the province demo's file
                # is ~500 MB); uploads (``data``) and .xlsx files, read whole, keep the 200 MB limit.
                # Stream the CSV from disk (a 2,000,000-row file never sits in memory as text).
                encoding = _detect_encoding(p)
                with open(p, encoding=encoding, newline="") as handle:
                    yield from csv.reader(handle)
                return
            if p.stat().st_size > MAX_IMPORT_BYTES:
                raise ImportFileError("文件过大（上限 200 MB）")
            data = p.read_bytes()
        if name.endswith(".xlsx"):
            import openpyxl

            try:
                workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            except Exception:  # openpyxl raises many types for a damaged file
                raise ImportFileError("无法读取 .xlsx 文件") from None
            try:
                for row in workbook.worksheets[0].iter_rows(values_only=True):
                    yield list(row)
            finally:
                workbook.close()
            return
        text = _decode_csv(data)
        del data
        yield from csv.reader(io.StringIO(text))

    def _parse(
        self,
        row_no: int,
        cells: list[Any],
        idx: tuple[int, ...],
        errors: list[RowError],
        codes: dict[str, str | CreditCodeError],
    ) -> tuple | None:
        """One row → (row, key, time, code, contract, student, kind, fen, centi-hours), or None when bad."""
        if len(cells) < self._width:
            cells = list(cells) + [None] * (self._width - len(cells))
        i_key, i_time, i_code, i_no, i_student, i_kind, i_amount, i_hours = idx
        texts = []
        for i in (i_key, i_code, i_no, i_student, i_kind, i_amount, i_hours):
            if i < 0:
                texts.append("")
                continue
            value = cells[i]
            texts.append(value.strip() if value.__class__ is str and value.isascii() else _text(value))
        key, code, contract_no, student, label, raw_amount, raw_hours = texts
        bad = len(errors)
        if any(SEP in text for text in texts):
            errors.append(RowError(row_no, "", "含有不可见的控制字符（\\x1f）"))
            return None
        if not key:
            errors.append(RowError(row_no, H_KEY, "不能为空"))
        elif len(key) > 64:
            errors.append(RowError(row_no, H_KEY, "流水号过长（最多64个字符）"))
        ts = ""
        raw_time = cells[i_time]
        if raw_time is None or (isinstance(raw_time, str) and not raw_time.strip()):
            errors.append(RowError(row_no, H_TIME, "不能为空"))
        else:
            try:
                ts = _timestamp(raw_time)
            except ValueError as exc:
                errors.append(RowError(row_no, H_TIME, str(exc)))
            else:
                if ts > self._latest:
                    errors.append(RowError(row_no, H_TIME, f"{ts}晚于当前时间，流水不能发生在未来"))
        if not code:
            errors.append(RowError(row_no, H_CODE, "不能为空"))
        else:
            normal = codes.get(code)
            if normal is None:
                try:
                    normal = credit_code_normalize(code)
                except CreditCodeError as exc:
                    normal = exc
                codes[code] = normal
            if isinstance(normal, CreditCodeError):
                errors.append(RowError(row_no, H_CODE, str(normal)))
            else:
                code = normal
        if not contract_no:
            errors.append(RowError(row_no, H_CONTRACT, "不能为空"))
        elif len(contract_no) > 64:
            errors.append(RowError(row_no, H_CONTRACT, "合同编号过长（最多64个字符）"))
        if not student:
            errors.append(RowError(row_no, H_STUDENT, "不能为空"))
        elif len(student) > 64:
            errors.append(RowError(row_no, H_STUDENT, "学员编号过长（最多64个字符）"))
        kind = KINDS.get(label)
        if kind is None:
            errors.append(
                RowError(row_no, H_KIND, f"“{label}”应为 缴费、消课 或 退费" if label else "不能为空")
            )
        amount: int | None = None
        if raw_amount:
            try:
                amount = check_amount(
                    _amount(raw_amount if cells[i_amount].__class__ is str else cells[i_amount]), raw_amount
                )
            except (ValueError, FundsRefused) as exc:
                errors.append(RowError(row_no, H_AMOUNT, str(exc)))
        elif kind == EventKind.PAYMENT:
            errors.append(RowError(row_no, H_AMOUNT, "缴费须填写金额"))
        hours: int | None = None
        if raw_hours:
            if raw_hours.isdigit() and raw_hours[0] != "0":
                hours = int(raw_hours) * 100
            else:
                try:
                    hours = hours_to_centi(raw_hours)
                except FundsRefused as exc:
                    errors.append(RowError(row_no, H_HOURS, str(exc)))
        elif kind in (EventKind.PAYMENT, EventKind.CONSUMPTION):
            errors.append(RowError(row_no, H_HOURS, f"{label}须填写课时"))
        if len(errors) > bad:
            return None
        if kind == EventKind.REFUND:
            hours = None
        return (row_no, key, ts, code, contract_no, student, kind, amount, hours)

    # -- the import --------------------------------------------------------------------------------
    def run(
        self,
        path: Path | str,
        *,
        skip_invalid: bool = False,
        data: bytes | None = None,
        filename: str | None = None,
    ) -> ImportReport:
        """Validate and apply the file (all or nothing unless ``skip_invalid``); see the module doc.

        Memory does not grow with the file: rows are parsed into sorted runs of ``4 × chunk`` records
        spilled to a temporary directory, merged back in (发生时间, 流水号) order, and applied
        ``chunk`` events at a time (``settings.FUNDS_IMPORT_CHUNK``, default :data:`CHUNK`). Seconds
        spent per stage are left in ``self.timings`` (parse, sort, read, simulate, write, commit),
        and the write stage's seconds per table in ``self.table_seconds``.
        """
        from django.conf import settings

        chunk = max(1, int(getattr(settings, "FUNDS_IMPORT_CHUNK", CHUNK)))
        # The import allocates millions of small tuples and strings that live until their chunk is
        # written: the cyclic collector would rescan them over and over (about a fifth of the CPU
        # time) without finding garbage. It is paused for the import and each chunk's young objects
        # are collected once (see _simulate_and_write); reference counting frees the rest as usual.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._run(path, chunk, skip_invalid=skip_invalid, data=data, filename=filename)
        finally:
            if collecting:
                gc.enable()

    def _run(
        self,
        path: Path | str,
        chunk: int,
        *,
        skip_invalid: bool,
        data: bytes | None,
        filename: str | None,
    ) -> ImportReport:
        """:meth:`run` with the garbage collector paused."""
        self.timings = dict.fromkeys(("parse", "sort", "read", "simulate", "write", "commit"), 0.0)
        self.table_seconds: dict[str, float] = {}
        timings = self.timings
        report = ImportReport()
        started = time.perf_counter()
        rows = self._rows(path, data, filename)
        try:
            header = next(rows)
        except StopIteration:
            raise ImportFileError("文件为空：第1行应为表头") from None
        pos = self._header_map(list(header), report)
        self._width = max(pos.values()) + 1
        # The latest 发生时间 a row may carry, as Shanghai wall-clock text (compared as text).
        self._latest = latest_occurrence(timezone.now()).astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")
        idx = tuple(
            pos.get(h, -1) for h in (H_KEY, H_TIME, H_CODE, H_CONTRACT, H_STUDENT, H_KIND, H_AMOUNT, H_HOURS)
        )
        errors: list[RowError] = []
        codes: dict[str, str | CreditCodeError] = {}
        total = 0
        with _SortedRuns(run_size=chunk * 4) as runs:
            for row_no, cells in enumerate(rows, start=2):
                if not cells:
                    continue
                first = cells[0]
                if not (first.__class__ is str and first.strip()) and all(
                    c is None or (isinstance(c, str) and not c.strip()) for c in cells
                ):
                    continue
                total += 1
                record = self._parse(row_no, cells, idx, errors, codes)
                if record is not None:
                    runs.add(_pack(record))
            report.total_rows = total
            runs.finish()
            timings["sort"] = runs.sort_seconds
            timings["parse"] = time.perf_counter() - started - runs.sort_seconds

            class _Refused(Exception):
                pass

            try:
                with transaction.atomic():
                    self._simulate_and_write(runs, chunk, errors, report, skip_invalid)
                    commit_started = time.perf_counter()
                    if errors and not skip_invalid:
                        raise _Refused
            except _Refused:
                report.created = report.skipped = 0
            timings["commit"] = time.perf_counter() - commit_started
            timings["sort"] = runs.sort_seconds
        report.errors = sorted(errors, key=lambda e: (e.row, e.column))
        report.applied = not (errors and not skip_invalid)
        if report.applied:
            records_changed_send(type(self))
        if self.progress and total:
            self.progress(total, total)
        return report

    def _simulate_and_write(
        self,
        runs: _SortedRuns,
        chunk: int,
        errors: list[RowError],
        report: ImportReport,
        skip_invalid: bool,
    ) -> None:
        """Apply the sorted records ``chunk`` at a time inside the caller's transaction.

        Per chunk: the keys already in the ledger (earlier chunks of this file included — each chunk
        is written before the next is read, even when the file is already refused, so that the
        ledger itself answers "was this 流水号 used earlier in the file"), the contract states
        (locked in pk order on PostgreSQL), the simulation through :class:`ContractState`, then the
        chunk's events, transfers, violations, new contracts and changed counters.
        """
        sqlite = connection.vendor == "sqlite"
        if sqlite:
            # A bounded page cache keeps the ledger's hot index pages in memory during the
            # transaction (32 MiB: the import's memory must stay flat whatever the file's size; at
            # 1,000,000 events across 100,000 institutions 64 MiB gave a peak of 280 MiB and the
            # same speed as 32 MiB's 247 MiB).
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -32768")
        else:
            # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: checked at COMMIT, where the
            # queued checks of ~1.4 M ledger rows of a 200,000-event file took 40 % of the import.
            # Checked at the end of each COPY instead (same checks, same transaction: a bad row
            # still refuses the whole file), with the referenced rows just written and in cache;
            # restored to deferred when the import's writes are done (on an error the transaction
            # is rolled back, which ends the setting with it).
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        self._apply_chunks(runs, chunk, errors, report, sqlite)
        if not sqlite:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def _apply_chunks(
        self,
        runs: _SortedRuns,
        chunk: int,
        errors: list[RowError],
        report: ImportReport,
        sqlite: bool,
    ) -> None:
        """:meth:`_simulate_and_write` after the session settings of the import's transaction."""
        timings = self.timings
        writer = BulkWriter(sqlite=sqlite, now=timezone.now())
        self.table_seconds = writer.table_seconds  # the write stage per table (benchmark)
        from shuangjian.common.rules import rule_table

        from . import rules

        institutions: dict[str, tuple[int, str] | None] = {}
        accounts: dict[int, dict[str, int]] = {}
        limits: dict[str, PrepaymentLimits] = {}
        table = rule_table(list(rules.RULES_BY_KEY))
        episodes: dict[int, list] = {}
        pools: dict[str, Iterator[int]] = {}
        done = 0
        mismatched = 0  # 消课 rows whose stated 金额 differs from the release computed by the rule
        unlicensed = 0  # 缴费 rows dated outside every approved episode of their institution
        total = report.total_rows
        merged = runs.merged()

        def take(table: str) -> int:
            """The next pre-allocated primary key of ``table`` (allocated BATCH at a time)."""
            try:
                return next(pools[table])
            except (KeyError, StopIteration):
                pools[table] = iter(writer.allocate(table, BATCH * 2))
                return next(pools[table])

        events_append = writer.events.append
        transfers_append = writer.transfers.append
        to_ts = writer.ts
        to_hours = writer.hours
        now_db = writer.now_db

        def event_row(
            event_id: int,
            key: str,
            kind: str,
            ts_db: Any,
            inst_id: int,
            contract_id: int,
            student: str,
            amount: int | None,
            hours: int | None,
            fp: str,
        ) -> None:
            """The FundEvent row of an applied record (every kind: a refund has no hours)."""
            events_append(
                (
                    event_id,
                    key,
                    kind,
                    ts_db,
                    inst_id,
                    contract_id,
                    student,
                    amount,
                    None if hours is None else to_hours(hours),
                    fp,
                    now_db,
                    EventSource.IMPORT,
                    "",
                )
            )

        def post(
            event_id: int,
            kind: str,
            inst_id: int,
            contract_id: int,
            amount: int,
            ts_db: Any,
            debit: int,
            credit: int,
        ) -> None:
            """A transfer of ``amount`` fen from ``credit`` to ``debit`` (its postings are derived)."""
            transfers_append(
                (take("funds_transfer"), event_id, kind, inst_id, contract_id, amount, debit, credit, ts_db)
            )

        release_kinds = (TransferKind.RELEASE_CASH, TransferKind.RELEASE_DISCHARGE, AccountKind.RELEASED)
        refund_kinds = (TransferKind.REFUND_CASH, TransferKind.REFUND_DISCHARGE, AccountKind.REFUNDED)
        CUSTODY, DISCHARGED = AccountKind.CUSTODY, AccountKind.DISCHARGED  # noqa: N806 - loop-local constants
        PAYMENT, CONSUMPTION = EventKind.PAYMENT, EventKind.CONSUMPTION  # noqa: N806
        OPEN = ContractStatus.OPEN  # noqa: N806

        while True:
            t0 = time.perf_counter()
            records = [_unpack(p) for p in itertools.islice(merged, chunk)]
            t1 = time.perf_counter()
            timings["sort"] += t1 - t0
            if not records:
                break
            # Institutions met for the first time: code → (id, county), kept for the whole file
            # (one small entry per registered institution). Their accounts and subject episodes
            # (~600 bytes an institution) are dropped when they outgrow INSTITUTION_CACHE, so that a
            # province-sized file keeps the import's memory flat, and read again when met again.
            codes = {r[R_CODE] for r in records}
            new_codes = sorted(codes - institutions.keys())
            if new_codes:
                institutions.update(dict.fromkeys(new_codes))
                for pk, code, county in _lookup(
                    f"SELECT id, credit_code, county_id FROM {Institution._meta.db_table} "
                    "WHERE credit_code IN ({})",
                    new_codes,
                ):
                    institutions[code] = (pk, sys.intern(county))
            ids = {inst[0] for inst in map(institutions.__getitem__, codes) if inst is not None}
            new_ids = ids - accounts.keys()
            if len(accounts) + len(new_ids) > INSTITUTION_CACHE:
                accounts.clear()
                episodes.clear()
                new_ids = ids
            if new_ids:
                accounts.update(_institution_accounts(new_ids, take))
                episodes.update(_episodes(new_ids))
            known = dict(
                _lookup(
                    "SELECT key, fingerprint FROM funds_fundevent WHERE key IN ({})",
                    list({r[R_KEY] for r in records}),
                )
            )
            states, liability = _contract_states(
                {(inst[0], r[R_NO]) for r in records if (inst := institutions.get(r[R_CODE])) is not None},
                lock=not sqlite,
            )
            timings["read"] += time.perf_counter() - t1
            t2 = time.perf_counter()
            seen: dict[str, str] = {}  # key → fingerprint of the record applied under it in this chunk
            closed_at: dict[int, Any] = {}
            opened: dict[int, tuple] = {}  # new contract id → (county, start date, opened_at)
            for record in records:
                done += 1
                row_no, key, ts, code, contract_no, student, kind, amount, hours = record
                if kind == CONSUMPTION:
                    # The release follows the cumulative rule; a stated 金额 is compared with it below
                    # (a warning when they differ) but is not part of the operation's content.
                    stated, amount = amount, None
                fp = fingerprint(kind, ts, code, contract_no, student, amount, hours)
                previous = seen.get(key) or known.get(key)
                if previous is not None:
                    if previous == fp:
                        report.skipped += 1
                    else:
                        errors.append(RowError(row_no, H_KEY, f"流水号“{key}”已用于内容不同的流水"))
                    continue
                inst = institutions.get(code)
                if inst is None:
                    errors.append(RowError(row_no, H_CODE, f"统一社会信用代码“{code}”不在机构名册中"))
                    continue
                inst_id, county = inst
                state = states.get((inst_id, contract_no))
                try:
                    if state is not None and kind != PAYMENT:
                        state.check_not_before(ts[:10])
                    if kind == CONSUMPTION and state is not None:
                        moved = state.consume(hours, student)
                        if stated is not None and stated != moved:
                            mismatched += 1
                            if mismatched <= MAX_ROW_WARNINGS:
                                report.warnings.append(
                                    f"第{row_no}行：消课金额{yuan(stated)}与按课时累计计算的划拨金额{yuan(moved)}"
                                    "不符，已按课时计算划拨"
                                )
                    elif kind == PAYMENT:
                        if state is not None:
                            raise FundsRefused(
                                f"合同“{contract_no}”已缴费，同一合同只能缴费一次（续费请签订新合同）",
                                code="duplicate_payment",
                            )
                        state = ContractState(
                            id=None,
                            institution_id=inst_id,
                            contract_no=contract_no,
                            student_ref=student,
                            paid=amount,
                            hours_total=hours,
                            is_new=True,
                            start=ts[:10],
                        )
                        moved = amount
                    elif state is None:
                        raise FundsRefused(
                            f"机构没有编号为“{contract_no}”的合同（合同须先缴费）", code="unknown_contract"
                        )
                    else:
                        moved = state.refund(amount, student)
                except FundsRefused as refusal:
                    errors.append(RowError(row_no, REFUSAL_COLUMNS.get(refusal.code, H_KIND), str(refusal)))
                    continue
                seen[key] = fp
                report.created += 1
                ts_db = to_ts(ts)
                event_id = take("funds_fundevent")
                acc = accounts[inst_id]
                if kind == PAYMENT:
                    states[(inst_id, contract_no)] = state
                    contract_id = state.id = take("funds_contract")
                    liability[contract_id] = take("funds_account")
                    opened[contract_id] = (county, ts[:10], ts_db)
                    writer.accounts.append(
                        (liability[contract_id], AccountKind.LIABILITY, inst_id, contract_id)
                    )
                    event_row(event_id, key, kind, ts_db, inst_id, contract_id, student, amount, hours, fp)
                    post(
                        event_id,
                        TransferKind.PAYMENT,
                        inst_id,
                        contract_id,
                        amount,
                        ts_db,
                        acc[CUSTODY],
                        liability[contract_id],
                    )
                    if county not in limits:
                        limits[county] = PrepaymentLimits.for_county(county, table)
                    day = dt.date.fromisoformat(ts[:10])
                    known_episodes = episodes.get(inst_id, ())
                    active = [sub for a, e, sub in known_episodes if a <= day and (e is None or e > day)]
                    subject = any(active)
                    if known_episodes and not active:
                        # The money is at the bank, so the payment is recorded; but an institution
                        # outside any approved episode (terminated, or not yet approved) must not be
                        # taking prepayments: the importer is told, row by row.
                        unlicensed += 1
                        if unlicensed <= MAX_ROW_WARNINGS:
                            report.warnings.append(
                                f"第{row_no}行：机构“{code}”在缴费日期{ts[:10]}不在任何审批的办学期间内"
                                "（已终止办学或尚未审批），仍收取了预收费"
                            )
                    for rule, detail, source in limits[county].breaches(
                        hours_centi=hours,
                        amount_fen=amount,
                        start=day,
                        end=None,
                        subject=subject,
                    ):
                        writer.violations.append(
                            (inst_id, county, contract_id, event_id, rule, detail, source[:200], now_db)
                        )
                    continue
                assert state.id is not None
                contract_id = state.id
                # A refund's event carries the amount refunded (the services do the same), whether
                # or not the row stated it.
                event_row(
                    event_id,
                    key,
                    kind,
                    ts_db,
                    inst_id,
                    contract_id,
                    student,
                    None if kind == CONSUMPTION else moved,
                    hours,
                    fp,
                )
                if moved > 0:
                    cash, discharge, out = release_kinds if kind == CONSUMPTION else refund_kinds
                    post(event_id, cash, inst_id, contract_id, moved, ts_db, acc[out], acc[CUSTODY])
                    post(
                        event_id,
                        discharge,
                        inst_id,
                        contract_id,
                        moved,
                        ts_db,
                        liability[contract_id],
                        acc[DISCHARGED],
                    )
                if state.status != OPEN:
                    closed_at[contract_id] = ts_db
            # New contracts with their counters at the end of the chunk, before the rows naming them.
            for s_ in states.values():
                if s_.id in opened:
                    county, start_date, opened_at = opened[s_.id]
                    writer.contracts.append(
                        (
                            s_.id,
                            s_.institution_id,
                            county,
                            s_.contract_no,
                            s_.student_ref,
                            writer.hours(s_.hours_total),
                            writer.hours(s_.consumed),
                            writer.hours(s_.pending),
                            s_.paid,
                            s_.released,
                            s_.refunded,
                            start_date,
                            s_.status,
                            new_verification_code(),
                            opened_at,
                            closed_at.get(s_.id) if s_.status != ContractStatus.OPEN else None,
                            "",
                        )
                    )
            changed = [
                (
                    writer.hours(s_.consumed),
                    writer.hours(s_.pending),
                    s_.released,
                    s_.refunded,
                    s_.status,
                    closed_at.get(s_.id) if s_.status != ContractStatus.OPEN else None,
                    s_.id,
                )
                for s_ in states.values()
                if s_.dirty and s_.id is not None and s_.id not in opened
            ]
            t3 = time.perf_counter()
            timings["simulate"] += t3 - t2
            writer.flush()
            writer.update_contracts(changed)
            timings["write"] += time.perf_counter() - t3
            gc.collect(1)  # the chunk's young objects, once (the collector is paused for the import)
            if self.progress:
                self.progress(done, total)
        if unlicensed > MAX_ROW_WARNINGS:
            report.warnings.append(
                f"另有{unlicensed - MAX_ROW_WARNINGS}行缴费发生在机构的办学期间之外（未逐行列出）"
            )
        if mismatched > MAX_ROW_WARNINGS:
            report.warnings.append(
                f"另有{mismatched - MAX_ROW_WARNINGS}行消课金额与按课时累计计算的划拨金额不符（未逐行列出）"
            )


REFUSAL_COLUMNS = {
    "over_consumption": H_HOURS,
    "refund_mismatch": H_AMOUNT,
    "student_mismatch": H_STUDENT,
    "duplicate_payment": H_CONTRACT,
    "unknown_contract": H_CONTRACT,
    "before_payment": H_TIME,
    "closed": H_CONTRACT,
    "nothing_to_refund": H_AMOUNT,
}
CONTRACT_FIELDS = (
    "c.id, c.institution_id, c.contract_no, c.student_ref, c.paid_fen, c.hours_total, c.hours_consumed, "
    "c.hours_pending, c.released_fen, c.refunded_fen, c.status, c.start_date, a.id"
)


def _contract_states(
    wanted: set[tuple[int, str]], *, lock: bool
) -> tuple[dict[tuple[int, str], ContractState], dict[int, int]]:
    """The existing contracts ``wanted`` ((institution id, contract no)) as ledger states, and
    contract id → its liability account id. With ``lock`` (PostgreSQL) the rows are locked
    ``FOR UPDATE`` in ascending pk order and read after the lock is granted."""
    from .ledger import decimal_to_centi

    numbers = sorted({no for _inst, no in wanted})
    found = _lookup(
        "SELECT c.id, c.institution_id, c.contract_no FROM funds_contract c WHERE c.contract_no IN ({})"
        if lock
        else f"SELECT {CONTRACT_FIELDS} FROM funds_contract c LEFT JOIN funds_account a "
        f"ON a.contract_id = c.id AND a.kind = '{AccountKind.LIABILITY}' WHERE c.contract_no IN ({{}})",
        numbers,
    )
    if lock:
        ids = sorted(pk for pk, inst_id, no in found if (inst_id, no) in wanted)
        found = _lookup(
            f"SELECT {CONTRACT_FIELDS} FROM funds_contract c LEFT JOIN funds_account a "
            f"ON a.contract_id = c.id AND a.kind = '{AccountKind.LIABILITY}' WHERE c.id IN ({{}}) "
            "ORDER BY c.id FOR UPDATE OF c",
            ids,
        )
    states: dict[tuple[int, str], ContractState] = {}
    liability: dict[int, int] = {}
    for (
        pk,
        inst_id,
        no,
        student_ref,
        paid,
        h_total,
        h_cons,
        h_pend,
        released,
        refunded,
        status,
        start,
        acc,
    ) in found:
        if (inst_id, no) not in wanted:
            continue
        states[(inst_id, no)] = ContractState(
            id=pk,
            institution_id=inst_id,
            contract_no=no,
            student_ref=student_ref,
            paid=paid,
            hours_total=decimal_to_centi(h_total),
            consumed=decimal_to_centi(h_cons),
            pending=decimal_to_centi(h_pend),
            released=released,
            refunded=refunded,
            status=status,
            start=str(start)[:10],
        )
        if acc is not None:
            liability[pk] = acc
    return states, liability


class _SortedRuns:
    """External sort of packed records: sorted runs of ``run_size`` strings pickled to a temporary
    directory (in blocks of 256), merged back with :func:`heapq.merge`. A file that fits in one
    run never touches the disk. Use as a context manager (the directory is removed on exit)."""

    BLOCK = 256

    def __init__(self, *, run_size: int) -> None:
        self.run_size = run_size
        self.current: list[str] = []
        self.files: list[Path] = []
        self.sort_seconds = 0.0
        self.tmp: tempfile.TemporaryDirectory[str] | None = None

    def __enter__(self) -> _SortedRuns:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.tmp is not None:
            self.tmp.cleanup()

    def add(self, packed: str) -> None:
        self.current.append(packed)
        if len(self.current) >= self.run_size:
            self._spill()

    def _spill(self) -> None:
        started = time.perf_counter()
        self.current.sort()
        if self.tmp is None:
            self.tmp = tempfile.TemporaryDirectory(prefix="fund-events-")
        path = Path(self.tmp.name) / f"run{len(self.files):05d}"
        with open(path, "wb") as handle:
            for start in range(0, len(self.current), self.BLOCK):
                pickle.dump(self.current[start : start + self.BLOCK], handle, pickle.HIGHEST_PROTOCOL)
        self.files.append(path)
        self.current = []
        self.sort_seconds += time.perf_counter() - started

    def finish(self) -> None:
        """Sort the last run (kept in memory; spilled too when there are earlier runs)."""
        if self.files and self.current:
            self._spill()
        else:
            started = time.perf_counter()
            self.current.sort()
            self.sort_seconds += time.perf_counter() - started

    @staticmethod
    def _read(path: Path) -> Iterator[str]:
        with open(path, "rb") as handle:
            while True:
                try:
                    block = pickle.load(handle)  # noqa: S301 - our own temporary file
                except EOFError:
                    return
                yield from block

    def merged(self) -> Iterator[str]:
        """Every record in (发生时间, 流水号, row) order."""
        if not self.files:
            records, self.current = self.current, []
            return iter(records)
        return heapq.merge(*(self._read(path) for path in self.files))


def _detect_encoding(path: Path) -> str:
    """ "utf-8-sig" (BOM), "utf-8" when the whole file decodes as UTF-8, else "gb18030" (GBK superset).

    Decodes incrementally in 1 MiB chunks, keeping nothing. Raises :class:`ImportFileError` when the
    file is neither.
    """
    import codecs

    with open(path, "rb") as handle:
        head = handle.read(3)
        if head == b"\xef\xbb\xbf":
            return "utf-8-sig"
        for encoding in ("utf-8", "gb18030"):
            handle.seek(0)
            decoder = codecs.getincrementaldecoder(encoding)()
            try:
                while chunk := handle.read(1 << 20):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
                return encoding
            except UnicodeDecodeError:
                continue
    raise ImportFileError("无法识别文件编码：请使用 UTF-8 或 GBK 编码的 CSV，或 .xlsx 文件")


def _lookup(sql: str, values: list, chunk: int = 900) -> list[tuple]:
    """Rows of ``sql`` (one ``IN ({})`` placeholder) for ``values``: on SQLite ``chunk`` values per
    query; on PostgreSQL one query, the values sent as one array (``= ANY(%s)``)."""
    out: list[tuple] = []
    if not values:
        return out
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(sql.replace(" IN ({})", " = ANY(%s)"), [list(values)])
            return cursor.fetchall()
        for part in _chunks(values, chunk):
            cursor.execute(sql.format(", ".join(["%s"] * len(part))), part)
            out.extend(cursor.fetchall())
    return out


def _episodes(institution_ids: set[int]) -> dict[int, list[tuple[dt.date, dt.date | None, bool]]]:
    """institution id → its episodes (approved_on, ended_on, is subject training) for
    ``institution_ids``, in plain SQL (the import reads them again each time its maps are dropped,
    so the ORM's per-query cost counts). Institutions with none are absent."""
    from shuangjian.institutions.models import InstitutionEpisode

    def day(value: Any) -> dt.date | None:
        return dt.date.fromisoformat(value) if isinstance(value, str) else value

    out: dict[int, list[tuple[dt.date, dt.date | None, bool]]] = {}
    for inst, approved, ended, category in _lookup(
        f"SELECT institution_id, approved_on, ended_on, category FROM {InstitutionEpisode._meta.db_table} "
        "WHERE institution_id IN ({})",
        sorted(institution_ids),
    ):
        out.setdefault(inst, []).append((day(approved), day(ended), category == "SUBJECT"))  # type: ignore[arg-type]
    return out


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _institution_accounts(
    institution_ids: set[int], take: Callable[[str], int] | None = None
) -> dict[int, dict[str, int]]:
    """The institution-level accounts of each institution (created in bulk when missing; with
    ``take``, their primary keys come from it — the import's pre-allocated keys on SQLite)."""
    from .models import Account

    ids = sorted(institution_ids)
    out: dict[int, dict[str, int]] = {i: {} for i in ids}

    def load() -> None:
        for inst, kind, pk in _lookup(
            f"SELECT institution_id, kind, id FROM {Account._meta.db_table} "
            "WHERE contract_id IS NULL AND institution_id IN ({})",
            ids,
        ):
            out[inst][kind] = pk

    load()
    missing = [(k, i) for i in ids for k in INSTITUTION_KINDS if k not in out[i]]
    if missing:
        with connection.cursor() as cursor:
            for part in _chunks(missing, 400):
                if take is None:
                    cursor.execute(
                        "INSERT INTO funds_account (kind, institution_id, contract_id) VALUES "
                        + ", ".join(["(%s, %s, NULL)"] * len(part))
                        + " ON CONFLICT DO NOTHING",
                        [value for row in part for value in row],
                    )
                else:
                    cursor.execute(
                        "INSERT INTO funds_account (id, kind, institution_id, contract_id) VALUES "
                        + ", ".join(["(%s, %s, %s, NULL)"] * len(part))
                        + " ON CONFLICT DO NOTHING",
                        [value for row in part for value in (take("funds_account"), *row)],
                    )
        load()
    return out
