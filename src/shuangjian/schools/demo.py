"""Demo data of in-school burden reduction: schools across Hunan's counties and their reported weeks.

``load(scale=..., workdir=..., stdout=...)`` writes the platform's own .xlsx templates, filled — a
school list (学校名册, with the province's 101 芙蓉学校), homework publications (作业公示),
after-school returns (课后服务周报) and exam registrations (考试备案) — into ``workdir`` and imports
them through ``shuangjian import``. Two weeks are reported: the week before the seed document's date
(2023-05-29 … 06-04 for as-of 2023-06-05) and the last complete school week before today. Every school
is compliant in both, matching the published figures (after-school coverage 100 %, homework-time
compliance 100 %). Loading twice changes nothing. Registered by the integrator.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from shuangjian.regions.models import Region, RegionLevel

from .checks import SchoolCalendar, monday_of, term_of
from .importers import IMPORTER_CLASSES
from .models import KIND_GRADES, School

FURONG_SCHOOLS = 101  # 湘教复字〔2023〕283号: "全省 101所“芙蓉学校”全面建成投入使用"
DEMO_SCHOOL = ("4301020001", "长沙市芙蓉区演示小学")  # the school of the demo login ``xuexiao``
SCALES = {
    "small": {"regular_per_county": 1, "classes_per_grade": 1},
    "province": {"regular_per_county": 6, "classes_per_grade": 2},
}
HOMEWORK = {
    # grade band → items (subject, content, minutes, written): within the D1/D10 limits
    "low": [("语文", "朗读课文《秋天》三遍，给家长讲一讲", 15, False)],
    "primary": [("语文", "完成《练习册》第12页生字词", 20, True), ("数学", "口算题卡第8组", 20, True)],
    "junior": [
        ("语文", "阅读《朝花夕拾》一章并写批注", 25, True),
        ("数学", "课本习题2.3第1—4题", 30, True),
        ("英语", "背诵Unit 3单词并完成听写练习", 20, True),
    ],
}


#: The date of the seed document (湘教复字〔2023〕283号) whose figures the demo reproduces (the same
#: date as ``shuangjian.demo.calibration.AS_OF``; a test keeps them equal).
SEED_AS_OF = dt.date(2023, 6, 5)


def reported_week(as_of: dt.date | None = None) -> tuple[dt.date, list[dt.date]]:
    """The last complete week (Monday–Sunday) before ``as_of`` that has five school days:
    (Monday, its school days). ``as_of`` defaults to today."""
    as_of = as_of or timezone.localdate()
    calendar = SchoolCalendar()
    monday = monday_of(as_of) - dt.timedelta(days=7)
    for _ in range(80):
        days = sorted(calendar.school_days("430102", monday, monday + dt.timedelta(days=6)))
        if len(days) == 5:
            return monday, days
        monday -= dt.timedelta(days=7)
    raise CommandError("找不到可用于演示的完整教学周")


def demo_weeks() -> list[tuple[dt.date, list[dt.date]]]:
    """The weeks the demo reports: the seed document's reported week (its published figures) and the
    last complete school week before today (so that the pages' default period shows data)."""
    weeks = dict([reported_week(SEED_AS_OF), reported_week()])
    return sorted(weeks.items())


def _write(path: Path, kind: str, rows: list[list[Any]]) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(IMPORTER_CLASSES[kind].title)
    sheet.append([c.header for c in IMPORTER_CLASSES[kind].columns])
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def _write_csv(path: Path, kind: str, rows: list[list[Any]]) -> Path:
    """A UTF-8 CSV with the template's headers (the largest file: CSV reads and writes faster)."""
    import csv

    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([c.header for c in IMPORTER_CLASSES[kind].columns])
        writer.writerows(rows)
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
            rows.append(
                [
                    code,
                    name,
                    county.code,
                    kind,
                    "否",
                    600 if kind == "小学" else 900,
                    plan["classes_per_grade"],
                ]
            )
        if index < FURONG_SCHOOLS:
            rows.append(
                [
                    f"{county.code}0100",
                    f"{county.name}芙蓉学校",
                    county.code,
                    "九年一贯制学校",
                    "是",
                    1800,
                    plan["classes_per_grade"],
                ]
            )
    return rows


KIND_BY_WORD = {"小学": "PRIMARY", "初级中学": "JUNIOR", "九年一贯制学校": "NINE_YEAR"}


def school_weeks(start: dt.date, end: dt.date) -> list[tuple[dt.date, list[dt.date]]]:
    """Every week from ``start`` to ``end`` with at least one school day (default calendar), with its days."""
    calendar = SchoolCalendar()
    monday = monday_of(start)
    weeks = []
    while monday <= end:
        days = sorted(calendar.school_days("430102", monday, monday + dt.timedelta(days=6)))
        if days:
            weeks.append((monday, days))
        monday += dt.timedelta(days=7)
    return weeks


def history_weeks() -> tuple[list[tuple[dt.date, list[dt.date]]], list[tuple[dt.date, list[dt.date]]]]:
    """(homework weeks, after-school weeks) of the demo: homework for the reported weeks and the last
    school week of 2022; after-school returns for every school week since January 2022, so that the
    published 100 % coverage holds for the statistics year 2022 as well as for the reported week."""
    weeks = demo_weeks()
    last_of_2022 = school_weeks(dt.date(2022, 12, 19), dt.date(2022, 12, 31))[-1:]
    homework = sorted(dict(weeks + last_of_2022).items())
    returns = sorted(
        dict(weeks + school_weeks(dt.date(2022, 1, 1), weeks[0][0] - dt.timedelta(days=1))).items()
    )
    return homework, returns


def load(*, scale: str, workdir: Path, stdout) -> None:
    """Write and import the demo files (see the module docstring). ``scale`` is "small" or "province"."""
    if scale not in SCALES:
        raise CommandError(f"未知规模“{scale}”")
    workdir = Path(workdir)
    schools = school_rows(scale)
    _import("schools", _write(workdir / "学校名册.xlsx", "schools", schools), stdout)

    weeks, return_weeks = history_weeks()
    homework, weekly, exams = [], [], []
    for code, _name, _county, kind_word, _furong, students, per_grade in schools:
        grades = KIND_GRADES[KIND_BY_WORD[kind_word]]
        terms: set[str] = set()
        for _monday, days in weeks:
            for grade in grades:
                band = "low" if grade <= 2 else ("primary" if grade <= 6 else "junior")
                for number in range(1, per_grade + 1):
                    for day in days:
                        for subject, content, minutes, is_written in HOMEWORK[band]:
                            homework.append(
                                [
                                    code,
                                    grade,
                                    number,
                                    day,
                                    subject,
                                    content,
                                    minutes,
                                    "是" if is_written else "否",
                                ]
                            )
                if grade >= 7 and term_of(days[len(days) // 2]) not in terms:  # one mid-term per term (D11)
                    middle = days[len(days) // 2]
                    exams.append(
                        [
                            code,
                            grade,
                            "期中考试",
                            f"{term_of(middle)}学期{grade}年级期中考试",
                            middle,
                            None,
                            "语文、数学、英语",
                            "是",
                        ]
                    )
            terms.add(term_of(days[len(days) // 2]))
        requested = students * 6 // 10
        for monday, days in return_weeks:
            weekly.append(
                [
                    code,
                    monday,
                    len(days),
                    2,
                    "17:45",
                    requested,
                    requested,
                    max(8, students // 40),
                    2,
                    0,
                    2000,
                    "",
                ]
            )
    _import("school-homework", _write_csv(workdir / "作业公示.csv", "school-homework", homework), stdout)
    _import("school-weekly", _write(workdir / "课后服务周报.xlsx", "school-weekly", weekly), stdout)
    _import("school-exams", _write(workdir / "考试备案.xlsx", "school-exams", exams), stdout)
    furong = sum(1 for row in schools if row[4] == "是")
    stdout.write(
        f"校内减负：{len(schools)} 所学校（芙蓉学校 {furong} 所），"
        f"{'、'.join(f'{m:%Y-%m-%d}' for m, _d in weeks)} 当周作业公示 {len(homework)} 条、"
        f"{len(return_weeks)} 周课后服务周报 {len(weekly)} 份、考试备案 {len(exams)} 条"
    )


def demo_account_school() -> School:
    """The school of the 学校管理员 demo login (``accounts.demo``)."""
    school, _ = School.objects.get_or_create(
        code="4301020001", defaults={"name": "长沙市芙蓉区演示小学", "county_id": "430102", "kind": "PRIMARY"}
    )
    return school
