"""`shuangjian import reports FILE [--skip-invalid]` (DESIGN.md "Reports and leads").

One row per report; ``线索编号`` is the key. A row is applied as a report in the state the file gives:
with ``办结时间`` it is closed (已办结) at that time; else ``是否有效`` = 是 makes it a lead being
handled (办理中), 否 a report judged invalid awaiting formal closure (已签收), empty a new report
(待签收). Deadlines are computed from ``受理时间`` with the county's rule data, so overdue and on-time
figures work for imported lists too. 爆雷/冒烟 rows are flagged urgent and put on the risk list.

Idempotency: each applied row stores a fingerprint of its normalised cells; a row whose number
exists with the same fingerprint is skipped, one with a different fingerprint (or a number used by a
report registered on the platform) is a bad row. Imported rows are not merged as duplicates (an
upstream list has already settled its own duplicates).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from shuangjian.common.bulkinsert import bulk_insert_with_history
from shuangjian.common.codes import CreditCodeError, credit_code_normalize
from shuangjian.common.importing import (
    Column,
    Importer,
    ImportReport,
    RowError,
    cell_text,
    iter_batches,
    parse_datetime,
    parse_yes_no,
    require,
)
from shuangjian.common.rules import RuleBook
from shuangjian.common.text import nfkc
from shuangjian.common.workdays import WorkdayCalendar
from shuangjian.institutions.models import Institution
from shuangjian.regions.models import Region, RegionLevel

from .choices import URGENT_TYPES, ReportType, RiskKind, Source, Status, label_to_value
from .models import Report, RiskFlag
from .validation import EARLIEST_DATE

MAX_TEXT = 5000
CHUNK = 2000  # rows written per round of bulk inserts


@dataclass(frozen=True)
class ReportRow:
    """One parsed row of a reports file."""

    number: str
    source: str
    report_type: str
    county_code: str
    credit_code: str
    received_at: dt.datetime
    is_valid: bool | None
    closed_at: dt.datetime | None
    description: str

    @cached_property
    def fingerprint(self) -> str:
        """SHA-256 (hex) of the normalised cells: equal for the same row written again."""
        parts = [
            self.number,
            self.source,
            self.report_type,
            self.county_code,
            self.credit_code,
            self.received_at.isoformat(),
            repr(self.is_valid),
            self.closed_at.isoformat() if self.closed_at else "",
            self.description,
        ]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


class ReportImporter(Importer):
    """Importer of 投诉举报线索 files (DESIGN.md columns; see the module docstring for the rules)."""

    kind = "reports"
    title = "投诉举报线索"
    columns = [
        Column("线索编号", True, "唯一编号"),
        Column("来源", True, "随手拍 / 电话 / 网络 / 部转 / 督查"),
        Column(
            "类型",
            True,
            "违规学科类培训 / 在职教师有偿补课 / 违规收费 / 爆雷 / 冒烟 / 虚假广告 / 安全隐患 / 其他",
        ),
        Column("区县代码", True, "区县级行政区划代码"),
        Column("统一社会信用代码", False, "被举报机构（已知时）"),
        Column("受理时间", True, "日期时间"),
        Column("是否有效", False, "是 / 否 / 空（未研判）"),
        Column("办结时间", False, "日期时间"),
        Column("内容", False, "文本"),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._sources = label_to_value(Source)
        self._types = label_to_value(ReportType)
        self._counties = set(Region.objects.filter(level=RegionLevel.COUNTY).values_list("code", flat=True))
        self._now = timezone.now()
        self._codes: dict[str, str] = {}  # raw cell → normalised credit code (files repeat them)
        # The first acceptable moment: midnight (current time zone, Shanghai) of EARLIEST_DATE.
        self._earliest = dt.datetime.combine(EARLIEST_DATE, dt.time(), tzinfo=timezone.get_current_timezone())

    def parse_row(self, row_number: int, cells: dict[str, Any]) -> ReportRow:
        """One row → :class:`ReportRow`; every bad cell of the row is reported (not only the first).

        Raises the first :class:`RowError` of the row with the others on its ``extra`` attribute
        (expanded by :meth:`run`, as the institutions importer does).
        """
        errors: list[RowError] = []

        def attempt(fn: Any) -> Any:
            try:
                return fn()
            except RowError as error:
                errors.append(error)
                return None

        def number() -> str:
            value = nfkc(require(cells, "线索编号", row_number))
            if len(value) > 40:
                raise RowError(row_number, "线索编号", "不能超过40个字符")
            return value

        def source() -> str:
            label = nfkc(require(cells, "来源", row_number))
            if label not in self._sources:
                raise RowError(row_number, "来源", f"“{label}”无效，应为：{'、'.join(self._sources)}")
            return self._sources[label]

        def report_type() -> str:
            label = nfkc(require(cells, "类型", row_number))
            if label not in self._types:
                raise RowError(row_number, "类型", f"“{label}”无效，应为：{'、'.join(self._types)}")
            return self._types[label]

        def county() -> str:
            value = nfkc(require(cells, "区县代码", row_number))
            if value not in self._counties:
                raise RowError(row_number, "区县代码", f"“{value}”不是区县级行政区划代码")
            return value

        def credit_code() -> str:
            raw = cell_text(cells, "统一社会信用代码")
            if not raw:
                return ""
            known = self._codes.get(raw)
            if known is not None:
                return known
            try:
                self._codes[raw] = code = credit_code_normalize(raw)
            except CreditCodeError as error:
                raise RowError(row_number, "统一社会信用代码", str(error)) from None
            return code

        def received() -> dt.datetime:
            raw = cells.get("受理时间")
            if not isinstance(raw, dt.date):
                raw = require(cells, "受理时间", row_number)
            try:
                value = parse_datetime(raw)
            except ValueError as error:
                raise RowError(row_number, "受理时间", str(error)) from None
            if value < self._earliest:
                raise RowError(row_number, "受理时间", f"不能早于{EARLIEST_DATE:%Y-%m-%d}")
            if value > self._now + dt.timedelta(minutes=5):
                raise RowError(row_number, "受理时间", "不能晚于当前时间")
            return value

        def is_valid() -> bool | None:
            try:
                return parse_yes_no(cells.get("是否有效"))
            except ValueError as error:
                raise RowError(row_number, "是否有效", str(error)) from None

        def closed() -> dt.datetime | None:
            if cells.get("办结时间") in (None, "") or not cell_text(cells, "办结时间"):
                return None
            try:
                value = parse_datetime(cells["办结时间"])
            except ValueError as error:
                raise RowError(row_number, "办结时间", str(error)) from None
            if value > self._now + dt.timedelta(minutes=5):
                raise RowError(row_number, "办结时间", "不能晚于当前时间")
            return value

        def description() -> str:
            value = cell_text(cells, "内容")
            if len(value) > MAX_TEXT:
                raise RowError(row_number, "内容", f"不能超过{MAX_TEXT}个字符")
            return value

        values = {
            "number": attempt(number),
            "source": attempt(source),
            "report_type": attempt(report_type),
            "county_code": attempt(county),
            "credit_code": attempt(credit_code),
            "received_at": attempt(received),
            "is_valid": attempt(is_valid),
            "closed_at": attempt(closed),
            "description": attempt(description),
        }
        closed_at, received_at = values["closed_at"], values["received_at"]
        if closed_at is not None and received_at is not None and closed_at < received_at:
            errors.append(RowError(row_number, "办结时间", "不能早于受理时间"))
        if errors:
            first = errors[0]
            first.extra = errors[1:]
            raise first
        return ReportRow(**values)

    def validate_records(self, records: list[tuple[int, ReportRow]]) -> list[RowError]:
        errors: list[RowError] = []
        seen: dict[str, tuple[int, str]] = {}
        self._skip: set[int] = set()
        for row_number, record in records:
            if record.number in seen:
                first_row, fingerprint = seen[record.number]
                if fingerprint == record.fingerprint:
                    self._skip.add(row_number)
                else:
                    errors.append(
                        RowError(
                            row_number, "线索编号", f"“{record.number}”与第{first_row}行编号相同但内容不同"
                        )
                    )
                continue
            seen[record.number] = (row_number, record.fingerprint)
        existing: dict[str, tuple[bool, str]] = {}
        # One lookup per 900 numbers through the unique index on 线索编号 (plain SQL: the ORM's
        # per-parameter preparation of 20,000 numbers costs more than the lookups themselves).
        table = connection.ops.quote_name(Report._meta.db_table)
        with connection.cursor() as cursor:
            for batch in iter_batches(list(seen), 900):
                marks = ", ".join(["%s"] * len(batch))
                cursor.execute(
                    f"SELECT number, imported, import_fingerprint FROM {table} WHERE number IN ({marks})",  # noqa: S608
                    batch,
                )
                for number, imported, fingerprint in cursor.fetchall():
                    existing[number] = (bool(imported), fingerprint)
        for row_number, record in records:
            if record.number not in existing or row_number in self._skip:
                continue
            imported, fingerprint = existing[record.number]
            if imported and fingerprint == record.fingerprint:
                self._skip.add(row_number)
            elif not imported:
                errors.append(RowError(row_number, "线索编号", f"“{record.number}”已被平台受理的举报使用"))
            else:
                errors.append(
                    RowError(
                        row_number,
                        "线索编号",
                        f"“{record.number}”已导入且内容不同；已导入的线索请在平台上办理，不能用文件覆盖",
                    )
                )
        return errors

    @transaction.atomic
    def apply(self, records: list[tuple[int, ReportRow]], report: ImportReport) -> None:
        """Write the new reports (and the risk flags of 爆雷/冒烟 rows) in bulk with their history rows.

        One query for the institutions named per 500 codes, one for the rule data, the working-day
        calendar walked once per distinct (受理日期, limit); reports and history rows written by
        :func:`~shuangjian.common.bulkinsert.bulk_insert_with_history` in chunks of 2,000 rows.
        """
        skip: set[int] = getattr(self, "_skip", set())
        todo = [r for n, r in records if n not in skip]
        report.skipped = len(records) - len(todo)
        codes = {r.credit_code for r in todo if r.credit_code}
        institutions: dict[str, tuple[int, str]] = {}
        for batch in iter_batches(sorted(codes), 500):
            institutions.update(
                (code, (pk, name))
                for pk, code, name in Institution.objects.filter(credit_code__in=batch).values_list(
                    "pk", "credit_code", "name"
                )
            )
        calendar = WorkdayCalendar()
        rules = RuleBook(prefix="complaints.")
        limits: dict[tuple[str, bool], tuple[int, int]] = {}
        deadlines: dict[tuple[dt.date, int, int], tuple[dt.date, dt.date, str]] = {}
        tz = timezone.get_current_timezone()
        actor = self.actor if getattr(self.actor, "pk", None) else None
        actor_id = getattr(actor, "pk", None)
        now = timezone.now()
        created = 0
        for batch in iter_batches(todo, CHUNK):
            rows: list[dict[str, Any]] = []
            flags: list[dict[str, Any]] = []
            for row in batch:
                urgent = row.report_type in URGENT_TYPES
                key = (row.county_code, urgent)
                if key not in limits:
                    prefix = "complaints.urgent_" if urgent else "complaints."
                    limits[key] = (
                        int(rules.value(f"{prefix}ack_working_days", row.county_code)),
                        int(rules.value(f"{prefix}complete_working_days", row.county_code)),
                    )
                ack_days, complete_days = limits[key]
                start = row.received_at.astimezone(tz).date()
                due_key = (start, ack_days, complete_days)
                if due_key not in deadlines:
                    # chinese-calendar is slow per call; a file has few distinct days.
                    ack_due = calendar.add_working_days(start, ack_days)
                    due = calendar.add_working_days(start, complete_days)
                    years = [f"{y}年" for y in range(start.year, due.year + 1)]
                    warning = "；".join(w for w in calendar.warnings if any(w.startswith(y) for y in years))
                    deadlines[due_key] = (ack_due, due, warning[:200])
                ack_due, due, warning = deadlines[due_key]
                institution_id, institution_name = institutions.get(row.credit_code, (None, ""))
                if row.closed_at is not None:
                    status = Status.CLOSED
                elif row.is_valid is True:
                    status = Status.HANDLING
                elif row.is_valid is False:
                    status = Status.ACCEPTED
                else:
                    status = Status.NEW
                rows.append(
                    {
                        "number": row.number,
                        "source": row.source,
                        "report_type": row.report_type,
                        "county_id": row.county_code,
                        "institution_id": institution_id,
                        "institution_credit_code": row.credit_code if institution_id is None else "",
                        "description": row.description,
                        "received_at": row.received_at,
                        "ack_due": ack_due,
                        "due_date": due,
                        "deadline_warning": warning,
                        "urgent": urgent,
                        "status": str(status),
                        "is_valid": row.is_valid,
                        "closed_at": row.closed_at,
                        "acknowledged_at": row.received_at if status != Status.NEW else None,
                        "judged_at": (row.closed_at or row.received_at) if row.is_valid is not None else None,
                        "imported": True,
                        "import_fingerprint": row.fingerprint,
                        "created_by_id": actor_id,
                    }
                )
                if urgent:
                    flags.append(
                        {
                            "kind": str(RiskKind(row.report_type)),
                            "institution_id": institution_id,
                            "institution_text": institution_name if institution_id else row.credit_code,
                            "county_id": row.county_code,
                            "raised_at": row.received_at,
                            "cleared_at": row.closed_at if row.is_valid is False else None,
                        }
                    )
            ids = bulk_insert_with_history(Report, rows, user=actor, reason="批量导入", now=now)
            if flags:
                report_ids = [pk for pk, values in zip(ids, rows, strict=True) if values["urgent"]]
                for flag, report_id in zip(flags, report_ids, strict=True):
                    flag["report_id"] = report_id
                bulk_insert_with_history(
                    RiskFlag, flags, user=actor, reason="爆雷/冒烟线索导入，列入机构风险清单", now=now
                )
            created += len(ids)
            if self.progress:
                self.progress(created, len(todo))
        report.created = created
        if calendar.warnings:
            report.warnings.extend(calendar.warnings)
