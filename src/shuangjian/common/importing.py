"""Reading tabular imports: .xlsx (first sheet) and CSV in UTF-8, UTF-8 with BOM or GB18030/GBK.

An area's importer (``shuangjian.<area>.importers``) subclasses :class:`Importer`: it declares its
columns, turns each row into a validated record (raising :class:`RowError`), and applies the valid
records in one transaction. The framework enforces DESIGN.md's file contract: Chinese headers in
any order, unknown columns ignored with a warning, a missing required column named, every bad row
reported (row number, column, reason, in Chinese), nothing changed when any row is bad unless
``skip_invalid``, progress on long files.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from django.utils import timezone

from .signals import records_changed_send
from .text import nfkc

MAX_IMPORT_BYTES = 200 * 1024 * 1024


class ImportFileError(Exception):
    """The file as a whole cannot be read (format, encoding, missing column); message in Chinese."""


@dataclass(frozen=True)
class Column:
    """A column of an import file: Chinese header, whether required, and a description of its values."""

    header: str
    required: bool = True
    values: str = ""


@dataclass
class RowError(Exception):
    """A problem with one row: 1-based row number as shown in a spreadsheet, column header, reason.

    ``parse_row`` raises the row's first problem with the row's other problems in ``extra``, so that
    the report lists every bad cell of every row, not just the first.
    """

    row: int
    column: str
    reason: str
    extra: list[RowError] = field(default_factory=list, repr=False, compare=False)

    def __str__(self) -> str:
        where = f"第{self.row}行" + (f"“{self.column}”列" if self.column else "")
        return f"{where}：{self.reason}"


@dataclass
class ImportReport:
    """What an import did. ``applied`` is False when the file was refused and nothing changed."""

    total_rows: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    applied: bool = False

    def summary(self) -> str:
        """One Chinese line with the counts; errors are counted in rows (a row with several bad
        cells is one bad row), with the number of problems beside them when it differs."""
        state = "已导入" if self.applied else "未导入（未做任何修改）"
        bad_rows = len({e.row for e in self.errors})
        problems = f"（{len(self.errors)} 处）" if len(self.errors) != bad_rows else ""
        return (
            f"{state}：共 {self.total_rows} 行，新增 {self.created}，更新 {self.updated}，"
            f"跳过（重复）{self.skipped}，错误 {bad_rows} 行{problems}"
        )


Progress = Callable[[int, int], None]


def _decode_csv(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise ImportFileError("无法识别文件编码：请使用 UTF-8 或 GBK 编码的 CSV，或 .xlsx 文件") from None


def read_table(
    path: Path | str, *, data: bytes | None = None, filename: str | None = None
) -> list[list[Any]]:
    """Rows of the file as lists of cell values (header row first).

    ``data`` may hold the file's bytes (an upload) with ``filename`` giving its extension.
    Raises :class:`ImportFileError` for an unsupported or unreadable file.
    """
    name = (filename or str(path)).lower()
    if data is None:
        p = Path(path)
        if not p.exists():
            raise ImportFileError(f"文件不存在：{path}")
        if p.stat().st_size > MAX_IMPORT_BYTES:
            raise ImportFileError("文件过大（上限 200 MB）")
        data = p.read_bytes()
    if name.endswith(".xlsx"):
        import openpyxl

        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a damaged file
            raise ImportFileError(f"无法读取 .xlsx 文件：{exc.__class__.__name__}") from None
        sheet = workbook.worksheets[0]
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        workbook.close()
        return rows
    if name.endswith(".csv") or name.endswith(".txt"):
        text = _decode_csv(data)
        return [row for row in csv.reader(io.StringIO(text))]
    raise ImportFileError("不支持的文件类型：请上传 .csv 或 .xlsx 文件")


_DATE_PATTERNS = [
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
]
_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
_ISO_DATETIME_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\Z", re.ASCII)


def parse_date(value: Any) -> dt.date:
    """A date written 2023-06-05, 2023/6/5, 2023年6月5日, or an Excel date/serial number.

    Raises ``ValueError`` with a Chinese reason.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 200000:
        # An Excel serial date (1900 system).
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
    text = nfkc(value)
    text = text.split(" ")[0] if re.match(r"^\d{4}[-/]\d{1,2}[-/]\d{1,2} ", text) else text
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                break
    raise ValueError(f"“{value}”不是有效日期（例：2023-06-05、2023/6/5、2023年6月5日）")


def parse_datetime(value: Any) -> dt.datetime:
    """A date-time (Asia/Shanghai when no zone is given); a bare date means its midnight.

    Accepts the date forms of :func:`parse_date` followed by ``HH:MM[:SS]``. Raises ``ValueError``.
    """
    tz = timezone.get_default_timezone()
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value, tz)
    if isinstance(value, str):
        # Fast path for the usual "2023-06-05 14:30[:00]" (same result as the general path below).
        m = _ISO_DATETIME_RE.match(value)
        if m:
            year, month, day, hour, minute, second = m.groups()
            try:
                return dt.datetime(
                    int(year), int(month), int(day), int(hour), int(minute), int(second or 0), tzinfo=tz
                )
            except ValueError:
                pass  # the general path words the reason
    text = nfkc(value).replace("T", " ")
    date_part, _, time_part = text.partition(" ")
    try:
        day = parse_date(date_part if time_part else value)
    except ValueError:
        raise ValueError(f"“{value}”不是有效时间（例：2023-06-05 14:30）") from None
    hour = minute = second = 0
    if time_part:
        m = _TIME_RE.match(time_part.strip())
        if not m:
            raise ValueError(f"“{value}”不是有效时间（例：2023-06-05 14:30）")
        hour, minute, second = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
        if hour > 23 or minute > 59 or second > 59:
            raise ValueError(f"“{value}”不是有效时间")
    return dt.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=tz)


def parse_yes_no(value: Any) -> bool | None:
    """是/否 (also Y/N, 1/0, true/false); empty gives None. Raises ``ValueError``."""
    text = nfkc(value).lower()
    if text == "":
        return None
    if text in {"是", "y", "yes", "1", "true", "√"}:
        return True
    if text in {"否", "n", "no", "0", "false", "×"}:
        return False
    raise ValueError(f"“{value}”应为“是”或“否”")


class Importer:
    """Base class of an area's importer.

    Subclasses set ``kind`` (the name used by ``shuangjian import KIND FILE``), ``title`` and
    ``columns``, and implement :meth:`parse_row` (cells → record, raising :class:`RowError`) and
    :meth:`apply` (write the valid records in one transaction, fill the report's counts). Rules that
    depend on earlier rows or on the database (duplicate keys, ledger rules) may be checked in
    :meth:`validate_records`, which returns more :class:`RowError`s.
    """

    kind: ClassVar[str] = ""
    title: ClassVar[str] = ""
    columns: ClassVar[list[Column]] = []

    def __init__(self, *, progress: Progress | None = None, actor: Any = None) -> None:
        self.progress = progress
        self.actor = actor

    # -- to implement -------------------------------------------------------------------------
    def parse_row(self, row_number: int, cells: dict[str, Any]) -> Any:
        raise NotImplementedError

    def validate_records(self, records: list[tuple[int, Any]]) -> list[RowError]:
        return []

    def apply(self, records: list[tuple[int, Any]], report: ImportReport) -> None:
        raise NotImplementedError

    # -- framework ----------------------------------------------------------------------------
    def _header_map(self, header: list[Any], report: ImportReport) -> dict[str, int]:
        positions: dict[str, int] = {}
        known = {c.header for c in self.columns}
        for index, cell in enumerate(header):
            name = nfkc(cell)
            if not name:
                continue
            if name in known:
                if name in positions:
                    raise ImportFileError(f"表头“{name}”出现了两次")
                positions[name] = index
            else:
                report.warnings.append(f"未知列“{name}”已忽略")
        missing = [c.header for c in self.columns if c.required and c.header not in positions]
        if missing:
            raise ImportFileError("缺少必需的列：" + "、".join(f"“{m}”" for m in missing))
        return positions

    def iter_cells(self, rows: list[list[Any]], report: ImportReport) -> Iterator[tuple[int, dict[str, Any]]]:
        """(row number, {header: value}) for every non-empty data row."""
        if not rows:
            raise ImportFileError("文件为空：第1行应为表头")
        positions = self._header_map(rows[0], report)
        for offset, row in enumerate(rows[1:], start=2):
            if all(cell is None or str(cell).strip() == "" for cell in row):
                continue
            cells = {h: (row[i] if i < len(row) else None) for h, i in positions.items()}
            yield offset, cells

    def run(
        self,
        path: Path | str,
        *,
        skip_invalid: bool = False,
        data: bytes | None = None,
        filename: str | None = None,
    ) -> ImportReport:
        """Validate every row, then apply (all or nothing unless ``skip_invalid``).

        Raises :class:`ImportFileError` when the file itself cannot be used.
        """
        report = ImportReport()
        rows = read_table(path, data=data, filename=filename)
        records: list[tuple[int, Any]] = []
        parsed = list(self.iter_cells(rows, report))
        report.total_rows = len(parsed)
        for done, (row_number, cells) in enumerate(parsed, start=1):
            try:
                records.append((row_number, self.parse_row(row_number, cells)))
            except RowError as error:
                report.errors.append(error)
                report.errors.extend(error.extra)
            if self.progress and (done % 1000 == 0 or done == report.total_rows):
                self.progress(done, report.total_rows)
        report.errors.extend(self.validate_records(records))
        bad_rows = {e.row for e in report.errors}
        report.errors.sort(key=lambda e: (e.row, e.column))
        if bad_rows and not skip_invalid:
            return report
        good = [(n, r) for n, r in records if n not in bad_rows]
        self.apply(good, report)
        report.applied = True
        records_changed_send(type(self))
        return report


def cell_text(cells: dict[str, Any], header: str) -> str:
    """The cell under ``header`` as trimmed text ("" when empty or absent)."""
    value = cells.get(header)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def require(cells: dict[str, Any], header: str, row: int) -> str:
    """The non-empty text of a required cell; raises :class:`RowError` "不能为空"."""
    text = cell_text(cells, header)
    if not text:
        raise RowError(row, header, "不能为空")
    return text


IMPORTERS: dict[str, str] = {
    # kind → dotted path of the Importer subclass; areas add theirs here as they land.
}


def importer_for(kind: str) -> type[Importer]:
    """The importer class registered for ``kind``; ``KeyError`` when none is."""
    from django.utils.module_loading import import_string

    return import_string(IMPORTERS[kind])


def iter_batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Consecutive lists of at most ``size`` items."""
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
