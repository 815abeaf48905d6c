"""Imports of co-governance: social supervisors (社会监督员名册) and admission plans (招生计划).

``shuangjian import supervisors|admission-plans FILE [--skip-invalid]`` (registered in
``GovernanceConfig.ready``), DESIGN.md's file contract through :class:`Importer`: every bad cell of
every row named in Chinese; nothing changed when any row is bad unless ``--skip-invalid``;
re-importing the same file changes nothing (a row whose content equals the stored record is
skipped). With an ``actor`` (an upload on the web) every row must lie in the actor's region.
Columns: README "协同治理" section.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from django.db import transaction

from shuangjian.common.audit import save_audited
from shuangjian.common.importing import (
    Column,
    Importer,
    ImportReport,
    RowError,
    cell_text,
    parse_date,
    require,
)
from shuangjian.common.text import clean_name, nfkc
from shuangjian.regions.models import Region, RegionLevel

from .models import LEVEL_OF_REGION, AdmissionPlan, Supervisor, SupervisorField
from .services import admission_plan_save

T = TypeVar("T")
FIELD_WORDS = {str(label): value for value, label in SupervisorField.choices}
PHONE_RE = re.compile(r"^1\d{10}$|^0\d{2,3}-?\d{7,8}$")


class CellErrors:
    """Collects every bad cell of one row; ``raise_if_any`` raises the first with the others in ``extra``."""

    def __init__(self, row: int) -> None:
        self.row = row
        self.errors: list[RowError] = []

    def attempt(self, fn: Callable[[], T]) -> T | None:
        try:
            return fn()
        except RowError as error:
            self.errors.append(error)
            return None

    def raise_if_any(self) -> None:
        if self.errors:
            first, *rest = self.errors
            first.extra = rest
            raise first


def int_cell(
    cells: dict[str, Any], header: str, row: int, *, low: int, high: int, required: bool = True
) -> int | None:
    """An integer cell within [low, high] (thousands separators allowed); RowError in Chinese."""
    text = nfkc(cell_text(cells, header)).replace(",", "")
    if not text:
        if required:
            raise RowError(row, header, "不能为空")
        return None
    if not re.fullmatch(r"-?\d+(\.0+)?", text):
        raise RowError(row, header, f"“{text}”不是整数")
    value = int(float(text))
    if not low <= value <= high:
        raise RowError(row, header, f"应在{low}至{high}之间，而不是{value}")
    return value


def date_cell(cells: dict[str, Any], header: str, row: int, *, required: bool = True) -> dt.date | None:
    if not cell_text(cells, header):
        if required:
            raise RowError(row, header, "不能为空")
        return None
    try:
        return parse_date(cells[header])
    except ValueError as error:
        raise RowError(row, header, str(error)) from None


def fingerprint(*values: Any) -> str:
    return hashlib.sha256("\x1f".join("" if v is None else str(v) for v in values).encode()).hexdigest()


def _check_actor_region(actor: Any, code: str, row: int, header: str) -> None:
    if actor is None or actor.is_superuser:
        return
    if not (actor.is_regulator and actor.region and actor.region.contains(code)):
        raise RowError(row, header, f"“{code}”不在本账号的管辖区域内")


@dataclass
class SupervisorRow:
    number: str
    name: str
    region_code: str
    field: str
    work_unit: str
    phone: str
    term_start: dt.date
    term_end: dt.date
    source: str

    @property
    def fingerprint(self) -> str:
        return fingerprint(
            self.number,
            self.name,
            self.region_code,
            self.field,
            self.work_unit,
            self.phone,
            self.term_start,
            self.term_end,
            self.source,
        )


class SupervisorImporter(Importer):
    """社会监督员名册: one row per appointment term (key 聘书编号)."""

    kind = "supervisors"
    title = "社会监督员名册"
    columns: ClassVar[list[Column]] = [
        Column("聘书编号", True, "唯一编号，如 HNSJD2022001"),
        Column("姓名", True, "文本"),
        Column("选聘区域代码", True, "430000（省级）、市州代码（市级）或区县代码（县级）"),
        Column("监督领域", False, "校外培训 / 校内减负 / 综合（空为校外培训）"),
        Column("工作单位", False, "文本：工作单位或身份（家长代表、人大代表……）"),
        Column("联系电话", False, "11位手机号或区号-座机号"),
        Column("聘期开始", True, "日期"),
        Column("聘期结束", True, "日期，不早于聘期开始"),
        Column("选聘依据", False, "文本：选聘文件"),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._regions = dict(Region.objects.values_list("code", "level"))

    def parse_row(self, row_number: int, cells: dict[str, Any]) -> SupervisorRow:
        e = CellErrors(row_number)

        def number() -> str:
            value = nfkc(require(cells, "聘书编号", row_number)).upper()
            if len(value) > 40:
                raise RowError(row_number, "聘书编号", "不能超过40个字符")
            return value

        def region() -> str:
            value = nfkc(require(cells, "选聘区域代码", row_number))
            if value not in self._regions:
                raise RowError(row_number, "选聘区域代码", f"“{value}”不是有效的行政区划代码")
            _check_actor_region(self.actor, value, row_number, "选聘区域代码")
            return value

        def field() -> str:
            value = nfkc(cell_text(cells, "监督领域")) or "校外培训"
            if value not in FIELD_WORDS:
                raise RowError(row_number, "监督领域", f"“{value}”无效，应为：{'、'.join(FIELD_WORDS)}")
            return FIELD_WORDS[value]

        def phone() -> str:
            value = nfkc(cell_text(cells, "联系电话")).replace(" ", "")
            if value and not PHONE_RE.match(value):
                raise RowError(row_number, "联系电话", f"“{value}”不是有效的电话号码")
            return value

        def name() -> str:
            value = clean_name(require(cells, "姓名", row_number))
            if len(value) > 50:
                raise RowError(row_number, "姓名", "不能超过50个字符")
            return value

        values: dict[str, Any] = {
            "number": e.attempt(number),
            "name": e.attempt(name),
            "region_code": e.attempt(region),
            "field": e.attempt(field),
            "phone": e.attempt(phone),
            "term_start": e.attempt(lambda: date_cell(cells, "聘期开始", row_number)),
            "term_end": e.attempt(lambda: date_cell(cells, "聘期结束", row_number)),
        }
        if values["term_start"] and values["term_end"] and values["term_end"] < values["term_start"]:
            e.errors.append(RowError(row_number, "聘期结束", "不能早于聘期开始"))
        e.raise_if_any()
        return SupervisorRow(
            work_unit=clean_name(cell_text(cells, "工作单位"))[:200],
            source=cell_text(cells, "选聘依据")[:200],
            **values,
        )  # type: ignore[arg-type]

    def validate_records(self, records: list[tuple[int, Any]]) -> list[RowError]:
        errors: list[RowError] = []
        seen: dict[str, int] = {}
        existing = {s.number: s for s in Supervisor.objects.filter(number__in=[r.number for _, r in records])}
        for row, record in records:
            if record.number in seen:
                errors.append(RowError(row, "聘书编号", f"与第{seen[record.number]}行重复"))
            seen.setdefault(record.number, row)
            stored = existing.get(record.number)
            if stored is not None and (
                stored.region_id != record.region_code or stored.term_start != record.term_start
            ):
                errors.append(RowError(row, "聘书编号", "已登记的聘书的选聘区域或聘期开始不能通过导入修改"))
        return errors

    def apply(self, records: list[tuple[int, Any]], report: ImportReport) -> None:
        with transaction.atomic():
            existing = {
                s.number: s for s in Supervisor.objects.filter(number__in=[r.number for _, r in records])
            }
            new = []
            for _row, r in records:
                stored = existing.get(r.number)
                if stored is not None:
                    if stored.import_fingerprint == r.fingerprint:
                        report.skipped += 1
                        continue
                    for attr in ("name", "field", "work_unit", "phone", "term_end", "source"):
                        setattr(stored, attr, getattr(r, attr))
                    stored.import_fingerprint = r.fingerprint
                    save_audited(stored, user=self.actor, reason="导入更新社会监督员名册")
                    report.updated += 1
                    continue
                new.append(
                    Supervisor(
                        number=r.number,
                        name=r.name,
                        level=LEVEL_OF_REGION[self._regions[r.region_code]],
                        region_id=r.region_code,
                        field=r.field,
                        work_unit=r.work_unit,
                        phone=r.phone,
                        term_start=r.term_start,
                        term_end=r.term_end,
                        source=r.source,
                        import_fingerprint=r.fingerprint,
                    )
                )
            if new:
                from simple_history.utils import bulk_create_with_history

                bulk_create_with_history(
                    new,
                    Supervisor,
                    batch_size=500,
                    default_user=self.actor,
                    default_change_reason="导入社会监督员名册（选聘）",
                )
            report.created += len(new)


@dataclass
class AdmissionRow:
    year: int
    county_code: str
    school_code: str
    school_name: str
    plan_total: int
    quota_allocated: int
    quota_admitted: int | None
    cross_district: int

    @property
    def fingerprint(self) -> str:
        return fingerprint(
            self.year,
            self.county_code,
            self.school_code,
            self.school_name,
            self.plan_total,
            self.quota_allocated,
            self.quota_admitted,
            self.cross_district,
        )


class AdmissionPlanImporter(Importer):
    """优质普通高中招生计划: one row per school and year (key 年度 + 学校标识码)."""

    kind = "admission-plans"
    title = "优质普通高中招生计划"
    columns: ClassVar[list[Column]] = [
        Column("年度", True, "招生年度，如 2022"),
        Column("区县代码", True, "学校所在区县的行政区划代码"),
        Column("学校标识码", True, "学校标识码（不超过20个字符）"),
        Column("学校名称", True, "文本"),
        Column("招生计划数", True, "整数，> 0"),
        Column("指标生分配数", True, "整数，不超过招生计划数：分配到初中学校的指标生名额"),
        Column("指标生录取数", False, "整数，不超过指标生分配数（录取结束后填写）"),
        Column("跨区域招生数", False, "整数，≥ 0（空为 0）"),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._counties = set(Region.objects.filter(level=RegionLevel.COUNTY).values_list("code", flat=True))

    def parse_row(self, row_number: int, cells: dict[str, Any]) -> AdmissionRow:
        e = CellErrors(row_number)

        def county() -> str:
            value = nfkc(require(cells, "区县代码", row_number))
            if value not in self._counties:
                raise RowError(row_number, "区县代码", f"“{value}”不是区县级行政区划代码")
            _check_actor_region(self.actor, value, row_number, "区县代码")
            return value

        def school_code() -> str:
            value = nfkc(require(cells, "学校标识码", row_number))
            if len(value) > 20:
                raise RowError(row_number, "学校标识码", "不能超过20个字符")
            return value

        year = e.attempt(lambda: int_cell(cells, "年度", row_number, low=2000, high=2100))
        plan = e.attempt(lambda: int_cell(cells, "招生计划数", row_number, low=1, high=100000))
        allocated = e.attempt(lambda: int_cell(cells, "指标生分配数", row_number, low=0, high=100000))
        admitted = e.attempt(
            lambda: int_cell(cells, "指标生录取数", row_number, low=0, high=100000, required=False)
        )
        cross = e.attempt(
            lambda: int_cell(cells, "跨区域招生数", row_number, low=0, high=100000, required=False)
        )
        values = {
            "county_code": e.attempt(county),
            "school_code": e.attempt(school_code),
            "school_name": e.attempt(lambda: clean_name(require(cells, "学校名称", row_number))[:200]),
        }
        if plan is not None and allocated is not None and allocated > plan:
            e.errors.append(RowError(row_number, "指标生分配数", f"{allocated} 超过招生计划数 {plan}"))
        if allocated is not None and admitted is not None and admitted > allocated:
            e.errors.append(RowError(row_number, "指标生录取数", f"{admitted} 超过指标生分配数 {allocated}"))
        e.raise_if_any()
        # Every cell was checked above (raise_if_any), so none of these is None any more.
        checked: dict[str, Any] = {
            "year": year,
            "plan_total": plan,
            "quota_allocated": allocated,
            "quota_admitted": admitted,
            "cross_district": cross or 0,
            **values,
        }
        return AdmissionRow(**checked)

    def validate_records(self, records: list[tuple[int, Any]]) -> list[RowError]:
        errors: list[RowError] = []
        seen: dict[tuple[int, str], int] = {}
        for row, r in records:
            key = (r.year, r.school_code)
            if key in seen:
                errors.append(RowError(row, "学校标识码", f"{r.year}年该校已在第{seen[key]}行出现"))
            seen.setdefault(key, row)
        return errors

    def apply(self, records: list[tuple[int, Any]], report: ImportReport) -> None:
        with transaction.atomic():
            existing = {
                (p.year, p.school_code): p
                for p in AdmissionPlan.objects.filter(
                    year__in={r.year for _, r in records}, school_code__in=[r.school_code for _, r in records]
                )
            }
            for _row, r in records:
                plan = existing.get((r.year, r.school_code))
                if plan is not None and plan.import_fingerprint == r.fingerprint:
                    report.skipped += 1
                    continue
                created = plan is None
                plan = plan or AdmissionPlan(year=r.year, school_code=r.school_code)
                plan.county_id, plan.school_name = r.county_code, r.school_name
                plan.plan_total, plan.quota_allocated = r.plan_total, r.quota_allocated
                plan.quota_admitted, plan.cross_district = r.quota_admitted, r.cross_district
                plan.import_fingerprint = r.fingerprint
                admission_plan_save(actor=self.actor, plan=plan, reason="导入招生计划")
                if created:
                    report.created += 1
                else:
                    report.updated += 1
