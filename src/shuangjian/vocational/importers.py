"""Imports of the vocational registry (DESIGN.md "Vocational schools" and "Majors offered").

- ``shuangjian import vocational-schools FILE``: one row per school per 统计年度 (the annual return of
  basic conditions); key (学校标识码, 统计年度). The school's registry attributes (name, county, level,
  举办者, 停办日期) follow its latest year in the file (an older year never overwrites a newer one);
  省双优建设 / 职教中心 是/否 set the school's dated designations for that year.
- ``shuangjian import vocational-majors FILE``: one row per school × major; key (学校标识码, 专业代码); the
  code must be a major of the school's level in the catalogue.

Both follow DESIGN.md's file contract through :class:`shuangjian.common.importing.Importer`: every bad
cell of every row reported (row, column, Chinese reason); nothing changed when any row is bad unless
``--skip-invalid``; re-importing the same file changes nothing. With an ``actor`` (an upload on the web)
every row must lie within what the actor may write.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django.db import transaction
from django.utils import timezone

from shuangjian.common.importing import (
    Column,
    Importer,
    ImportReport,
    RowError,
    cell_text,
    parse_date,
    parse_yes_no,
    require,
)
from shuangjian.common.rules import province_prefix
from shuangjian.common.text import clean_name, nfkc, yuan_to_fen
from shuangjian.common.validation import cell_int
from shuangjian.regions.models import Region, RegionLevel

from .models import (
    IDENTIFIER_TYPE,
    CatalogueItem,
    DesignationKind,
    Level,
    Sponsor,
    StandardCategory,
    VocationalSchool,
)
from .services import (
    ReturnInput,
    SchoolInput,
    annual_return_file,
    can_write_school,
    designation_for_year,
    major_error,
    school_major_upsert,
    vocational_school_upsert,
)

LEVEL_WORDS = {
    "中职": Level.SECONDARY,
    "中等职业学校": Level.SECONDARY,
    "中等职业教育": Level.SECONDARY,
    "高职专科": Level.ASSOCIATE,
    "高职": Level.ASSOCIATE,
    "高等职业教育专科": Level.ASSOCIATE,
    "职业本科": Level.BACHELOR,
    "本科层次职业教育": Level.BACHELOR,
}
SPONSOR_WORDS = {"公办": Sponsor.PUBLIC, "民办": Sponsor.PRIVATE}
CATEGORY_WORDS = {str(c.label): c.value for c in StandardCategory}
MAX_AREA = Decimal("100000000")  # 1亿平方米: far above any campus; catches unit slips (公顷 vs 平方米)


class CellCollector:
    """Runs each cell parser of a row and keeps every error, so that a row reports all its bad cells."""

    def __init__(self, row: int) -> None:
        self.row = row
        self.errors: list[RowError] = []

    def take(self, parse: Callable[[], Any], default: Any = None) -> Any:
        try:
            return parse()
        except RowError as error:
            self.errors.append(error)
            self.errors.extend(error.extra)
            return default

    def fail(self, column: str, reason: str) -> None:
        self.errors.append(RowError(self.row, column, reason))

    def raise_if_any(self) -> None:
        if self.errors:
            first, *rest = self.errors
            raise RowError(first.row, first.column, first.reason, extra=rest)


def _year(cells: dict[str, Any], header: str, row: int, *, required: bool = True) -> int | None:
    text = nfkc(cell_text(cells, header)).removesuffix("年").removesuffix("年度")
    if text == "":
        if required:
            raise RowError(row, header, "不能为空")
        return None
    if not re.fullmatch(r"\d{4}", text):
        raise RowError(row, header, f"“{text}”不是年份（例：2022）")
    year = int(text)
    latest = timezone.localdate().year + 1
    if not 1949 <= year <= latest:
        raise RowError(row, header, f"应在1949至{latest}之间，而不是{year}")
    return year


def _yes_no(cells: dict[str, Any], header: str, row: int) -> bool | None:
    try:
        return parse_yes_no(cell_text(cells, header))
    except ValueError as error:
        raise RowError(row, header, str(error)) from None


def _area(cells: dict[str, Any], header: str, row: int) -> Decimal | None:
    text = nfkc(cell_text(cells, header)).replace(",", "")
    if text == "":
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise RowError(row, header, f"“{text}”不是数字（单位：平方米）") from None
    if not value.is_finite() or value < 0:
        raise RowError(row, header, "不能为负数")
    if value != value.quantize(Decimal("0.01")):
        raise RowError(row, header, "最多两位小数")
    if value > MAX_AREA:
        raise RowError(row, header, f"{text}平方米超出合理范围，请核对单位（平方米）")
    return value.quantize(Decimal("0.01"))


def _date(cells: dict[str, Any], header: str, row: int) -> dt.date | None:
    value = cells.get(header)
    if value is None or cell_text(cells, header) == "":
        return None
    try:
        day = parse_date(value)
    except ValueError as error:
        raise RowError(row, header, str(error)) from None
    if day.year < 1900 or day > timezone.localdate() + dt.timedelta(days=366):
        raise RowError(row, header, f"日期{day}超出合理范围")
    return day


# --- 职业院校名册 -------------------------------------------------------------------------------------
@dataclass
class SchoolRow:
    school: SchoolInput
    ret: ReturnInput
    double_excellence: bool
    centre: bool | None
    city_training: bool | None


class VocationalSchoolImporter(Importer):
    """职业院校名册 (DESIGN.md "Vocational schools"): one row per school per 统计年度."""

    kind = "vocational-schools"
    title = "职业院校名册（办学条件年报）"
    columns: ClassVar[list[Column]] = [
        Column(
            "学校标识码",
            True,
            "10位数字 AABBCCCCCC：AA 为 36（中职）或 41（高职、职业本科），BB 为省份代码 43",
        ),
        Column("学校名称", True, "全称（当年校名）"),
        Column("区县代码", True, "学校所在县级行政区划代码（6位，GB/T 2260），如 430102"),
        Column("办学层次", True, "中职 / 高职专科 / 职业本科"),
        Column("举办者类型", True, "公办 / 民办"),
        Column("统计年度", True, "年份，如 2022"),
        Column("学历教育在校生数", True, "整数，≥ 0"),
        Column("专任教师数", True, "整数，≥ 0"),
        Column("双师型教师数", False, "整数，不多于专任教师数"),
        Column("占地面积", False, "平方米，≥ 0"),
        Column("校舍建筑面积", False, "平方米，≥ 0"),
        Column("教学仪器设备值", False, "元，≥ 0，最多两位小数"),
        Column("纸质图书", False, "册，整数 ≥ 0"),
        Column("省双优建设", False, "是 / 否（空即否）"),
        Column("职教中心", False, "是 / 否（县级职业教育中心）"),
        Column("停办日期", False, "学校停办或被合并的日期"),
        # Optional columns beyond DESIGN.md's contract (the platform's own template):
        Column("技工学校", False, "是 / 否（人社部门管理的技工院校）"),
        Column("开办日期", False, "学校设立日期"),
        Column("市级职业教育培训中心", False, "是 / 否"),
        Column("行业主管部门", False, "行业办学校的主管部门或行业"),
        Column("达标标准类别", False, "一般类 / 艺术类 / 边远脱贫地区 / 技工学校（空即按学校情况）"),
    ]

    def parse_row(self, row_number: int, cells: dict[str, Any]) -> SchoolRow:
        c = CellCollector(row_number)
        code = c.take(lambda: nfkc(require(cells, "学校标识码", row_number)), "")
        level = c.take(lambda: self._choice(cells, "办学层次", row_number, LEVEL_WORDS))
        if code:
            if not re.fullmatch(r"\d{10}", code):
                c.fail("学校标识码", f"“{code}”应为10位数字")
            elif code[:2] not in {"36", "41"}:
                c.fail("学校标识码", f"“{code}”前两位应为36（中职）或41（高职、职业本科）")
            elif code[2:4] != province_prefix():
                c.fail("学校标识码", f"“{code}”第3、4位应为本省代码{province_prefix()}")
            elif level is not None and code[:2] != IDENTIFIER_TYPE[level]:
                c.fail(
                    "学校标识码",
                    f"“{code}”前两位与办学层次“{Level(level).label}”不符（应为{IDENTIFIER_TYPE[level]}）",
                )
        name = c.take(lambda: clean_name(require(cells, "学校名称", row_number)), "")
        if len(name) > 200:
            c.fail("学校名称", "不超过200字")
        county = c.take(lambda: nfkc(require(cells, "区县代码", row_number)), "")
        if county and not re.fullmatch(r"\d{6}", county):
            c.fail("区县代码", f"“{county}”应为6位数字")
        sponsor = c.take(lambda: self._choice(cells, "举办者类型", row_number, SPONSOR_WORDS))
        year = c.take(lambda: _year(cells, "统计年度", row_number))
        students = c.take(lambda: cell_int(cells, "学历教育在校生数", row_number, low=0, high=200000))
        teachers = c.take(lambda: cell_int(cells, "专任教师数", row_number, low=0, high=20000))
        dual = c.take(lambda: cell_int(cells, "双师型教师数", row_number, low=0, high=20000, required=False))
        if dual is not None and teachers is not None and dual > teachers:
            c.fail("双师型教师数", f"{dual}人多于专任教师数{teachers}人")
        land = c.take(lambda: _area(cells, "占地面积", row_number))
        building = c.take(lambda: _area(cells, "校舍建筑面积", row_number))
        equipment = c.take(lambda: self._money(cells, "教学仪器设备值", row_number))
        books = c.take(
            lambda: cell_int(cells, "纸质图书", row_number, low=0, high=100_000_000, required=False)
        )
        double = c.take(lambda: _yes_no(cells, "省双优建设", row_number))
        centre = c.take(lambda: _yes_no(cells, "职教中心", row_number))
        closed_on = c.take(lambda: _date(cells, "停办日期", row_number))
        technical = c.take(lambda: _yes_no(cells, "技工学校", row_number))
        founded_on = c.take(lambda: _date(cells, "开办日期", row_number))
        if founded_on and closed_on and closed_on < founded_on:
            c.fail("停办日期", "停办日期早于开办日期")
        city_training = c.take(lambda: _yes_no(cells, "市级职业教育培训中心", row_number))
        industry = clean_name(cell_text(cells, "行业主管部门"))[:100] or None
        category = c.take(
            lambda: self._choice(cells, "达标标准类别", row_number, CATEGORY_WORDS, required=False)
        )
        if centre and level not in (None, Level.SECONDARY):
            c.fail("职教中心", "职教中心应为中职学校")
        c.raise_if_any()
        return SchoolRow(
            school=SchoolInput(
                code=code,
                name=name,
                county_id=county,
                level=level,
                sponsor=sponsor,
                closed_on=closed_on,
                is_technical=technical,
                founded_on=founded_on,
                industry=industry,
                standard_category=category or None,
            ),
            ret=ReturnInput(
                year=year,
                name=name,
                students=students,
                teachers=teachers,
                dual_teachers=dual,
                land_m2=land,
                building_m2=building,
                equipment_fen=equipment,
                books=books,
            ),
            double_excellence=bool(double),
            centre=centre,
            city_training=city_training,
        )

    @staticmethod
    def _choice(
        cells: dict[str, Any], header: str, row: int, words: Mapping[str, str], required: bool = True
    ) -> str | None:
        text = nfkc(cell_text(cells, header))
        if not text:
            if required:
                raise RowError(row, header, "不能为空")
            return None
        if text not in words:
            labels = list(dict.fromkeys(words))
            raise RowError(row, header, f"“{text}”无效，应为" + " / ".join(labels[:4]))
        return words[text]

    @staticmethod
    def _money(cells: dict[str, Any], header: str, row: int) -> int | None:
        text = cell_text(cells, header)
        if not text:
            return None
        try:
            fen = yuan_to_fen(text)
        except ValueError as error:
            raise RowError(row, header, str(error)) from None
        if fen < 0:
            raise RowError(row, header, "不能为负数")
        return fen

    def validate_records(self, records: list[tuple[int, Any]]) -> list[RowError]:
        errors: list[RowError] = []
        counties = set(Region.objects.filter(level=RegionLevel.COUNTY).values_list("code", flat=True))
        existing = {
            s.code: s for s in VocationalSchool.objects.filter(code__in={r.school.code for _, r in records})
        }
        seen: dict[tuple[str, int], int] = {}
        for row, r in records:
            if r.school.county_id not in counties:
                errors.append(RowError(row, "区县代码", f"“{r.school.county_id}”不是县级行政区划代码"))
            school = existing.get(r.school.code)
            if school is not None and school.level != r.school.level:
                errors.append(
                    RowError(
                        row,
                        "办学层次",
                        f"名册中该校为{school.get_level_display()}，不能改为{Level(r.school.level).label}",
                    )
                )
            if self.actor is not None and not can_write_school(
                self.actor, school, county_code=r.school.county_id
            ):
                errors.append(
                    RowError(row, "学校标识码" if school else "区县代码", "不在本账号可填报的范围内")
                )
            elif school is not None and getattr(self.actor, "vocational_school_id", None):
                # a school's staff file their returns; registry data stay with the regulators
                for column, stored, filed in (
                    ("区县代码", school.county_id, r.school.county_id),
                    ("举办者类型", school.sponsor, r.school.sponsor),
                ):
                    if stored != filed:
                        errors.append(RowError(row, column, "学校基本信息由主管部门维护，学校账号不能修改"))
            key = (r.school.code, r.ret.year)
            if key in seen:
                errors.append(RowError(row, "统计年度", f"与第{seen[key]}行是同一学校同一年度"))
            else:
                seen[key] = row
        return errors

    @transaction.atomic
    def apply(self, records: list[tuple[int, Any]], report: ImportReport) -> None:
        latest_stored = dict(
            VocationalSchool.objects.filter(code__in={r.school.code for _, r in records})
            .values_list("code", "returns__year")
            .order_by("code", "returns__year")
        )
        latest_in_file: dict[str, int] = {}
        for _row, r in records:
            latest_in_file[r.school.code] = max(latest_in_file.get(r.school.code, 0), r.ret.year)
        for _row, r in sorted(records, key=lambda item: (item[1].school.code, item[1].ret.year)):
            code = r.school.code
            newest = max(latest_in_file[code], latest_stored.get(code) or 0)
            school = VocationalSchool.objects.filter(code=code).first()
            states = []
            if school is None or r.ret.year >= newest:
                school, state = vocational_school_upsert(actor=self.actor, data=r.school)
                states.append(state)
            _ret, state = annual_return_file(actor=self.actor, school=school, data=r.ret)
            states.append(state)
            if r.school.level == Level.SECONDARY:
                states.append(
                    designation_for_year(
                        actor=self.actor,
                        school=school,
                        kind=DesignationKind.DOUBLE_EXCELLENCE,
                        year=r.ret.year,
                        active=r.double_excellence,
                    )
                )
            for kind, value in (
                (DesignationKind.CENTRE, r.centre),
                (DesignationKind.CITY_TRAINING, r.city_training),
            ):
                if value is not None:
                    states.append(
                        designation_for_year(
                            actor=self.actor, school=school, kind=kind, year=r.ret.year, active=value
                        )
                    )
            if "created" in states[:2]:
                report.created += 1
            elif any(s != "unchanged" for s in states):
                report.updated += 1
            else:
                report.skipped += 1


# --- 专业设置 ---------------------------------------------------------------------------------------
@dataclass
class MajorRow:
    school_code: str
    code: str
    name: str
    opened_year: int
    stopped_year: int | None
    school: VocationalSchool | None = None


class SchoolMajorImporter(Importer):
    """专业设置 (DESIGN.md "Majors offered"): one row per school × major, key (学校标识码, 专业代码)."""

    kind = "vocational-majors"
    title = "专业设置"
    columns: ClassVar[list[Column]] = [
        Column("学校标识码", True, "职业院校名册中的学校标识码"),
        Column(
            "专业代码",
            True,
            "职业教育专业目录（2021年及年度增补）中该校层次的专业代码：6位数字，国家控制布点专业末尾加K",
        ),
        Column("专业名称", True, "专业名称"),
        Column("开设年份", True, "年份，如 2021"),
        Column("停招年份", False, "停止招生的年份"),
    ]

    def parse_row(self, row_number: int, cells: dict[str, Any]) -> MajorRow:
        c = CellCollector(row_number)
        school_code = c.take(lambda: nfkc(require(cells, "学校标识码", row_number)), "")
        code = c.take(lambda: nfkc(require(cells, "专业代码", row_number)).upper().replace(" ", ""), "")
        if code and not re.fullmatch(r"\d{6}K?", code):
            c.fail("专业代码", f"“{code}”应为6位数字（国家控制布点专业末尾加K）")
        name = c.take(lambda: clean_name(require(cells, "专业名称", row_number)), "")
        if len(name) > 100:
            c.fail("专业名称", "不超过100字")
        opened = c.take(lambda: _year(cells, "开设年份", row_number))
        stopped = c.take(lambda: _year(cells, "停招年份", row_number, required=False))
        if opened is not None and stopped is not None and stopped < opened:
            c.fail("停招年份", f"{stopped}年早于开设年份{opened}年")
        c.raise_if_any()
        return MajorRow(school_code, code, name, opened, stopped)

    def validate_records(self, records: list[tuple[int, Any]]) -> list[RowError]:
        errors: list[RowError] = []
        schools = {
            s.code: s for s in VocationalSchool.objects.filter(code__in={r.school_code for _, r in records})
        }
        items = {i.code: i for i in CatalogueItem.objects.filter(code__in={r.code for _, r in records})}
        seen: dict[tuple[str, str], int] = {}
        for row, r in records:
            school = schools.get(r.school_code)
            if school is None:
                errors.append(RowError(row, "学校标识码", f"学校“{r.school_code}”不在职业院校名册中"))
            elif self.actor is not None and not can_write_school(self.actor, school):
                errors.append(RowError(row, "学校标识码", f"无权填报学校“{r.school_code}”的数据"))
            else:
                r.school = school
                message = major_error(school, items.get(r.code), r.code, r.opened_year)
                if message:
                    errors.append(RowError(row, "专业代码", message))
            key = (r.school_code, r.code)
            if key in seen:
                errors.append(RowError(row, "专业代码", f"与第{seen[key]}行是同一学校同一专业"))
            else:
                seen[key] = row
        return errors

    @transaction.atomic
    def apply(self, records: list[tuple[int, Any]], report: ImportReport) -> None:
        for _row, r in records:
            _major, state = school_major_upsert(
                actor=self.actor,
                school=r.school,
                code=r.code,
                name=r.name,
                opened_year=r.opened_year,
                stopped_year=r.stopped_year,
            )
            if state == "created":
                report.created += 1
            elif state == "updated":
                report.updated += 1
            else:
                report.skipped += 1


TEMPLATE_KINDS = {"vocational-schools": VocationalSchoolImporter, "vocational-majors": SchoolMajorImporter}


def template_xlsx(kind: str) -> bytes:
    """The empty .xlsx template of import ``kind``: the header row, and a second sheet describing each
    column. Raises ``KeyError`` for an unknown kind."""
    import io

    import openpyxl

    importer = TEMPLATE_KINDS[kind]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = importer.title[:31]
    sheet.append([c.header for c in importer.columns])
    notes = workbook.create_sheet("填写说明")
    notes.append(["列名", "是否必填", "取值"])
    for column in importer.columns:
        notes.append([column.header, "必填" if column.required else "选填", column.values])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
