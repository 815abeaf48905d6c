"""Writes of vocational education: keyword-only, typed, each in one transaction, each audited.

Who may write: the command line (``actor`` None) and superusers anything; regulators the schools in
their subtree; a vocational school's staff (role 职业院校) only their own school's returns and majors.
A refused write raises :class:`VocationalError` (Chinese reason); every saved change records the actor
and a reason in the history (``common.audit``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction

from shuangjian.common.audit import audit, delete_audited, save_audited
from shuangjian.common.errors import DomainError

from .models import (
    AnnualReturn,
    CatalogueItem,
    Designation,
    DesignationKind,
    Partnership,
    SchoolMajor,
    VocationalSchool,
    level_of_code,
)


class VocationalError(DomainError):
    """A refused vocational write (no access, a major of another level, …)."""

    code = "vocational_refused"


def can_write_school(
    actor: Any, school: VocationalSchool | None = None, *, county_code: str | None = None
) -> bool:
    """Whether ``actor`` may write records of ``school`` (or of a new school in ``county_code``).

    None (the command line) and superusers: yes. Regulators: inside their subtree. Vocational staff:
    their own school only (never a new one).
    """
    if actor is None or getattr(actor, "is_superuser", False):
        return True
    county = school.county_id if school is not None else county_code
    if getattr(actor, "is_regulator", False) and actor.region_id:
        return bool(county) and str(county).startswith(actor.region.subtree_prefix)
    if getattr(actor, "vocational_school_id", None):
        return school is not None and actor.vocational_school_id == school.pk
    return False


def _require(actor: Any, school: VocationalSchool | None, county_code: str | None = None) -> None:
    if not can_write_school(actor, school, county_code=county_code):
        raise VocationalError("无权填报该学校的数据", code="vocational_forbidden", http_status=403)


@dataclass(frozen=True)
class SchoolInput:
    """Registry attributes of a school (as of its latest return)."""

    code: str
    name: str
    county_id: str
    level: str
    sponsor: str
    closed_on: dt.date | None = None
    is_technical: bool | None = None
    founded_on: dt.date | None = None
    industry: str | None = None
    standard_category: str | None = None


@transaction.atomic
def vocational_school_upsert(*, actor: Any, data: SchoolInput) -> tuple[VocationalSchool, str]:
    """Create or update the school with 学校标识码 ``data.code``; returns (school, "created" / "updated" /
    "unchanged"). Optional attributes left None keep their stored value. Raises ``VocationalError`` when
    the actor may not write it or when the stored level differs (a 中职 that became a 高职 gets a new code).
    """
    school = VocationalSchool.objects.select_for_update().filter(code=data.code).first()
    _require(actor, school, data.county_id)
    values: dict[str, Any] = {
        "name": data.name,
        "county_id": data.county_id,
        "level": data.level,
        "sponsor": data.sponsor,
        "closed_on": data.closed_on,
    }
    for name in ("is_technical", "founded_on", "industry", "standard_category"):
        if getattr(data, name) is not None:
            values[name] = getattr(data, name)
    if school is None:
        school = VocationalSchool(code=data.code, **values)
        school.full_clean()
        save_audited(school, user=actor, reason="登记职业院校")
        return school, "created"
    if school.level != data.level:
        raise VocationalError(
            f"学校“{data.code}”已登记为{school.get_level_display()}，办学层次不能改为其他层次"
        )
    changed = [name for name, value in values.items() if getattr(school, name) != value]
    if not changed:
        return school, "unchanged"
    for name in changed:
        setattr(school, name, values[name])
    school.full_clean()
    save_audited(
        school, user=actor, reason="更新职业院校名册信息" + ("（停办）" if "closed_on" in changed else "")
    )
    return school, "updated"


@dataclass(frozen=True)
class ReturnInput:
    """Figures of an annual return (units as on :class:`AnnualReturn`)."""

    year: int
    name: str
    students: int
    teachers: int
    dual_teachers: int | None = None
    land_m2: Decimal | None = None
    building_m2: Decimal | None = None
    equipment_fen: int | None = None
    books: int | None = None


RETURN_FIELDS = (
    "name",
    "students",
    "teachers",
    "dual_teachers",
    "land_m2",
    "building_m2",
    "equipment_fen",
    "books",
)


@transaction.atomic
def annual_return_file(
    *, actor: Any, school: VocationalSchool, data: ReturnInput
) -> tuple[AnnualReturn, str]:
    """File (or correct) ``school``'s return for ``data.year``; returns (return, "created" / "updated" /
    "unchanged"). Raises ``VocationalError`` without access or when 双师型 exceeds 专任教师."""
    _require(actor, school)
    if data.dual_teachers is not None and data.dual_teachers > data.teachers:
        raise VocationalError("双师型教师数不能多于专任教师数")
    ret = AnnualReturn.objects.select_for_update().filter(school=school, year=data.year).first()
    values = {name: getattr(data, name) for name in RETURN_FIELDS}
    if ret is None:
        ret = AnnualReturn(school=school, year=data.year, **values)
        save_audited(ret, user=actor, reason=f"填报{data.year}年度办学条件")
        return ret, "created"
    changed = [name for name, value in values.items() if _differs(getattr(ret, name), value)]
    if not changed:
        return ret, "unchanged"
    for name in changed:
        setattr(ret, name, values[name])
    save_audited(ret, user=actor, reason=f"更正{data.year}年度办学条件")
    return ret, "updated"


def _differs(stored: Any, new: Any) -> bool:
    if isinstance(stored, Decimal) or isinstance(new, Decimal):
        return (None if stored is None else Decimal(stored)) != (None if new is None else Decimal(new))
    return stored != new


@transaction.atomic
def designation_for_year(*, actor: Any, school: VocationalSchool, kind: str, year: int, active: bool) -> str:
    """Record that ``school`` holds (``active``) or does not hold designation ``kind`` in statistical
    year ``year`` (the 是/否 columns of the registry file); returns "created" / "ended" / "removed" /
    "unchanged".

    是: a designation covering 1 January of ``year`` exists, else one starting that day is created.
    否: an open designation that started before ``year`` ends on 1 January of ``year``; one that started
    on 1 January of ``year`` (filed earlier for the same year) is removed as a correction. Re-filing the
    same answer changes nothing; files of several years may come in any order.
    """
    _require(actor, school)
    start = dt.date(year, 1, 1)
    rows = list(Designation.objects.select_for_update().filter(school=school, kind=kind))
    covering = [d for d in rows if d.is_active_on(start)]
    if active:
        if covering:
            return "unchanged"
        later = [d for d in rows if d.started_on > start]
        designation = Designation(
            school=school,
            kind=kind,
            started_on=start,
            ended_on=min((d.started_on for d in later), default=None),
        )
        save_audited(designation, user=actor, reason=f"{year}年度名册：{DesignationKind(kind).label}")
        return "created"
    for designation in covering:
        if designation.started_on == start:
            delete_audited(
                designation, user=actor, reason=f"{year}年度名册更正：非{DesignationKind(kind).label}"
            )
            return "removed"
        designation.ended_on = start
        save_audited(designation, user=actor, reason=f"{year}年度名册：不再是{DesignationKind(kind).label}")
        return "ended"
    return "unchanged"


@transaction.atomic
def designation_add(
    *,
    actor: Any,
    school: VocationalSchool,
    kind: str,
    started_on: dt.date,
    ended_on: dt.date | None = None,
    batch: str = "",
    integration_mode: str = "",
    partner: str = "",
    note: str = "",
) -> Designation:
    """Add a dated designation (a 双优 batch, a 市级培训中心 naming, a 职普融通 pilot). Raises
    ``VocationalError`` for an end before the start or an overlap with one of the same kind."""
    _require(actor, school)
    if ended_on is not None and ended_on <= started_on:
        raise VocationalError("结束日期应晚于开始日期")
    for other in Designation.objects.select_for_update().filter(school=school, kind=kind):
        if other.started_on < (ended_on or dt.date.max) and started_on < (other.ended_on or dt.date.max):
            raise VocationalError(f"与已有的{other.get_kind_display()}（{other.started_on}起）时间重叠")
    designation = Designation(
        school=school,
        kind=kind,
        started_on=started_on,
        ended_on=ended_on,
        batch=batch,
        integration_mode=integration_mode,
        partner=partner,
        note=note,
    )
    save_audited(designation, user=actor, reason=f"认定{designation.get_kind_display()}")
    return designation


@transaction.atomic
def partnership_add(
    *,
    actor: Any,
    kind: str,
    stage1: VocationalSchool,
    stage2: VocationalSchool,
    started_on: dt.date,
    stage1_major: str = "",
    stage2_major: str = "",
    ended_on: dt.date | None = None,
) -> Partnership:
    """Record a 贯通培养 partnership; the stage-1 school must be a 中职 (or a 高职 for 高职本科贯通)."""
    _require(actor, stage1)
    if stage1.pk == stage2.pk:
        raise VocationalError("前段学校与后段学校不能相同")
    partnership = Partnership(
        kind=kind,
        stage1=stage1,
        stage2=stage2,
        started_on=started_on,
        ended_on=ended_on,
        stage1_major=stage1_major,
        stage2_major=stage2_major,
    )
    save_audited(partnership, user=actor, reason=f"登记{partnership.get_kind_display()}")
    return partnership


def major_error(
    school: VocationalSchool, item: CatalogueItem | None, code: str, opened_year: int
) -> str | None:
    """Why ``code`` cannot be a major of ``school`` opened in ``opened_year`` (Chinese), or None."""
    if item is None or item.kind != "MAJOR":
        level = level_of_code(code)
        if level is not None and len(code.rstrip("K")) == 6:
            return f"“{code}”不在职业教育专业目录中"
        return f"“{code}”不是专业代码（6位数字，国家控制布点专业末尾加K）"
    if item.level != school.level:
        return (
            f"“{code} {item.name}”是{item.get_level_display()}专业，"
            f"不能作为{school.get_level_display()}学校的专业"
        )
    if item.added_year and opened_year < item.added_year:
        return f"“{code}”自{item.added_year}年起才列入目录"
    if item.retired_year and opened_year >= item.retired_year:
        return f"“{code}”已于{item.retired_year}年从目录中撤销"
    return None


@transaction.atomic
def school_major_upsert(
    *, actor: Any, school: VocationalSchool, code: str, name: str, opened_year: int, stopped_year: int | None
) -> tuple[SchoolMajor, str]:
    """Open (or update) a major of ``school`` (专业设置); returns (major, "created"/"updated"/"unchanged").

    Raises ``VocationalError`` for a code outside the catalogue or of another level, or a 停招年份 before
    the 开设年份. A stopped major keeps its row (history)."""
    _require(actor, school)
    item = CatalogueItem.objects.filter(code=code).first()
    message = major_error(school, item, code, opened_year)
    if message:
        raise VocationalError(message)
    if stopped_year is not None and stopped_year < opened_year:
        raise VocationalError("停招年份不能早于开设年份")
    row = SchoolMajor.objects.select_for_update().filter(school=school, major=item).first()
    values = {"name": name, "opened_year": opened_year, "stopped_year": stopped_year}
    if row is None:
        row = SchoolMajor(school=school, major=item, **values)
        save_audited(row, user=actor, reason="开设专业" if stopped_year is None else "登记专业（已停招）")
        return row, "created"
    changed = [k for k, v in values.items() if getattr(row, k) != v]
    if not changed:
        return row, "unchanged"
    for k in changed:
        setattr(row, k, values[k])
    audit(
        row, user=actor, reason="专业停招" if "stopped_year" in changed and stopped_year else "更新专业设置"
    )
    row.save()
    return row, "updated"
