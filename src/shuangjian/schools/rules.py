"""Rule parameters of in-school burden reduction (RULES.md §7), declared as rule data.

Every limit below is a :func:`shuangjian.common.rules.declare` parameter with its policy source;
the provincial regulator may store a region's own value (a county's vacation dates, a city's
earlier or later after-school end). :class:`SchoolRuleBook` resolves them for many counties at once
with the same lookup order as :func:`shuangjian.common.rules.rule_value` (county, city, province,
global row, declared default — the common ``RuleBook``) with one query for every county and key.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from shuangjian.common.rules import RuleBook, declare

from .models import GradeBand

PREFIX = "schools."

# --- Homework (作业) -------------------------------------------------------------------------------
HOMEWORK_MAX = {
    GradeBand.G1_2: declare(
        "schools.homework.max_written_minutes.g1_2",
        "小学一、二年级每日书面作业时长上限（0 即不布置书面作业）",
        0,
        "分钟/天",
        "D1 双减意见；D10 作业管理通知（RULES.md §7）",
    ),
    GradeBand.G3_6: declare(
        "schools.homework.max_written_minutes.g3_6",
        "小学三至六年级每日书面作业平均完成时间上限",
        60,
        "分钟/天",
        "D1 双减意见；D10 作业管理通知（RULES.md §7）",
    ),
    GradeBand.G7_9: declare(
        "schools.homework.max_written_minutes.g7_9",
        "初中每日书面作业平均完成时间上限",
        90,
        "分钟/天",
        "D1 双减意见；D10 作业管理通知（RULES.md §7）",
    ),
}

#: Default vacations (寒暑假) by school year. Local school calendars differ: every region stores its
#: own list (county, city or province row); dates are inclusive. UNCERTAIN defaults.
DEFAULT_VACATIONS = [
    {"name": "2022年暑假", "start": "2022-07-01", "end": "2022-08-31"},
    {"name": "2022-2023学年寒假", "start": "2023-01-14", "end": "2023-02-12"},
    {"name": "2023年暑假", "start": "2023-07-01", "end": "2023-08-31"},
    {"name": "2023-2024学年寒假", "start": "2024-01-27", "end": "2024-02-25"},
    {"name": "2024年暑假", "start": "2024-07-01", "end": "2024-08-31"},
    {"name": "2024-2025学年寒假", "start": "2025-01-18", "end": "2025-02-16"},
    {"name": "2025年暑假", "start": "2025-07-01", "end": "2025-08-31"},
    {"name": "2025-2026学年寒假", "start": "2026-01-31", "end": "2026-03-01"},
    {"name": "2026年暑假", "start": "2026-07-01", "end": "2026-08-31"},
    {"name": "2026-2027学年寒假", "start": "2027-01-23", "end": "2027-02-21"},
    {"name": "2027年暑假", "start": "2027-07-01", "end": "2027-08-31"},
]
VACATIONS = declare(
    "schools.vacations",
    "中小学寒暑假（不上课的日期段，含首尾日）",
    DEFAULT_VACATIONS,
    "日期段列表",
    "各地校历；D1 双减意见（寒暑假）",
    status="UNCERTAIN",
)

# --- Exams (考试, D11) ----------------------------------------------------------------------------
EXAM_MIN_WRITTEN_GRADE = declare(
    "schools.exam.min_written_grade",
    "可组织纸笔考试的最低年级（一、二年级不进行纸笔考试）",
    3,
    "年级",
    "D11 考试管理通知（RULES.md §7）",
)
EXAM_MAX_FINALS = declare(
    "schools.exam.max_finals_per_term",
    "每学期期末考试次数上限（每个年级）",
    1,
    "次/学期",
    "D11 考试管理通知",
)
EXAM_MAX_MIDTERMS_PRIMARY = declare(
    "schools.exam.max_midterms_per_term.primary",
    "小学每学期期中考试次数上限",
    0,
    "次/学期",
    "D11 考试管理通知（仅初中可适当组织一次期中考试）",
)
EXAM_MAX_MIDTERMS_JUNIOR = declare(
    "schools.exam.max_midterms_per_term.junior",
    "初中每学期期中考试次数上限",
    1,
    "次/学期",
    "D11 考试管理通知",
)
EXAM_MAX_MOCKS_GRADE9 = declare(
    "schools.exam.max_mocks_per_year.grade9",
    "初中毕业年级每学年模拟考试次数上限",
    2,
    "次/学年",
    "RULES.md §7 教育部办公厅关于进一步加强中小学日常考试管理的通知（发布日期待核实）",
    status="FOUND (secondary)",
)
EXAM_MAX_OTHER = declare(
    "schools.exam.max_other_per_term",
    "每学期其他纸笔考试（月考、统考等）次数上限",
    0,
    "次/学期",
    "D11 考试管理通知（其他考试一律禁止）",
)

# --- After-school service (课后服务 "5+2") ----------------------------------------------------------
AFTER_SCHOOL_MIN_DAYS = declare(
    "schools.after_school.min_days_per_week",
    "课后服务每周开展天数下限（“5+2”中的5天；节假日周按上课日数）",
    5,
    "天/周",
    "RULES.md §7 “5+2”（D1；江苏、梅州转述）",
    status="FOUND (secondary)",
)
AFTER_SCHOOL_MIN_HOURS = declare(
    "schools.after_school.min_hours_per_day",
    "课后服务每天时长下限（“5+2”中的2小时）",
    2,
    "小时/天",
    "RULES.md §7 “5+2”（D1；江苏、梅州转述）",
    status="FOUND (secondary)",
)
AFTER_SCHOOL_EARLIEST_END = declare(
    "schools.after_school.earliest_end",
    "课后服务结束时间不早于（当地正常下班时间）",
    "17:30",
    "时:分",
    "RULES.md §7（结束时间不早于当地正常下班时间；各地自定）",
    status="UNCERTAIN",
)
AFTER_SCHOOL_LATEST_END = declare(
    "schools.after_school.latest_end",
    "课后服务（含初中晚自习）结束时间不晚于",
    "20:30",
    "时:分",
    "RULES.md §7（初中晚自习一般不超过20:30）；D9 睡眠管理通知",
    status="FOUND (secondary)",
)
AFTER_SCHOOL_SERVE_ALL = declare(
    "schools.after_school.serve_all_requests",
    "有需求的学生应接尽接（参加人数不少于申请人数）",
    True,
    "",
    "D1 双减意见（努力实现有需求的学生全覆盖）",
    status="FOUND (secondary)",
)


def _time(value: Any) -> dt.time:
    if isinstance(value, dt.time):
        return value
    hour, minute = str(value).split(":")[:2]
    return dt.time(int(hour), int(minute))


@dataclass(frozen=True)
class CountyRules:
    """The rule values that apply to one county (all in the units declared above)."""

    homework_max: dict[GradeBand, int]
    vacations: tuple[tuple[dt.date, dt.date, str], ...]
    exam_min_written_grade: int
    exam_max_finals: int
    exam_max_midterms_primary: int
    exam_max_midterms_junior: int
    exam_max_mocks_grade9: int
    exam_max_other: int
    after_school_min_days: int
    after_school_min_hours: float
    after_school_earliest_end: dt.time
    after_school_latest_end: dt.time
    after_school_serve_all: bool

    def in_vacation(self, day: dt.date) -> str | None:
        """The name of the vacation ``day`` falls in, or None."""
        for start, end, name in self.vacations:
            if start <= day <= end:
                return name
        return None


class SchoolRuleBook:
    """This area's rule parameters for any county with one query: the common
    :class:`~shuangjian.common.rules.RuleBook` (county → city → province → global row → default)
    turned into typed :class:`CountyRules`."""

    def __init__(self) -> None:
        self._book = RuleBook(prefix=PREFIX)
        self._cache: dict[str, CountyRules] = {}

    def value(self, key: str, county_code: str | None) -> Any:
        """The value of ``key`` for ``county_code`` (:class:`~shuangjian.common.rules.RuleBook`)."""
        return self._book.value(key, county_code)

    def for_county(self, county_code: str) -> CountyRules:
        """All rule values for ``county_code`` (memoised)."""
        if county_code in self._cache:
            return self._cache[county_code]

        def v(spec):
            return self.value(spec.key, county_code)

        vacations = []
        for entry in v(VACATIONS) or []:
            try:
                vacations.append(
                    (
                        dt.date.fromisoformat(entry["start"]),
                        dt.date.fromisoformat(entry["end"]),
                        entry.get("name", ""),
                    )
                )
            except (KeyError, TypeError, ValueError):
                continue  # a malformed entry is ignored rather than crashing every page
        rules = CountyRules(
            homework_max={band: int(v(spec)) for band, spec in HOMEWORK_MAX.items()},
            vacations=tuple(vacations),
            exam_min_written_grade=int(v(EXAM_MIN_WRITTEN_GRADE)),
            exam_max_finals=int(v(EXAM_MAX_FINALS)),
            exam_max_midterms_primary=int(v(EXAM_MAX_MIDTERMS_PRIMARY)),
            exam_max_midterms_junior=int(v(EXAM_MAX_MIDTERMS_JUNIOR)),
            exam_max_mocks_grade9=int(v(EXAM_MAX_MOCKS_GRADE9)),
            exam_max_other=int(v(EXAM_MAX_OTHER)),
            after_school_min_days=int(v(AFTER_SCHOOL_MIN_DAYS)),
            after_school_min_hours=float(v(AFTER_SCHOOL_MIN_HOURS)),
            after_school_earliest_end=_time(v(AFTER_SCHOOL_EARLIEST_END)),
            after_school_latest_end=_time(v(AFTER_SCHOOL_LATEST_END)),
            after_school_serve_all=bool(v(AFTER_SCHOOL_SERVE_ALL)),
        )
        self._cache[county_code] = rules
        return rules
