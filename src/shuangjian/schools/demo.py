"""Demo data of in-school burden reduction: schools across Hunan's counties and one reported week.

``load(scale=..., workdir=..., stdout=...)`` writes the platform's own .xlsx templates, filled — a
school list (学校名册, with the province's 101 芙蓉学校), the week's homework publications (作业公示),
after-school returns (课后服务周报) and exam registrations (考试备案) — into ``workdir`` and imports
them through ``shuangjian import``. Every school is compliant for the reported week, matching the
published figures (after-school coverage 100 %, homework-time compliance 100 %). Loading twice
changes nothing. Registered by the integrator in ``DEMO_LOADERS``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from shuangjian.regions.models import Region, RegionLevel

from .checks import SchoolCalendar, monday_of
from .importers import IMPORTER_CLASSES
from .models import KIND_GRADES

FURONG_SCHOOLS = 101  # 湘教复字〔2023〕283号: "全省 101所“芙蓉学校”全面建成投入使用"
DEMO_SCHOOL = ("4301020001", "长沙市芙蓉区演示小学")  # the school of the demo login ``xuexiao``
SCALES = {"small": {"regular_per_county": 1, "classes_per_grade": 1},
          "province": {"regular_per_county": 6, "classes_per_grade": 2}}
HOMEWORK = {
    # grade band → items (subject, content, minutes, written): within the D1/D10 limits
    "low": [("语文", "朗读课文《秋天》三遍，给家长讲一讲", 15, False)],
    "primary": [("语文", "完成《练习册》第12页生字词", 20, True), ("数学", "口算题卡第8组", 20, True)],
    "junior": [("语文", "阅读《朝花夕拾》一章并写批注", 25, True), ("数学", "课本习题2.3第1—4题", 30, True),
               ("英语", "背诵Unit 3单词并完成听写练习", 20, True)],
}


def reported_week(today: dt.date | None = None) -> tuple[dt.date, list[dt.date]]:
    """The most recent complete week before today with five school days: (Monday, school days)."""
    today = today or timezone.localdate()
    calendar = SchoolCalendar()
    monday = monday_of(today) - dt.timedelta(days=7)
    for _ in range(80):
        days = sorted(calendar.school_days("430102", monday, monday + dt.timedelta(days=6)))
        if len(days) == 5:
            return monday, days
        monday -= dt.timedelta(days=7)
    raise CommandError("找不到可用于演示的完整教学周")


def _write(path: Path, kind: str, rows: list[list[Any]]) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(IMPORTER_CLASSES[kind].title)
    sheet.append([c.header for c in IMPORTER_CLASSES[kind].columns])
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def _import(kind: str, path: Path, stdout) -> None:
    try:
        call_command("import", kind, str(path), "--quiet", stdout=stdout, stderr=stdout)
    except SystemExit as exit_:
        if exit_.code:
            raise CommandError(f"演示数据导入失败：{kind} {path.name}") from None


def school_rows(scale: str) -> list[list[Any]]:
    """The school list: regular primary/junior schools in every county plus 101 芙蓉学校 (nine-year)."""
    plan = SCALES[scale]
    counties = list(Region.objects.filter(level=RegionLevel.COUNTY, code__startswith="43").order_by("code"))
    if not counties:
        raise CommandError("行政区划表为空：请先运行 shuangjian load-regions")
    rows: list[list[Any]] = []
    for index, county in enumerate(counties):
        for n in range(1, plan["regular_per_county"] + 1):
            kind = "小学" if (index + n) % 2 else "初级中学"
            code = f"{county.code}{n:04d}"
            name = f"{county.name}第{n}{'小学' if kind == '小学' else '中学'}"
            if code == DEMO_SCHOOL[0]:
                kind, name = "小学", DEMO_SCHOOL[1]
            rows.append([code, name, county.code, kind, "否", 600 if kind == "小学" else 900,
                         plan["classes_per_grade"]])
        if index < FURONG_SCHOOLS:
            rows.append([f"{county.code}0100", f"{county.name}芙蓉学校", county.code, "九年一贯制学校", "是", 1800,
                         plan["classes_per_grade"]])
    return rows


KIND_BY_WORD = {"小学": "PRIMARY", "初级中学": "JUNIOR", "九年一贯制学校": "NINE_YEAR"}


def load(*, scale: str, workdir: Path, stdout) -> None:
    """Write and import the demo files (see the module docstring). ``scale`` is "small" or "province"."""
    if scale not in SCALES:
        raise CommandError(f"未知规模“{scale}”")
    workdir = Path(workdir)
    schools = school_rows(scale)
    _import("schools", _write(workdir / "学校名册.xlsx", "schools", schools), stdout)

    monday, days = reported_week()
    homework, weekly, exams = [], [], []
    for code, _name, _county, kind_word, _furong, students, per_grade in schools:
        grades = KIND_GRADES[KIND_BY_WORD[kind_word]]
        for grade in grades:
            band = "low" if grade <= 2 else ("primary" if grade <= 6 else "junior")
            for number in range(1, per_grade + 1):
                for day in days:
                    for subject, content, minutes, is_written in HOMEWORK[band]:
                        homework.append([code, grade, number, day, subject, content, minutes,
                                         "是" if is_written else "否"])
            if grade >= 7:
                exams.append([code, grade, "期中考试", f"{grade}年级期中考试", days[2], None, "语文、数学、英语", "是"])
        requested = students * 6 // 10
        weekly.append([code, monday, len(days), 2, "17:45", requested, requested, max(8, students // 40), 2, 0,
                       2000, ""])
    _import("school-homework", _write(workdir / "作业公示.xlsx", "school-homework", homework), stdout)
    _import("school-weekly", _write(workdir / "课后服务周报.xlsx", "school-weekly", weekly), stdout)
    _import("school-exams", _write(workdir / "考试备案.xlsx", "school-exams", exams), stdout)
    furong = sum(1 for row in schools if row[4] == "是")
    stdout.write(
        f"校内减负：{len(schools)} 所学校（芙蓉学校 {furong} 所），{monday:%Y-%m-%d} 当周作业公示 {len(homework)} 条、"
        f"课后服务周报 {len(weekly)} 份、考试备案 {len(exams)} 条"
    )
