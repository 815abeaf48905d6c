"""Checks of school records against RULES.md §7, and the school calendar they run on.

Pure functions: each takes plain values plus the county's :class:`~shuangjian.schools.rules.CountyRules`
and returns a list of Chinese findings (empty = compliant). The calendar (:class:`SchoolCalendar`)
says which days are school days (上课日): working days of :class:`shuangjian.common.workdays.WorkdayCalendar`
(statutory holidays off, adjusted working days 调休 on) outside the county's vacations (rule data).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from shuangjian.common.workdays import WorkdayCalendar

from .models import GRADE_LABELS, ExamKind, GradeBand, grade_band
from .rules import CountyRules, SchoolRuleBook


def term_of(day: dt.date) -> str:
    """The school term of ``day``: ``2025-2026-1`` for August 2025–January 2026, ``2025-2026-2`` for
    February–July 2026."""
    if day.month >= 8:
        return f"{day.year}-{day.year + 1}-1"
    if day.month == 1:
        return f"{day.year - 1}-{day.year}-1"
    return f"{day.year - 1}-{day.year}-2"


def monday_of(day: dt.date) -> dt.date:
    """The Monday of ``day``'s ISO week."""
    return day - dt.timedelta(days=day.weekday())


class SchoolCalendar:
    """Which days are school days (上课日) in which county.

    A school day is a working day of the national calendar (adjusted working Saturdays and Sundays
    included, statutory holidays excluded; regulator-entered years first, then ``chinese-calendar``,
    then plain weekends with a warning) that lies outside every vacation the county's rule data lists.
    ``warnings`` collects the calendar's Chinese warnings for pages to show.
    """

    def __init__(
        self, rulebook: SchoolRuleBook | None = None, workdays: WorkdayCalendar | None = None
    ) -> None:
        self.rulebook = rulebook or SchoolRuleBook()
        self.workdays = workdays or WorkdayCalendar()
        self._working: dict[dt.date, bool] = {}
        self._ranges: dict[tuple, frozenset[dt.date]] = {}

    @property
    def warnings(self) -> list[str]:
        return self.workdays.warnings

    def is_working_day(self, day: dt.date) -> bool:
        if day not in self._working:
            self._working[day] = self.workdays.is_working_day(day)
        return self._working[day]

    def day_status(self, day: dt.date, county_code: str) -> tuple[bool, str]:
        """(is a school day, Chinese reason): 上课日 / 调休上课日 / 周末 / 法定节假日 / the vacation's name."""
        rules = self.rulebook.for_county(county_code)
        vacation = rules.in_vacation(day)
        if vacation is not None:
            return False, vacation or "假期"
        if self.is_working_day(day):
            return True, "调休上课日" if day.weekday() >= 5 else "上课日"
        return False, "周末" if day.weekday() >= 5 else "法定节假日"

    def is_school_day(self, day: dt.date, county_code: str) -> bool:
        return self.day_status(day, county_code)[0]

    def school_days(self, county_code: str, start: dt.date, end: dt.date) -> frozenset[dt.date]:
        """School days of ``county_code`` in [start, end] (both inclusive)."""
        rules = self.rulebook.for_county(county_code)
        key = (rules.vacations, start, end)
        if key not in self._ranges:
            days = set()
            day = start
            while day <= end:
                if rules.in_vacation(day) is None and self.is_working_day(day):
                    days.add(day)
                day += dt.timedelta(days=1)
            self._ranges[key] = frozenset(days)
        return self._ranges[key]


# --- Homework (作业, D1, D10) -----------------------------------------------------------------------
def homework_limit(grade: int, rules: CountyRules) -> int:
    """Daily limit of written homework in minutes for ``grade`` (0 for grades 1–2)."""
    return rules.homework_max[grade_band(grade)]


def homework_findings(*, grade: int, written_minutes: int, rules: CountyRules) -> list[str]:
    """Violations of one class-day's homework (RULES.md §7; D1, D10).

    Grades 1–2: no written homework (limit 0 minutes); grades 3–6: written homework ≤ 60 minutes a day;
    grades 7–9: ≤ 90 minutes (limits are the county's rule values).
    """
    limit = homework_limit(grade, rules)
    if written_minutes <= limit:
        return []
    band = grade_band(grade)
    if limit == 0:
        return [
            f"{GradeBand(band).label}不布置书面家庭作业，但公示了 {written_minutes} 分钟书面作业（D1、D10）"
        ]
    return [f"书面作业 {written_minutes} 分钟，超过{GradeBand(band).label}每日 {limit} 分钟上限（D1、D10）"]


def homework_compliant(*, grade: int, written_minutes: int, rules: CountyRules) -> bool:
    return not homework_findings(grade=grade, written_minutes=written_minutes, rules=rules)


# --- After-school service (课后服务 "5+2") ------------------------------------------------------------
@dataclass(frozen=True)
class AfterSchoolFigures:
    """The figures of a weekly return the "5+2" check needs."""

    days_offered: int
    hours_per_day: Decimal | float
    end_time: dt.time
    students_enrolled: int
    students_requested: int


def after_school_required_days(school_days_in_week: int, rules: CountyRules) -> int:
    """Days of service due in a week: 5, or fewer when holidays leave fewer school days."""
    return min(rules.after_school_min_days, school_days_in_week)


def after_school_findings(
    figures: AfterSchoolFigures, *, required_days: int, rules: CountyRules
) -> list[str]:
    """Shortfalls of one week's service against "5+2" (RULES.md §7; D1; secondary sources).

    Checks: days offered ≥ the days due (5, fewer in a holiday week), hours a day ≥ 2, end no earlier
    than the local office closing time and no later than 20:30, and every pupil who asked enrolled
    (应接尽接); more pupils enrolled than asked is flagged as a probable data error. A week without
    school days (``required_days`` 0) has nothing due.
    """
    if required_days <= 0:
        return []
    out = []
    if figures.days_offered < required_days:
        out.append(f"开展 {figures.days_offered} 天，少于应开展的 {required_days} 天（“5+2”）")
    hours = float(figures.hours_per_day)
    if hours < rules.after_school_min_hours:
        out.append(f"每天 {hours:g} 小时，少于 {rules.after_school_min_hours:g} 小时（“5+2”）")
    if figures.end_time < rules.after_school_earliest_end:
        out.append(
            f"结束时间 {figures.end_time:%H:%M} 早于当地下班时间 {rules.after_school_earliest_end:%H:%M}"
        )
    if figures.end_time > rules.after_school_latest_end:
        out.append(f"结束时间 {figures.end_time:%H:%M} 晚于 {rules.after_school_latest_end:%H:%M}")
    if rules.after_school_serve_all and figures.students_enrolled < figures.students_requested:
        out.append(
            f"参加 {figures.students_enrolled} 人，少于申请的 {figures.students_requested} 人（应接尽接）"
        )
    if figures.students_enrolled > figures.students_requested:
        out.append(
            f"参加 {figures.students_enrolled} 人，多于申请的 {figures.students_requested} 人（数据可能有误，请核对）"
        )
    return out


# --- Exams (考试, D11) ----------------------------------------------------------------------------
@dataclass(frozen=True)
class ExamFacts:
    """What the frequency rules need to know about one registered exam."""

    id: int
    school_id: int
    county_code: str
    term: str
    grade: int
    kind: str
    held_on: dt.date
    is_written: bool = True


def exam_findings(exams: Iterable[ExamFacts], rulebook: SchoolRuleBook) -> dict[int, list[str]]:
    """Violations per exam id of the frequency rules (D11; RULES.md §7).

    Grades 1–2 take no written exams; each grade has at most one end-of-term exam per term; junior
    grades (7–9) may add one mid-term, primary grades none; graduating juniors (grade 9) may sit up to
    two mock exams per school year; other written exams (monthly tests, joint exams) are not allowed.
    Exams are counted in date order within (school, term, grade): the first ones within a limit pass,
    the ones beyond it fail. Non-written assessments are never a violation. Limits are the county's
    rule values. Every exam passed in gets an entry (empty list = compliant).
    """
    out: dict[int, list[str]] = {}
    ordered = sorted(exams, key=lambda e: (e.held_on, e.id))
    per_term: dict[tuple, int] = defaultdict(int)
    per_year: dict[tuple, int] = defaultdict(int)
    for exam in ordered:
        findings: list[str] = []
        out[exam.id] = findings
        if not exam.is_written:
            continue
        rules = rulebook.for_county(exam.county_code)
        grade_label = str(GRADE_LABELS[exam.grade])
        if exam.grade < rules.exam_min_written_grade:
            findings.append(f"{grade_label}不进行纸笔考试（D11）")
            continue
        key = (exam.school_id, exam.term, exam.grade, exam.kind)
        per_term[key] += 1
        n = per_term[key]
        if exam.kind == ExamKind.FINAL:
            if n > rules.exam_max_finals:
                findings.append(
                    f"{grade_label}本学期第 {n} 次期末考试，每学期限 {rules.exam_max_finals} 次（D11）"
                )
        elif exam.kind == ExamKind.MIDTERM:
            limit = rules.exam_max_midterms_junior if exam.grade >= 7 else rules.exam_max_midterms_primary
            if n > limit:
                if limit == 0:
                    findings.append(f"{grade_label}不组织期中考试（D11：仅初中可适当组织一次）")
                else:
                    findings.append(f"{grade_label}本学期第 {n} 次期中考试，每学期限 {limit} 次（D11）")
        elif exam.kind == ExamKind.MOCK:
            if exam.grade != 9:
                findings.append("模拟考试仅限初中毕业年级（九年级）")
            else:
                year_key = (exam.school_id, exam.term[:9], exam.grade)
                per_year[year_key] += 1
                if per_year[year_key] > rules.exam_max_mocks_grade9:
                    findings.append(
                        f"本学年第 {per_year[year_key]} 次模拟考试，每学年限 {rules.exam_max_mocks_grade9} 次"
                    )
        else:
            if n > rules.exam_max_other:
                findings.append("月考、周考、统考等其他纸笔考试不得组织（D11）")
    return out
