"""Imports of school–enterprise programmes and 1+X assessment sites, exactly per DESIGN.md.

- ``shuangjian import vocational-programmes FILE`` (校企合作项目): one row per programme cohort, key 项目编号.
  A new row creates the enterprise when its credit code is new and files the programme (已备案: the
  department's own list); a known 项目编号 with other values updates the programme (audited); the same
  values change nothing.
- ``shuangjian import x-certificate-sites FILE`` (1+X证书考核站点): one row per site, key 站点编号; the
  certificate (证书名称 + 培训评价组织) enters the catalogue when new; a site with 撤销日期 is 已撤销.

Every bad cell of every row is named (row, column, Chinese reason); with any bad row nothing changes
unless ``--skip-invalid``. With an ``actor`` (a web upload) every row's school must lie in the actor's
region.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from shuangjian.common.codes import CreditCodeError, credit_code_normalize
from shuangjian.common.importing import Column, Importer, ImportReport, RowError, cell_text, parse_date
from shuangjian.common.scoping import user_region_prefix
from shuangjian.common.text import clean_name, nfkc

from .choices import FilingState, ProgrammeKind, SiteState
from .majors import MAJOR_CODE_RE
from .models import Agreement, AssessmentSite, Enterprise, Programme
from .services import CooperationError, _audit, certificate_upsert, county_of_credit_code, levels_normalize

KIND_WORDS = {
    "学徒制": ProgrammeKind.APPRENTICESHIP,
    "中国特色学徒制": ProgrammeKind.APPRENTICESHIP,
    "订单班": ProgrammeKind.ORDER_CLASS,
    "订单培养": ProgrammeKind.ORDER_CLASS,
}


def school_model():
    return apps.get_model("vocational", "VocationalSchool")


class Cells:
    """Collects every bad cell of one row; :meth:`raise_if_bad` raises the first with the rest attached."""

    def __init__(self, row: int, cells: dict[str, Any]) -> None:
        self.row, self.cells = row, cells
        self.errors: list[RowError] = []

    def bad(self, header: str, reason: str) -> None:
        self.errors.append(RowError(self.row, header, reason))

    def text(self, header: str, *, required: bool = True) -> str:
        value = cell_text(self.cells, header)
        if required and not value:
            self.bad(header, "不能为空")
        return value

    def integer(self, header: str, *, low: int, high: int, required: bool = True) -> int | None:
        text = nfkc(cell_text(self.cells, header)).replace(",", "")
        if not text:
            if required:
                self.bad(header, "不能为空")
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            self.bad(header, f"“{text}”不是整数")
            return None
        if value != value.to_integral_value():
            self.bad(header, f"“{text}”不是整数")
            return None
        if not low <= int(value) <= high:
            self.bad(header, f"应在{low}至{high}之间，而不是{int(value)}")
            return None
        return int(value)

    def date(self, header: str, *, required: bool = True) -> dt.date | None:
        value = self.cells.get(header)
        if value is None or cell_text(self.cells, header) == "":
            if required:
                self.bad(header, "不能为空")
            return None
        try:
            day = parse_date(value)
        except ValueError as exc:
            self.bad(header, str(exc))
            return None
        if day > timezone.localdate():
            self.bad(header, f"{day:%Y-%m-%d}晚于今天")
            return None
        if day.year < 2000:
            self.bad(header, f"{day:%Y-%m-%d}早于2000年")
            return None
        return day

    def raise_if_bad(self) -> None:
        if self.errors:
            first, *rest = self.errors
            first.extra = rest
            raise first


def _scoped_schools(actor: Any) -> dict[str, Any]:
    """School code → school, limited to what ``actor`` may import (all schools without an actor)."""
    qs = school_model().objects.all()
    if actor is not None:
        prefix = user_region_prefix(actor)
        if prefix is None:
            return {}
        if prefix:
            qs = qs.filter(county__code__startswith=prefix)
    return {s.code: s for s in qs}


@dataclass
class ProgrammeRow:
    code: str
    kind: str
    school: Any
    major_code: str
    major_name: str
    credit_code: str
    enterprise_name: str
    entry_year: int
    students: int
    signed_on: dt.date
    ended_on: dt.date | None


class ProgrammeImporter(Importer):
    """校企合作项目 (DESIGN.md "School–enterprise programmes")."""

    kind: ClassVar[str] = "vocational-programmes"
    title: ClassVar[str] = "校企合作项目"
    columns: ClassVar[list[Column]] = [
        Column("项目编号", True, "唯一编号"),
        Column("项目类型", True, "学徒制 / 订单班"),
        Column("学校标识码", True, "名册中的职业院校"),
        Column("专业代码", True, "该校开设的专业"),
        Column("企业统一社会信用代码", True, "18位，校验位正确"),
        Column("企业名称", True, "文本"),
        Column("年级", True, "入学年份"),
        Column("学生人数", True, "大于0的整数"),
        Column("协议签订日期", True, "日期"),
        Column("结束日期", False, "日期"),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.schools = _scoped_schools(self.actor)
        self.offered: dict[tuple[int, str], str] | None = None

    def _majors(self) -> dict[tuple[int, str], str]:
        if self.offered is None:
            major_model = school_model()._meta.get_field("majors").related_model
            self.offered = {
                (school_id, code): name
                for school_id, code, name in major_model.objects.values_list(
                    "school_id", "major__code", "name"
                )
            }
        return self.offered

    def parse_row(self, row_number: int, cells: dict[str, Any]) -> ProgrammeRow:
        c = Cells(row_number, cells)
        code = nfkc(c.text("项目编号"))
        kind_text = nfkc(c.text("项目类型"))
        kind = KIND_WORDS.get(kind_text)
        if kind_text and kind is None:
            c.bad("项目类型", f"“{kind_text}”应为“学徒制”或“订单班”")
        school_code = nfkc(c.text("学校标识码"))
        school = self.schools.get(school_code)
        if school_code and school is None:
            c.bad(
                "学校标识码",
                f"“{school_code}”不在职业院校名册中" + ("或不在您的管辖范围内" if self.actor else ""),
            )
        major_code = nfkc(c.text("专业代码")).upper()
        major_name = ""
        if major_code:
            if not MAJOR_CODE_RE.match(major_code):
                c.bad("专业代码", f"“{major_code}”应为6位数字（国控专业末尾加K）")
            elif school is not None:
                major_name = self._majors().get((school.pk, major_code), "")
                if not major_name:
                    c.bad("专业代码", f"学校“{school.name}”未开设专业“{major_code}”")
        credit_text = c.text("企业统一社会信用代码")
        credit_code = ""
        if credit_text:
            try:
                credit_code = credit_code_normalize(credit_text)
            except CreditCodeError as exc:
                c.bad("企业统一社会信用代码", str(exc))
        name = clean_name(c.text("企业名称"))
        year = c.integer("年级", low=2000, high=timezone.localdate().year + 1)
        students = c.integer("学生人数", low=1, high=100000)
        signed_on = c.date("协议签订日期")
        ended_on = c.date("结束日期", required=False)
        if signed_on and ended_on and ended_on <= signed_on:
            c.bad("结束日期", "应晚于协议签订日期")
        c.raise_if_bad()
        # Every cell was checked above (raise_if_bad), so none of these is None any more.
        cells_checked: tuple[Any, ...] = (
            code,
            kind,
            school,
            major_code,
            major_name,
            credit_code,
            name,
            year,
            students,
            signed_on,
            ended_on,
        )
        return ProgrammeRow(*cells_checked)

    def validate_records(self, records: list[tuple[int, ProgrammeRow]]) -> list[RowError]:
        errors: list[RowError] = []
        seen: dict[str, int] = {}
        names: dict[str, tuple[int, str]] = {}
        for row, rec in records:
            if rec.code in seen:
                errors.append(RowError(row, "项目编号", f"与第{seen[rec.code]}行重复"))
            seen.setdefault(rec.code, row)
            first = names.setdefault(rec.credit_code, (row, rec.enterprise_name))
            if first[1] != rec.enterprise_name:
                errors.append(
                    RowError(row, "企业名称", f"与第{first[0]}行同一信用代码的企业名称“{first[1]}”不一致")
                )
        existing = {p.code: p for p in Programme.objects.filter(code__in=list(seen)).select_related("school")}
        for row, rec in records:
            old = existing.get(rec.code)
            if old is not None and (old.school_id != rec.school.pk or old.kind != rec.kind):
                errors.append(
                    RowError(
                        row,
                        "项目编号",
                        f"“{rec.code}”已属于{old.school.name}的{old.get_kind_display()}，"
                        "不能改为其他学校或类型",
                    )
                )
        return errors

    @transaction.atomic
    def apply(self, records: list[tuple[int, ProgrammeRow]], report: ImportReport) -> None:
        enterprises = {
            e.credit_code: e
            for e in Enterprise.objects.filter(credit_code__in={r.credit_code for _, r in records})
        }
        existing = {p.code: p for p in Programme.objects.filter(code__in=[r.code for _, r in records])}
        now = timezone.now()
        for done, (_row, rec) in enumerate(records, start=1):
            enterprise = enterprises.get(rec.credit_code)
            if enterprise is None:
                enterprise = Enterprise(
                    credit_code=rec.credit_code,
                    name=rec.enterprise_name,
                    county_id=county_of_credit_code(rec.credit_code),
                )
                _audit(enterprise, self.actor, "导入校企合作项目时登记企业")
                enterprise.save()
                enterprises[rec.credit_code] = enterprise
            elif enterprise.name != rec.enterprise_name:
                enterprise.name = rec.enterprise_name
                _audit(enterprise, self.actor, "导入：更新企业名称")
                enterprise.save()
            values = {
                "major_code": rec.major_code,
                "major_name": rec.major_name,
                "enterprise_id": enterprise.pk,
                "entry_year": rec.entry_year,
                "students": rec.students,
                "agreement_signed_on": rec.signed_on,
                "ended_on": rec.ended_on,
            }
            programme = existing.get(rec.code)
            if programme is None:
                programme = Programme(
                    code=rec.code,
                    kind=rec.kind,
                    school=rec.school,
                    state=FilingState.APPROVED,
                    source="import",
                    submitted_at=now,
                    reviewed_at=now,
                    **values,
                )
                if rec.ended_on and rec.ended_on <= timezone.localdate():
                    programme.state = FilingState.COMPLETED
                _audit(programme, self.actor, "导入备案")
                programme.save()
                agreement = Agreement(programme=programme, kind="SCHOOL_ENTERPRISE", signed_on=rec.signed_on)
                _audit(agreement, self.actor, "导入备案")
                agreement.save()
                report.created += 1
            else:
                changed = [k for k, v in values.items() if getattr(programme, k) != v]
                if not changed:
                    report.skipped += 1
                else:
                    for key in changed:
                        setattr(programme, key, values[key])
                    _audit(programme, self.actor, "导入更新")
                    programme.save()
                    report.updated += 1
            if self.progress and done % 500 == 0:
                self.progress(done, len(records))


@dataclass
class SiteRow:
    code: str
    school: Any
    certificate: str
    organisation: str
    levels: str
    approved_on: dt.date
    revoked_on: dt.date | None


class SiteImporter(Importer):
    """1+X证书考核站点 (DESIGN.md "1+X assessment sites")."""

    kind: ClassVar[str] = "x-certificate-sites"
    title: ClassVar[str] = "1+X证书考核站点"
    columns: ClassVar[list[Column]] = [
        Column("站点编号", True, "唯一编号"),
        Column("学校标识码", True, "承建学校"),
        Column("证书名称", True, "职业技能等级证书"),
        Column("培训评价组织", True, "文本"),
        Column("等级", True, "初级、中级、高级中的一个或多个"),
        Column("批准日期", True, "日期"),
        Column("撤销日期", False, "日期"),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.schools = _scoped_schools(self.actor)

    def parse_row(self, row_number: int, cells: dict[str, Any]) -> SiteRow:
        c = Cells(row_number, cells)
        code = nfkc(c.text("站点编号"))
        school_code = nfkc(c.text("学校标识码"))
        school = self.schools.get(school_code)
        if school_code and school is None:
            c.bad(
                "学校标识码",
                f"“{school_code}”不在职业院校名册中" + ("或不在您的管辖范围内" if self.actor else ""),
            )
        certificate = clean_name(c.text("证书名称"))
        organisation = clean_name(c.text("培训评价组织"))
        levels_text = c.text("等级")
        levels = ""
        if levels_text:
            try:
                levels = levels_normalize(levels_text)
            except CooperationError as exc:
                c.bad("等级", str(exc))
        approved_on = c.date("批准日期")
        revoked_on = c.date("撤销日期", required=False)
        if approved_on and revoked_on and revoked_on < approved_on:
            c.bad("撤销日期", "不能早于批准日期")
        c.raise_if_bad()
        return SiteRow(code, school, certificate, organisation, levels, approved_on, revoked_on)  # type: ignore[arg-type]

    def validate_records(self, records: list[tuple[int, SiteRow]]) -> list[RowError]:
        errors: list[RowError] = []
        seen: dict[str, int] = {}
        for row, rec in records:
            if rec.code in seen:
                errors.append(RowError(row, "站点编号", f"与第{seen[rec.code]}行重复"))
            seen.setdefault(rec.code, row)
        existing = {
            s.code: s for s in AssessmentSite.objects.filter(code__in=list(seen)).select_related("school")
        }
        for row, rec in records:
            old = existing.get(rec.code)
            if old is not None and old.school_id != rec.school.pk:
                errors.append(RowError(row, "站点编号", f"“{rec.code}”已属于{old.school.name}"))
            elif old is not None and old.state in (SiteState.APPLIED, SiteState.REJECTED):
                errors.append(
                    RowError(
                        row, "站点编号", f"“{rec.code}”是{old.get_state_display()}的申请，请在审核页面办理"
                    )
                )
        return errors

    @transaction.atomic
    def apply(self, records: list[tuple[int, SiteRow]], report: ImportReport) -> None:
        existing = {s.code: s for s in AssessmentSite.objects.filter(code__in=[r.code for _, r in records])}
        certificates: dict[tuple[str, str], Any] = {}
        now = timezone.now()
        for _row, rec in records:
            key = (rec.certificate, rec.organisation)
            if key not in certificates:
                certificates[key], _created = certificate_upsert(
                    name=rec.certificate, organisation=rec.organisation, levels=rec.levels, actor=self.actor
                )
            cert = certificates[key]
            if not set(rec.levels.split(",")) <= set(cert.levels.split(",")):
                cert, _ = certificate_upsert(
                    name=rec.certificate, organisation=rec.organisation, levels=rec.levels, actor=self.actor
                )
                certificates[key] = cert
            state = SiteState.REVOKED if rec.revoked_on else SiteState.APPROVED
            values = {
                "certificate_id": cert.pk,
                "levels": rec.levels,
                "approved_on": rec.approved_on,
                "revoked_on": rec.revoked_on,
                "state": state,
            }
            site = existing.get(rec.code)
            if site is None:
                site = AssessmentSite(
                    code=rec.code, school=rec.school, source="import", applied_at=now, **values
                )
                _audit(site, self.actor, "导入考核站点")
                site.save()
                report.created += 1
            elif all(getattr(site, k) == v for k, v in values.items()):
                report.skipped += 1
            else:
                for key_, value in values.items():
                    setattr(site, key_, value)
                _audit(site, self.actor, "导入更新考核站点")
                site.save()
                report.updated += 1
