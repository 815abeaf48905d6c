"""Import of parent schools (家长学校名册): ``shuangjian import parent-schools FILE [--skip-invalid]``.

One row per parent school (key 家长学校编号); DESIGN.md's file contract through :class:`Importer`
(every bad cell named in Chinese, all-or-nothing unless ``--skip-invalid``, re-import changes
nothing). New rows are bulk-inserted with their history rows (12,000+ schools in the province).
Columns: README "家校社共育" section.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, ClassVar

from django.db import transaction

from shuangjian.common.audit import save_audited
from shuangjian.common.importing import Column, Importer, ImportReport, RowError, cell_text, require
from shuangjian.common.text import clean_name, nfkc
from shuangjian.governance.importers import CellErrors, date_cell, fingerprint
from shuangjian.regions.models import Region, RegionLevel

from .models import KIND_WORDS, ParentSchool


@dataclass
class ParentSchoolRow:
    code: str
    name: str
    kind: str
    county_code: str
    host: str
    established_on: dt.date
    closed_on: dt.date | None

    @property
    def fingerprint(self) -> str:
        return fingerprint(
            self.code, self.name, self.kind, self.county_code, self.host, self.established_on, self.closed_on
        )


class ParentSchoolImporter(Importer):
    kind = "parent-schools"
    title = "家长学校名册"
    columns: ClassVar[list[Column]] = [
        Column("家长学校编号", True, "唯一编号（不超过30个字符）"),
        Column("名称", True, "文本"),
        Column("类型", True, "学校 / 社区"),
        Column("区县代码", True, "区县级行政区划代码"),
        Column("依托单位", False, "举办的学校或社区名称"),
        Column("成立日期", True, "日期"),
        Column("停办日期", False, "日期，不早于成立日期"),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._counties = set(Region.objects.filter(level=RegionLevel.COUNTY).values_list("code", flat=True))

    def parse_row(self, row_number: int, cells: dict[str, Any]) -> ParentSchoolRow:
        e = CellErrors(row_number)

        def code() -> str:
            value = nfkc(require(cells, "家长学校编号", row_number)).upper()
            if len(value) > 30:
                raise RowError(row_number, "家长学校编号", "不能超过30个字符")
            return value

        def kind() -> str:
            value = nfkc(require(cells, "类型", row_number))
            if value not in KIND_WORDS:
                raise RowError(row_number, "类型", f"“{value}”无效，应为：学校、社区")
            return str(KIND_WORDS[value])

        def county() -> str:
            value = nfkc(require(cells, "区县代码", row_number))
            if value not in self._counties:
                raise RowError(row_number, "区县代码", f"“{value}”不是区县级行政区划代码")
            actor = self.actor
            if (
                actor is not None
                and not actor.is_superuser
                and not (actor.is_regulator and actor.region and actor.region.contains(value))
            ):
                raise RowError(row_number, "区县代码", f"“{value}”不在本账号的管辖区域内")
            return value

        values: dict[str, Any] = {
            "code": e.attempt(code),
            "kind": e.attempt(kind),
            "county_code": e.attempt(county),
            "name": e.attempt(lambda: clean_name(require(cells, "名称", row_number))[:200]),
            "established_on": e.attempt(lambda: date_cell(cells, "成立日期", row_number)),
            "closed_on": e.attempt(lambda: date_cell(cells, "停办日期", row_number, required=False)),
        }
        if (
            values["established_on"]
            and values["closed_on"]
            and values["closed_on"] < values["established_on"]
        ):
            e.errors.append(RowError(row_number, "停办日期", "不能早于成立日期"))
        e.raise_if_any()
        return ParentSchoolRow(host=clean_name(cell_text(cells, "依托单位"))[:200], **values)  # type: ignore[arg-type]

    def validate_records(self, records: list[tuple[int, Any]]) -> list[RowError]:
        errors: list[RowError] = []
        seen: dict[str, int] = {}
        for row, r in records:
            if r.code in seen:
                errors.append(RowError(row, "家长学校编号", f"与第{seen[r.code]}行重复"))
            seen.setdefault(r.code, row)
        return errors

    def apply(self, records: list[tuple[int, Any]], report: ImportReport) -> None:
        from simple_history.utils import bulk_create_with_history

        with transaction.atomic():
            existing = {p.code: p for p in ParentSchool.objects.filter(code__in=[r.code for _, r in records])}
            new = []
            for _row, r in records:
                stored = existing.get(r.code)
                if stored is not None and stored.import_fingerprint == r.fingerprint:
                    report.skipped += 1
                    continue
                if stored is not None:
                    for attr in ("name", "kind", "host", "established_on", "closed_on"):
                        setattr(stored, attr, getattr(r, attr))
                    stored.county_id, stored.import_fingerprint = r.county_code, r.fingerprint
                    save_audited(stored, user=self.actor, reason="导入更新家长学校名册")
                    report.updated += 1
                    continue
                new.append(
                    ParentSchool(
                        code=r.code,
                        name=r.name,
                        kind=r.kind,
                        county_id=r.county_code,
                        host=r.host,
                        established_on=r.established_on,
                        closed_on=r.closed_on,
                        import_fingerprint=r.fingerprint,
                    )
                )
            if new:
                bulk_create_with_history(
                    new,
                    ParentSchool,
                    batch_size=1000,
                    default_user=self.actor,
                    default_change_reason="导入家长学校名册",
                )
            report.created += len(new)
