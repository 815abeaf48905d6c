"""Imports of school lists and weekly returns (the .xlsx templates the platform hands out).

Kinds (``shuangjian import KIND FILE [--skip-invalid]``, registered in ``SchoolsConfig.ready``):

- ``schools`` 学校名册: one row per school (key 学校标识码); optional 每年级班级数 creates the classes.
- ``school-classes`` 班级名册: one row per class (key 学校标识码 + 年级 + 班级), with its size and whether
  it is in use.
- ``school-weekly`` 课后服务周报: one row per school per week (key 学校标识码 + 周次).
- ``school-homework`` 作业公示: one row per class, day and subject; the rows of a class-day form its
  publication (key 学校标识码 + 年级 + 班级 + 日期).
- ``school-exams`` 考试备案: one row per exam (key 学校标识码 + 年级 + 考试类型 + 考试名称 + 考试日期).

Each follows DESIGN.md's file contract through :class:`shuangjian.common.importing.Importer`: every bad
row reported with row, column and a Chinese reason; nothing changed when any row is bad unless
``--skip-invalid``; re-importing the same file changes nothing. With an ``actor`` (an upload on the
web) every row must lie within what the actor may write.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

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
from shuangjian.common.text import clean_name, nfkc, yuan_to_fen
from shuangjian.regions.models import Region, RegionLevel

from .checks import monday_of, term_of
from .models import KIND_GRADES, ExamKind, School, SchoolKind, UrbanRural
from .services import (
    MAX_FUTURE_DAYS,
    AfterSchoolInput,
    HomeworkItemInput,
    after_school_report,
    can_write_school,
    class_upsert,
    exam_register,
    homework_import_apply,
    school_upsert,
    validate_after_school,
)
from .validation import EXAM_DAYS_AHEAD, date_bound_error, enrolment_error, week_bound_error

KIND_WORDS = {
    "小学": SchoolKind.PRIMARY,
    "初级中学": SchoolKind.JUNIOR,
    "初中": SchoolKind.JUNIOR,
    "九年一贯制学校": SchoolKind.NINE_YEAR,
    "九年一贯制": SchoolKind.NINE_YEAR,
    "幼儿园": SchoolKind.KINDERGARTEN,
    "高级中学": SchoolKind.SENIOR,
    "高中": SchoolKind.SENIOR,
}
URBAN_RURAL_WORDS = {
    "城区": UrbanRural.URBAN,
    "镇区": UrbanRural.TOWN,
    "乡村": UrbanRural.RURAL,
    # the Ministry's 统计用城乡分类代码 (first digits of the 12-digit code's class)
    "111": UrbanRural.URBAN,
    "112": UrbanRural.URBAN,
    "121": UrbanRural.TOWN,
    "122": UrbanRural.TOWN,
    "123": UrbanRural.TOWN,
    "210": UrbanRural.RURAL,
    "220": UrbanRural.RURAL,
}


def parse_urban_rural(cells: dict[str, Any], header: str, row: int) -> str | None:
    """城区 / 镇区 / 乡村 (or the class code 111…220); None when the cell is empty. RowError otherwise."""
    text = nfkc(cell_text(cells, header))
    if not text:
        return None
    if text not in URBAN_RURAL_WORDS:
        raise RowError(
            row, header, f"“{text}”应为城区、镇区或乡村（或城乡分类代码111、112、121、122、123、210、220）"
        )
    return URBAN_RURAL_WORDS[text]


GRADE_WORDS = {
    "一年级": 1,
    "二年级": 2,
    "三年级": 3,
    "四年级": 4,
    "五年级": 5,
    "六年级": 6,
    "七年级": 7,
    "八年级": 8,
    "九年级": 9,
    "初一": 7,
    "初二": 8,
    "初三": 9,
}
EXAM_KIND_WORDS = {
    "期末考试": ExamKind.FINAL,
    "期末": ExamKind.FINAL,
    "期中考试": ExamKind.MIDTERM,
    "期中": ExamKind.MIDTERM,
    "毕业年级模拟考试": ExamKind.MOCK,
    "模拟考试": ExamKind.MOCK,
    "模拟": ExamKind.MOCK,
    "其他": ExamKind.OTHER,
    "其他考试": ExamKind.OTHER,
    "月考": ExamKind.OTHER,
    "统考": ExamKind.OTHER,
    "单元考试": ExamKind.OTHER,
    "联考": ExamKind.OTHER,
}
NO_HOMEWORK_WORDS = {"无", "无作业", "无书面作业", "不布置"}


def parse_int(
    cells: dict[str, Any], header: str, row: int, *, low: int, high: int, required: bool = True
) -> int | None:
    """An integer cell within [low, high]; RowError in Chinese otherwise."""
    text = nfkc(cell_text(cells, header)).replace(",", "")
    if text == "":
        if required:
            raise RowError(row, header, "不能为空")
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise RowError(row, header, f"“{text}”不是整数") from None
    if value != value.to_integral_value():
        raise RowError(row, header, f"“{text}”不是整数")
    if not low <= int(value) <= high:
        raise RowError(row, header, f"应在{low}至{high}之间，而不是{int(value)}")
    return int(value)


def parse_grade(cells: dict[str, Any], header: str, row: int) -> int:
    """A grade written 3, 三年级, 七年级 or 初一; RowError otherwise."""
    text = nfkc(require(cells, header, row))
    if text in GRADE_WORDS:
        return GRADE_WORDS[text]
    if text.endswith("年级") and text[:-2].isdigit():
        text = text[:-2]
    if text.isdigit() and 1 <= int(text) <= 9:
        return int(text)
    raise RowError(row, header, f"“{text}”不是义务教育年级（1至9，或“三年级”“初一”）")


def parse_time(value: Any, row: int, header: str) -> dt.time:
    """A time of day written 17:30 (or an Excel time)."""
    if isinstance(value, dt.datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, float) and 0 <= value < 1:  # Excel fraction of a day
        minutes = round(value * 24 * 60)
        return dt.time(minutes // 60, minutes % 60)
    text = nfkc(value).replace("：", ":")
    m = re.match(r"^(\d{1,2}):(\d{2})(?::\d{2})?$", text)
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise RowError(row, header, f"“{text}”不是有效时间（例：17:30）")
    return dt.time(int(m.group(1)), int(m.group(2)))


def parse_week(value: Any, row: int, header: str) -> dt.date:
    """A week written 2026-W47 (ISO week) or as any date within it; returns its Monday."""
    text = nfkc(value).upper()
    m = re.match(r"^(\d{4})-?W(\d{1,2})$", text)
    if m:
        try:
            return dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
        except ValueError:
            raise RowError(row, header, f"“{text}”不是有效周次") from None
    try:
        return monday_of(parse_date(value))
    except ValueError:
        raise RowError(row, header, f"“{value}”不是有效周次（例：2026-W47，或该周任一日期）") from None


class SchoolScopedImporter(Importer):
    """Shared lookup of schools by 学校标识码 with the actor's write scope."""

    school_column = "学校标识码"

    def resolve_schools(self, records: list[tuple[int, Any]]) -> tuple[dict[str, School], list[RowError]]:
        codes = {r.school_code for _, r in records}
        schools = {s.code: s for s in School.objects.filter(code__in=codes).select_related("county")}
        errors = []
        for row, record in records:
            school = schools.get(record.school_code)
            if school is None:
                errors.append(RowError(row, self.school_column, f"学校“{record.school_code}”不在学校名册中"))
            elif self.actor is not None and not can_write_school(self.actor, school):
                errors.append(RowError(row, self.school_column, f"无权填报学校“{record.school_code}”的数据"))
            else:
                record.school = school
        return schools, errors


# --- 学校名册 ---------------------------------------------------------------------------------------
@dataclass
class SchoolRecord:
    code: str
    name: str
    county_id: str
    kind: str
    is_furong: bool
    students: int | None
    classes_per_grade: int | None
    urban_rural: str | None = None


class SchoolImporter(Importer):
    """学校名册: the schools of the province, one row each, keyed by 学校标识码."""

    kind = "schools"
    title = "学校名册"
    columns: ClassVar[list[Column]] = [
        Column("学校标识码", True, "学校标识码（10位数字），每校唯一"),
        Column("学校名称", True, "全称"),
        Column("区县代码", True, "学校所在县级行政区划代码（6位，GB/T 2260），如 430102"),
        Column("学段类型", True, "小学 / 初级中学 / 九年一贯制学校 / 幼儿园 / 高级中学"),
        Column("芙蓉学校", False, "是 / 否（空即否）"),
        Column("在校生数", False, "整数"),
        Column("每年级班级数", False, "整数1至40；填写后按学段自动建立各年级班级（已有班级保留）"),
        Column("城乡分类", False, "城区 / 镇区 / 乡村（或统计用城乡分类代码 111…220）；空则保留原值"),
    ]

    def parse_row(self, row_number: int, cells: dict[str, Any]) -> SchoolRecord:
        code = nfkc(require(cells, "学校标识码", row_number))
        if not re.fullmatch(r"[0-9A-Za-z]{4,20}", code):
            raise RowError(row_number, "学校标识码", f"“{code}”应为4至20位数字或字母")
        name = clean_name(require(cells, "学校名称", row_number))
        if len(name) > 200:
            raise RowError(row_number, "学校名称", "不超过200字")
        county = nfkc(require(cells, "区县代码", row_number))
        if not re.fullmatch(r"\d{6}", county):
            raise RowError(row_number, "区县代码", f"“{county}”应为6位数字")
        kind_text = nfkc(require(cells, "学段类型", row_number))
        if kind_text not in KIND_WORDS:
            raise RowError(
                row_number, "学段类型", f"“{kind_text}”应为小学、初级中学、九年一贯制学校、幼儿园或高级中学"
            )
        try:
            furong = parse_yes_no(cell_text(cells, "芙蓉学校")) or False
        except ValueError as error:
            raise RowError(row_number, "芙蓉学校", str(error)) from None
        return SchoolRecord(
            code=code,
            name=name,
            county_id=county,
            kind=KIND_WORDS[kind_text],
            is_furong=furong,
            students=parse_int(cells, "在校生数", row_number, low=0, high=100000, required=False),
            classes_per_grade=parse_int(cells, "每年级班级数", row_number, low=1, high=40, required=False),
            urban_rural=parse_urban_rural(cells, "城乡分类", row_number),
        )

    def validate_records(self, records: list[tuple[int, Any]]) -> list[RowError]:
        errors = []
        counties = set(Region.objects.filter(level=RegionLevel.COUNTY).values_list("code", flat=True))
        prefix = None
        if self.actor is not None and not self.actor.is_superuser:
            if not self.actor.is_regulator or not self.actor.region_id:
                raise PermissionDenied("只有监管部门可以导入学校名册")
            prefix = self.actor.region.subtree_prefix
        seen: dict[str, int] = {}
        for row, record in records:
            if record.county_id not in counties:
                errors.append(RowError(row, "区县代码", f"“{record.county_id}”不是县级行政区划代码"))
            elif prefix is not None and not record.county_id.startswith(prefix):
                errors.append(RowError(row, "区县代码", f"“{record.county_id}”不在本单位管辖范围内"))
            if record.code in seen:
                errors.append(RowError(row, "学校标识码", f"与第{seen[record.code]}行重复"))
            else:
                seen[record.code] = row
        return errors

    @transaction.atomic
    def apply(self, records: list[tuple[int, Any]], report: ImportReport) -> None:
        for _row, r in records:
            _school, state = school_upsert(
                code=r.code,
                name=r.name,
                county_id=r.county_id,
                kind=r.kind,
                is_furong=r.is_furong,
                students=r.students,
                classes_per_grade=r.classes_per_grade,
                actor=self.actor,
                urban_rural=r.urban_rural,
            )
            if state == "created":
                report.created += 1
            elif state == "updated":
                report.updated += 1
            else:
                report.skipped += 1


# --- 班级名册 ---------------------------------------------------------------------------------------
@dataclass
class ClassRecord:
    school_code: str
    grade: int
    number: int
    students: int | None
    is_active: bool
    school: School | None = None


class ClassImporter(SchoolScopedImporter):
    """班级名册: one row per class (key 学校标识码 + 年级 + 班号); marks classes in use or not."""

    kind = "school-classes"
    title = "班级名册"
    columns: ClassVar[list[Column]] = [
        Column("学校标识码", True, "学校名册中的学校标识码"),
        Column("年级", True, "1至9，或“三年级”“初一”"),
        Column("班级", True, "班号，如 2 或 2班"),
        Column("学生数", False, "整数"),
        Column("在用", False, "是 / 否（空即是）；撤并的班级填“否”，不再计入应公示"),
    ]

    def parse_row(self, row_number: int, cells: dict[str, Any]) -> ClassRecord:
        school_code = nfkc(require(cells, "学校标识码", row_number))
        grade = parse_grade(cells, "年级", row_number)
        number_text = nfkc(require(cells, "班级", row_number)).removesuffix("班")
        if not number_text.isdigit() or not 1 <= int(number_text) <= 99:
            raise RowError(row_number, "班级", f"“{number_text}”不是有效班号（1至99）")
        try:
            active = parse_yes_no(cell_text(cells, "在用"))
        except ValueError as error:
            raise RowError(row_number, "在用", str(error)) from None
        return ClassRecord(
            school_code,
            grade,
            int(number_text),
            parse_int(cells, "学生数", row_number, low=0, high=200, required=False),
            True if active is None else active,
        )

    def validate_records(self, records: list[tuple[int, Any]]) -> list[RowError]:
        _schools, errors = self.resolve_schools(records)
        bad = {e.row for e in errors}
        seen: dict[tuple, int] = {}
        for row, r in records:
            if row in bad:
                continue
            if r.grade not in KIND_GRADES[r.school.kind]:
                errors.append(RowError(row, "年级", f"{r.school.name}没有{r.grade}年级"))
            key = (r.school_code, r.grade, r.number)
            if key in seen:
                errors.append(RowError(row, "班级", f"与第{seen[key]}行是同一班级"))
            else:
                seen[key] = row
        return errors

    @transaction.atomic
    def apply(self, records: list[tuple[int, Any]], report: ImportReport) -> None:
        for _row, r in records:
            state = class_upsert(
                actor=self.actor,
                school=r.school,
                grade=r.grade,
                number=r.number,
                students=r.students,
                is_active=r.is_active,
            )
            if state == "created":
                report.created += 1
            elif state == "updated":
                report.updated += 1
            else:
                report.skipped += 1


# --- 课后服务周报 -----------------------------------------------------------------------------------
@dataclass
class WeeklyRecord:
    school_code: str
    week_start: dt.date
    data: AfterSchoolInput
    school: School | None = None


class AfterSchoolWeeklyImporter(SchoolScopedImporter):
    """课后服务周报: one row per school per week (key 学校标识码 + 周次)."""

    kind = "school-weekly"
    title = "课后服务周报"
    columns: ClassVar[list[Column]] = [
        Column("学校标识码", True, "学校名册中的学校标识码"),
        Column("周次", True, "ISO周次如 2026-W47，或该周任一日期（按该周周一登记）"),
        Column("开展天数", True, "本周开展课后服务的天数，0至7"),
        Column("每天时长(小时)", True, "每天课后服务时长，小时，最多一位小数，如 2 或 2.5"),
        Column("结束时间", True, "课后服务结束时间，如 17:45"),
        Column("参加学生数", True, "本周参加课后服务的学生人数"),
        Column("申请学生数", True, "提出参加申请的学生人数"),
        Column("参与教职工数", True, "参与课后服务的本校教职工人数"),
        Column("校外人员数", False, "引进的校外人员（志愿者、专业人员）人数"),
        Column("收费金额(元)", False, "本周收取的课后服务费总额，元，最多两位小数"),
        Column("财政补助(元)", False, "本周财政补助金额，元，最多两位小数"),
        Column("备注", False, "文字"),
        Column("科普活动天数", False, "本周课后服务中开展科普/STEM活动的天数，0至开展天数（空即0）"),
        Column("科普活动", False, "活动名称，如：无人机编程、植物观察"),
        Column("科普资源", False, "使用的资源，如：科普教育基地、科技馆、合作企业"),
    ]

    def parse_row(self, row_number: int, cells: dict[str, Any]) -> WeeklyRecord:
        school_code = nfkc(require(cells, "学校标识码", row_number))
        week = parse_week(require(cells, "周次", row_number) and cells.get("周次"), row_number, "周次")
        week_error = week_bound_error(week)
        if week_error:
            raise RowError(row_number, "周次", week_error)
        hours_text = nfkc(require(cells, "每天时长(小时)", row_number))
        try:
            hours = Decimal(hours_text)
        except InvalidOperation:
            raise RowError(row_number, "每天时长(小时)", f"“{hours_text}”不是数字") from None
        if not hours.is_finite() or hours != hours.quantize(Decimal("0.1")) or not 0 <= hours <= 12:
            raise RowError(row_number, "每天时长(小时)", "应为0至12之间、最多一位小数的数")
        end_cell = cells.get("结束时间")
        if end_cell is None or str(end_cell).strip() == "":
            raise RowError(row_number, "结束时间", "不能为空")
        money = {}
        for header in ("收费金额(元)", "财政补助(元)"):
            text = cell_text(cells, header)
            try:
                money[header] = yuan_to_fen(text) if text else 0
            except ValueError as error:
                raise RowError(row_number, header, str(error)) from None
            if money[header] < 0:
                raise RowError(row_number, header, "不能为负数")
        data = AfterSchoolInput(
            days_offered=parse_int(cells, "开展天数", row_number, low=0, high=7) or 0,
            hours_per_day=hours.quantize(Decimal("0.1")),
            end_time=parse_time(end_cell, row_number, "结束时间"),
            students_enrolled=parse_int(cells, "参加学生数", row_number, low=0, high=100000) or 0,
            students_requested=parse_int(cells, "申请学生数", row_number, low=0, high=100000) or 0,
            staff_count=parse_int(cells, "参与教职工数", row_number, low=0, high=10000) or 0,
            external_staff_count=parse_int(cells, "校外人员数", row_number, low=0, high=10000, required=False)
            or 0,
            fee_fen=money["收费金额(元)"],
            subsidy_fen=money["财政补助(元)"],
            note=clean_name(cell_text(cells, "备注"))[:300],
            science_days=parse_int(cells, "科普活动天数", row_number, low=0, high=7, required=False) or 0,
            science_activities=clean_name(cell_text(cells, "科普活动"))[:300],
            science_resources=clean_name(cell_text(cells, "科普资源"))[:200],
        )
        if data.science_days > data.days_offered:
            raise RowError(row_number, "科普活动天数", f"不能多于开展天数（{data.days_offered}天）")
        try:
            validate_after_school(data)
        except ValidationError as error:
            raise RowError(row_number, "", "；".join(error.messages)) from None
        return WeeklyRecord(school_code, week, data)

    def validate_records(self, records: list[tuple[int, Any]]) -> list[RowError]:
        _schools, errors = self.resolve_schools(records)
        seen: dict[tuple, int] = {}
        for row, record in records:
            if record.school is not None:
                message = enrolment_error(
                    enrolled=record.data.students_enrolled,
                    requested=record.data.students_requested,
                    school_students=record.school.students,
                    school_name=record.school.name,
                )
                if message:
                    column = (
                        "参加学生数"
                        if record.data.students_enrolled > (record.school.students or 0)
                        else "申请学生数"
                    )
                    errors.append(RowError(row, column, message))
            key = (record.school_code, record.week_start)
            if key in seen:
                errors.append(RowError(row, "周次", f"与第{seen[key]}行是同一学校同一周"))
            else:
                seen[key] = row
        return errors

    @transaction.atomic
    def apply(self, records: list[tuple[int, Any]], report: ImportReport) -> None:
        existing = set()
        from .models import AfterSchoolWeek

        for school_id, week in AfterSchoolWeek.objects.filter(
            school__in=[r.school for _, r in records], week_start__in={r.week_start for _, r in records}
        ).values_list("school_id", "week_start"):
            existing.add((school_id, week))
        for _row, r in records:
            _record, changed = after_school_report(
                actor=self.actor,
                school=r.school,
                week_start=r.week_start,
                data=r.data,
                reason="导入课后服务周报",
            )
            if not changed:
                report.skipped += 1
            elif (r.school.pk, r.week_start) in existing:
                report.updated += 1
            else:
                report.created += 1


# --- 作业公示 ---------------------------------------------------------------------------------------
@dataclass
class HomeworkRecord:
    school_code: str
    grade: int
    number: int
    date: dt.date
    item: HomeworkItemInput | None
    school: School | None = None
    class_id: int | None = field(default=None)


class HomeworkImporter(SchoolScopedImporter):
    """作业公示: one row per class, day and subject; a class-day's rows form its publication."""

    kind = "school-homework"
    title = "作业公示"
    columns: ClassVar[list[Column]] = [
        Column("学校标识码", True, "学校名册中的学校标识码"),
        Column("年级", True, "1至9，或“三年级”“初一”"),
        Column("班级", True, "班号，如 2 或 2班"),
        Column("日期", True, "作业布置日期，如 2026-11-23"),
        Column("学科", True, "如 语文、数学；当天不布置作业的班级填“无”"),
        Column("作业内容", False, "作业内容（学科为“无”时可空）"),
        Column("预计时长(分钟)", True, "学生完成该项作业的预计时长，分钟，整数"),
        Column("书面作业", False, "是 / 否（空即是）；口头、阅读、体育等非书面作业填“否”"),
    ]

    def parse_row(self, row_number: int, cells: dict[str, Any]) -> HomeworkRecord:
        school_code = nfkc(require(cells, "学校标识码", row_number))
        grade = parse_grade(cells, "年级", row_number)
        number_text = nfkc(require(cells, "班级", row_number)).removesuffix("班")
        if not number_text.isdigit() or not 1 <= int(number_text) <= 99:
            raise RowError(row_number, "班级", f"“{number_text}”不是有效班号（1至99）")
        try:
            date = parse_date(
                cells.get("日期") if cell_text(cells, "日期") else require(cells, "日期", row_number)
            )
        except ValueError as error:
            raise RowError(row_number, "日期", str(error)) from None
        date_error = date_bound_error(date, label="日期", days_ahead=MAX_FUTURE_DAYS)
        if date_error:
            raise RowError(row_number, "日期", date_error)
        subject = clean_name(require(cells, "学科", row_number))
        minutes = parse_int(cells, "预计时长(分钟)", row_number, low=0, high=300) or 0
        try:
            written = parse_yes_no(cell_text(cells, "书面作业"))
        except ValueError as error:
            raise RowError(row_number, "书面作业", str(error)) from None
        if subject in NO_HOMEWORK_WORDS:
            if minutes:
                raise RowError(row_number, "预计时长(分钟)", "学科为“无”时时长应为0")
            return HomeworkRecord(school_code, grade, int(number_text), date, None)
        written = True if written is None else written
        if len(subject) > 20:
            raise RowError(row_number, "学科", "不超过20字")
        if written and minutes == 0:
            raise RowError(row_number, "预计时长(分钟)", "书面作业须填写预计时长")
        content = clean_name(cell_text(cells, "作业内容"))
        if not content:
            raise RowError(row_number, "作业内容", "不能为空")
        if len(content) > 1000:
            raise RowError(row_number, "作业内容", "不超过1000字")
        item = HomeworkItemInput(subject=subject, content=content, minutes=minutes, is_written=written)
        return HomeworkRecord(school_code, grade, int(number_text), date, item)

    def validate_records(self, records: list[tuple[int, Any]]) -> list[RowError]:
        from .models import SchoolClass

        _schools, errors = self.resolve_schools(records)
        bad = {e.row for e in errors}
        school_ids = {r.school.pk for row, r in records if row not in bad}
        classes = {
            (s, g, n): pk
            for pk, s, g, n in SchoolClass.objects.filter(
                school_id__in=school_ids, is_active=True
            ).values_list("id", "school_id", "grade", "number")
        }
        seen: dict[tuple, int] = {}
        empty_days: dict[tuple, int] = {}
        days_with_items: dict[tuple, int] = {}
        for row, r in records:
            if row in bad:
                continue
            class_id = classes.get((r.school.pk, r.grade, r.number))
            if class_id is None:
                errors.append(RowError(row, "班级", f"{r.school.name}没有{r.grade}年级{r.number}班"))
                continue
            r.class_id = class_id
            day_key = (class_id, r.date)
            if r.item is None:
                empty_days.setdefault(day_key, row)
            else:
                days_with_items.setdefault(day_key, row)
                key = (class_id, r.date, r.item.subject)
                if key in seen:
                    errors.append(RowError(row, "学科", f"与第{seen[key]}行是同一班级同一天同一学科"))
                else:
                    seen[key] = row
        for key, row in empty_days.items():
            if key in days_with_items:
                errors.append(
                    RowError(row, "学科", f"同一班级当天已在第{days_with_items[key]}行填写作业，不能再填“无”")
                )
        return errors

    def apply(self, records: list[tuple[int, Any]], report: ImportReport) -> None:
        days: dict[tuple[int, dt.date], list[HomeworkItemInput]] = {}
        for _row, r in records:
            items = days.setdefault((r.class_id, r.date), [])
            if r.item is not None:
                items.append(r.item)
        created, updated, unchanged = homework_import_apply(actor=self.actor, days=days)
        report.created += created
        report.updated += updated
        report.skipped += unchanged


# --- 考试备案 ---------------------------------------------------------------------------------------
@dataclass
class ExamRecord:
    school_code: str
    grade: int
    kind: str
    name: str
    held_on: dt.date
    term: str
    subjects: str
    is_written: bool
    school: School | None = None


class ExamImporter(SchoolScopedImporter):
    """考试备案: one row per exam of a grade (key 学校标识码 + 年级 + 考试类型 + 考试名称 + 考试日期)."""

    kind = "school-exams"
    title = "考试备案"
    columns: ClassVar[list[Column]] = [
        Column("学校标识码", True, "学校名册中的学校标识码"),
        Column("年级", True, "1至9，或“三年级”“初一”"),
        Column("考试类型", True, "期末考试 / 期中考试 / 模拟考试 / 其他（月考、统考等）"),
        Column("考试名称", True, "如 2026年秋季学期期末考试"),
        Column("考试日期", True, "考试（首日）日期"),
        Column("学期", False, "如 2026-2027-1（秋季）或 2026-2027-2（春季）；空则按考试日期确定"),
        Column("科目", False, "如 语文、数学、英语"),
        Column("纸笔考试", False, "是 / 否（空即是）；一、二年级的游园式测评填“否”"),
    ]

    def parse_row(self, row_number: int, cells: dict[str, Any]) -> ExamRecord:
        school_code = nfkc(require(cells, "学校标识码", row_number))
        grade = parse_grade(cells, "年级", row_number)
        kind_text = nfkc(require(cells, "考试类型", row_number))
        if kind_text not in EXAM_KIND_WORDS:
            raise RowError(row_number, "考试类型", f"“{kind_text}”应为期末考试、期中考试、模拟考试或其他")
        name = clean_name(require(cells, "考试名称", row_number))[:100]
        require(cells, "考试日期", row_number)
        try:
            held_on = parse_date(cells.get("考试日期"))
        except ValueError as error:
            raise RowError(row_number, "考试日期", str(error)) from None
        date_error = date_bound_error(held_on, label="考试日期", days_ahead=EXAM_DAYS_AHEAD)
        if date_error:
            raise RowError(row_number, "考试日期", date_error)
        term = nfkc(cell_text(cells, "学期"))
        if term and term != term_of(held_on):
            raise RowError(
                row_number, "学期", f"考试日期 {held_on} 属于 {term_of(held_on)} 学期，而不是 {term}"
            )
        try:
            written = parse_yes_no(cell_text(cells, "纸笔考试"))
        except ValueError as error:
            raise RowError(row_number, "纸笔考试", str(error)) from None
        return ExamRecord(
            school_code,
            grade,
            EXAM_KIND_WORDS[kind_text],
            name,
            held_on,
            term_of(held_on),
            clean_name(cell_text(cells, "科目"))[:200],
            True if written is None else written,
        )

    def validate_records(self, records: list[tuple[int, Any]]) -> list[RowError]:
        _schools, errors = self.resolve_schools(records)
        bad = {e.row for e in errors}
        seen: dict[tuple, int] = {}
        for row, r in records:
            if row in bad:
                continue
            if r.grade not in KIND_GRADES[r.school.kind]:
                errors.append(RowError(row, "年级", f"{r.school.name}没有{r.grade}年级"))
            key = (r.school_code, r.grade, r.kind, r.name, r.held_on)
            if key in seen:
                errors.append(RowError(row, "考试名称", f"与第{seen[key]}行重复"))
            else:
                seen[key] = row
        return errors

    @transaction.atomic
    def apply(self, records: list[tuple[int, Any]], report: ImportReport) -> None:
        for _row, r in records:
            _exam, created = exam_register(
                actor=self.actor,
                school=r.school,
                grade=r.grade,
                kind=r.kind,
                name=r.name,
                held_on=r.held_on,
                subjects=r.subjects,
                is_written=r.is_written,
                term=r.term,
            )
            if created:
                report.created += 1
            else:
                report.skipped += 1


IMPORTER_CLASSES: dict[str, type[Importer]] = {
    cls.kind: cls
    for cls in (SchoolImporter, ClassImporter, AfterSchoolWeeklyImporter, HomeworkImporter, ExamImporter)
}


def template_workbook(kind: str) -> bytes:
    """The empty .xlsx template of an import kind: headers on the first sheet, notes on the second.

    Raises ``KeyError`` for an unknown kind.
    """
    import openpyxl
    from openpyxl.styles import Font, PatternFill

    importer = IMPORTER_CLASSES[kind]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = importer.title
    for index, column in enumerate(importer.columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True, color="B71C1C" if column.required else "000000")
        cell.fill = PatternFill("solid", fgColor="F2F2F2")
        sheet.column_dimensions[cell.column_letter].width = max(12, len(column.header) * 2 + 4)
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet("填写说明")
    notes.append(["列名", "是否必填", "填写说明"])
    for column in importer.columns:
        notes.append([column.header, "必填" if column.required else "选填", column.values])
    notes.append([])
    notes.append(["说明", "", "第一行为表头，列的顺序可调整；从第二行起每行一条记录。只读取第一个工作表。"])
    notes.column_dimensions["A"].width = 18
    notes.column_dimensions["C"].width = 80
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
