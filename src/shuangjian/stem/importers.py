"""``shuangjian import stem-courses FILE [--skip-invalid]``: the STEM course list (STEM课程名册).

One row per course, keyed by (学校标识码, 课程名称); columns in the README section "STEM education"
(DESIGN.md style). Every bad cell is named (row, column, Chinese reason); nothing changes when any row is
bad unless ``--skip-invalid``; re-importing the same file changes nothing. A course already in review
(past 已登记 / 退回修改) is refused when the row would change it. With an ``actor`` (a web upload) every row
must be a school the actor may write: its own school for school staff, the subtree for a regulator.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any, ClassVar

from django.db import transaction

from shuangjian.common.importing import (
    Column,
    ImportReport,
    RowError,
    cell_text,
    parse_date,
    parse_yes_no,
    require,
)
from shuangjian.common.text import clean_name, nfkc
from shuangjian.schools.importers import SchoolScopedImporter, parse_int, parse_urban_rural
from shuangjian.schools.models import School, UrbanRural
from shuangjian.schools.services import school_upsert

from .models import Carrier, Stage, StemCourse
from .services import (
    EDITABLE_STATES,
    CourseInput,
    course_changes,
    course_input_errors,
    course_upsert,
    resource_kinds_from_words,
    split_subjects,
)

STAGE_WORDS = {str(label): value for value, label in Stage.choices} | {
    "幼儿园": Stage.PRESCHOOL,
    "学前教育": Stage.PRESCHOOL,
}
CARRIER_WORDS = {str(label): value for value, label in Carrier.choices}
#: CourseInput field → column, to name the cell of a problem found on the whole record.
FIELD_COLUMNS = {
    "name": "课程名称",
    "stage": "学段",
    "carrier": "载体",
    "anchor_subject": "主学科",
    "hours": "课时",
    "pupils": "参与学生数",
    "end_on": "结束日期",
    "start_on": "开设日期",
    "resource_kinds": "资源类型",
}
PLAN_COLUMNS = [
    ("summary", "课程简介"),
    ("objectives", "课程目标"),
    ("problem", "真实问题或项目"),
    ("activities", "探究设计制作环节"),
    ("evaluation", "评价方式"),
    ("safety", "安全预案"),
]


@dataclass
class CourseRecord:
    school_code: str
    data: CourseInput
    urban_rural: str | None
    school: School | None = None


class StemCourseImporter(SchoolScopedImporter):
    """STEM课程名册: the courses schools and kindergartens run (key 学校标识码 + 课程名称)."""

    kind = "stem-courses"
    title = "STEM课程名册"
    columns: ClassVar[list[Column]] = [
        Column("学校标识码", True, "学校名册中的学校（幼儿园）标识码"),
        Column("课程名称", True, "不含书名号，每校唯一，如：农历天空下——廿四节气"),
        Column("学段", True, "学前 / 小学 / 初中 / 高中（须为该校所设学段）"),
        Column("载体", True, "学科融合 / 传统文化 / 现代科技 / 游戏活动"),
        Column("主学科", True, "如：语文、科学；幼儿园可填“游戏活动”"),
        Column("融合学科", True, "用顿号或逗号分隔，如：数学、科学、美术"),
        Column("课时", True, "每学期课时，1至400的整数"),
        Column("开设日期", True, "日期，如 2023-03-01"),
        Column("结束日期", False, "日期，不早于开设日期；空即仍在开设"),
        Column("适用年级", False, "文字，如：四至六年级、大班"),
        Column("授课教师", False, "文字"),
        Column("参与学生数", False, "整数，不超过学校在校生数（空即0）"),
        Column("纳入课后服务", False, "是 / 否（空即否）"),
        Column("资源类型", False, "科普基地、科技馆、合作企业、高校、其他，可多选，用顿号分隔"),
        Column("使用资源", False, "资源名称，文字"),
        Column(
            "城乡分类",
            False,
            "城区 / 镇区 / 乡村（或代码111…220）：学校名册缺分类时登记到名册；已有分类须一致",
        ),
        *[Column(header, False, "课程方案要素，文字") for _f, header in PLAN_COLUMNS],
    ]

    def parse_row(self, row_number: int, cells: dict[str, Any]) -> CourseRecord:
        errors: list[RowError] = []

        def cell(fn, *args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except RowError as error:
                errors.append(error)
                return None

        school_code = cell(require, cells, "学校标识码", row_number)
        name = cell(require, cells, "课程名称", row_number)
        name = clean_name(name or "").strip("《》")
        if name and len(name) > 200:
            errors.append(RowError(row_number, "课程名称", "不超过200字"))
        stage_text = nfkc(cell_text(cells, "学段"))
        if not stage_text:
            errors.append(RowError(row_number, "学段", "不能为空"))
        elif stage_text not in STAGE_WORDS:
            errors.append(RowError(row_number, "学段", f"“{stage_text}”应为学前、小学、初中或高中"))
        carrier_text = nfkc(cell_text(cells, "载体"))
        if not carrier_text:
            errors.append(RowError(row_number, "载体", "不能为空"))
        elif carrier_text not in CARRIER_WORDS:
            errors.append(
                RowError(row_number, "载体", f"“{carrier_text}”应为学科融合、传统文化、现代科技或游戏活动")
            )
        anchor = cell(require, cells, "主学科", row_number)
        if anchor and len(anchor) > 20:
            errors.append(RowError(row_number, "主学科", "不超过20字"))
        subjects_text = cell(require, cells, "融合学科", row_number)
        hours = cell(parse_int, cells, "课时", row_number, low=1, high=400)
        start_on = self._date(cells, "开设日期", row_number, errors, required=True)
        end_on = self._date(cells, "结束日期", row_number, errors, required=False)
        if start_on and end_on and end_on < start_on:
            errors.append(RowError(row_number, "结束日期", f"不能早于开设日期（{start_on}）"))
        pupils = cell(parse_int, cells, "参与学生数", row_number, low=0, high=100000, required=False)
        try:
            after_school = parse_yes_no(cell_text(cells, "纳入课后服务")) or False
        except ValueError as error:
            errors.append(RowError(row_number, "纳入课后服务", str(error)))
            after_school = False
        kinds = resource_kinds_from_words(split_subjects(cell_text(cells, "资源类型")))
        unknown = [k[1:] for k in kinds if k.startswith("?")]
        if unknown:
            errors.append(
                RowError(
                    row_number,
                    "资源类型",
                    "未知的资源类型："
                    + "、".join(unknown)
                    + "（可填科普基地、科技馆、合作企业、高校、其他）",
                )
            )
        urban_rural = cell(parse_urban_rural, cells, "城乡分类", row_number)
        if errors:
            first, *rest = errors
            first.extra = rest
            raise first
        assert school_code and anchor and subjects_text and hours and start_on
        data = CourseInput(
            name=name,
            stage=STAGE_WORDS[stage_text],
            carrier=CARRIER_WORDS[carrier_text],
            anchor_subject=anchor,
            subjects=split_subjects(subjects_text),
            hours=hours,
            start_on=start_on,
            end_on=end_on,
            grades=cell_text(cells, "适用年级"),
            teachers=cell_text(cells, "授课教师"),
            pupils=pupils or 0,
            in_after_school=after_school,
            resource_kinds=[k for k in kinds if not k.startswith("?")],
            resources=cell_text(cells, "使用资源"),
            **{field: cell_text(cells, header) for field, header in PLAN_COLUMNS},
        )
        return CourseRecord(nfkc(school_code), data, urban_rural)

    @staticmethod
    def _date(cells, header, row, errors, *, required: bool) -> dt.date | None:
        value = cells.get(header)
        if value is None or str(value).strip() == "":
            if required:
                errors.append(RowError(row, header, "不能为空"))
            return None
        try:
            day = parse_date(value)
        except ValueError as error:
            errors.append(RowError(row, header, str(error)))
            return None
        if day.year < 2000 or day.year > 2100:
            errors.append(RowError(row, header, f"{day}超出合理范围（2000至2100年）"))
            return None
        return day

    def validate_records(self, records: list[tuple[int, Any]]) -> list[RowError]:
        _schools, errors = self.resolve_schools(records)
        seen: dict[tuple[str, str], int] = {}
        existing = {
            (c.school_id, c.name): c
            for c in StemCourse.objects.filter(
                school__code__in={r.school_code for _, r in records},
                name__in={r.data.name for _, r in records},
            )
        }
        for row, record in records:
            key = (record.school_code, record.data.name)
            if key in seen:
                errors.append(RowError(row, "课程名称", f"与第{seen[key]}行是同一学校的同名课程"))
                continue
            seen[key] = row
            school = record.school
            if school is None:
                continue
            for field, reason in course_input_errors(record.data, school):
                errors.append(RowError(row, FIELD_COLUMNS.get(field, ""), reason))
            if record.urban_rural and school.urban_rural and record.urban_rural != school.urban_rural:
                errors.append(
                    RowError(
                        row,
                        "城乡分类",
                        f"与学校名册的城乡分类（{UrbanRural(school.urban_rural).label}）不一致",
                    )
                )
            course = existing.get((school.pk, record.data.name))
            if (
                course is not None
                and course.state not in EDITABLE_STATES
                and course_changes(course, record.data)
            ):
                errors.append(
                    RowError(
                        row,
                        "课程名称",
                        f"课程已进入审核流程（{course.get_state_display()}），不能通过导入修改",
                    )
                )
        return errors

    @transaction.atomic
    def apply(self, records: list[tuple[int, Any]], report: ImportReport) -> None:
        for _row, r in records:
            school = r.school
            if r.urban_rural and not school.urban_rural:
                school_upsert(
                    code=school.code,
                    name=school.name,
                    county_id=school.county_id,
                    kind=school.kind,
                    is_furong=school.is_furong,
                    actor=self.actor,
                    urban_rural=r.urban_rural,
                )
                school.urban_rural = r.urban_rural
            _course, state = course_upsert(actor=self.actor, school=school, data=r.data)
            if state == "created":
                report.created += 1
            elif state == "updated":
                report.updated += 1
            else:
                report.skipped += 1


def template_workbook() -> bytes:
    """The empty .xlsx template: headers on the first sheet, each column's values on the second."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = StemCourseImporter.title
    sheet.append([c.header for c in StemCourseImporter.columns])
    notes = workbook.create_sheet("填写说明")
    notes.append(["列名", "必填", "取值"])
    for column in StemCourseImporter.columns:
        notes.append([column.header, "是" if column.required else "否", column.values])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
