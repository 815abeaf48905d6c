"""Reads of in-school burden reduction: the four compliance rates, drill-down tables and shortfalls.

The rates (RATE_DEFINITIONS holds the text shown on every page next to the figure):

- 作业时长合规率 homework-time compliance rate = published class-school-days whose written homework is
  within the grade's daily limit (grades 1–2: none; 3–6: ≤ 60 min; 7–9: ≤ 90 min; D1, D10) ÷ published
  class-school-days.
- 作业公示率 homework publication rate = class-school-days with a published homework record ÷
  class-school-days due (every active class × every school day of the period; a missing record counts
  as not published; holidays, weekends and vacations are not due, adjusted working days 调休 are).
- 课后服务覆盖率 after-school coverage rate = school-weeks whose weekly return meets "5+2" (days due,
  ≥ 2 h a day, end time window, every pupil who asked enrolled) ÷ school-weeks due (every active school ×
  every week with at least one school day in the period; a missing return counts as not covered).
- 考试合规率 exam-rule compliance rate = written exams held in the period that respect the D11
  frequency rules ÷ written exams held in the period.

All counts come from ``School.objects.visible_to(user)`` (the one scoping path) and are summed
from classes up to schools, counties, cities and the province, so every level of the drill-down adds up.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from shuangjian.regions.models import Region, RegionLevel

from .checks import (
    AfterSchoolFigures,
    ExamFacts,
    SchoolCalendar,
    after_school_findings,
    after_school_required_days,
    exam_findings,
    monday_of,
)
from .models import (
    COMPULSORY_KINDS,
    GRADE_LABELS,
    AfterSchoolWeek,
    Exam,
    GradeBand,
    HomeworkDay,
    School,
    SchoolClass,
)
from .rules import SchoolRuleBook

RATE_KEYS = (
    "homework_time_compliance_rate",
    "homework_publication_rate",
    "after_school_coverage_rate",
    "exam_compliance_rate",
)

#: key → (Chinese title, Chinese definition shown on the pages beside the figure).
RATE_DEFINITIONS: dict[str, tuple[Any, Any]] = {
    "homework_time_compliance_rate": (
        _("作业时长合规率"),
        _(
            "书面作业时长不超过年级上限的已公示“班级·上课日”数 ÷ 已公示的“班级·上课日”数。"
            "上限：一、二年级不布置书面作业，三至六年级每天60分钟，初中每天90分钟（D1、D10）。"
        ),
    ),
    "homework_publication_rate": (
        _("作业公示率"),
        _(
            "已公示作业的“班级·上课日”数 ÷ 应公示的“班级·上课日”数（在用班级 × 期间内上课日）。"
            "缺公示即未公示；周末、法定节假日和寒暑假不计，调休上课日计入。"
        ),
    ),
    "after_school_coverage_rate": (
        _("课后服务覆盖率"),
        _(
            "周报达到“5+2”标准的“学校·周”数 ÷ 应开展课后服务的“学校·周”数（在办学校 × 期间内有上课日的周）。"
            "标准：开展天数不少于该周上课日数（最多5天），每天不少于2小时，结束时间不早于当地下班时间、"
            "不晚于20:30，申请学生应接尽接；缺报即未覆盖。"
        ),
    ),
    "exam_compliance_rate": (
        _("考试合规率"),
        _(
            "期间内举行、符合频次规定的纸笔考试场次 ÷ 期间内举行的纸笔考试场次（D11：一、二年级不进行纸笔考试；"
            "每学期一次期末考试；初中可加一次期中考试；毕业年级每学年至多两次模拟考试；其他考试不得组织）。"
        ),
    ),
}


def _fraction(numerator: int, denominator: int) -> float | None:
    """numerator/denominator rounded half-up to 4 decimals; None without a denominator."""
    if not denominator:
        return None
    value = (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    return float(value)


@dataclass
class Tally:
    """Numerators and denominators of the four rates for one unit (class, school or region)."""

    hw_due: int = 0  # class-school-days due
    hw_published: int = 0  # of which published (also the time-compliance denominator)
    hw_compliant: int = 0  # of which within the limit
    as_due: int = 0  # school-weeks due
    as_covered: int = 0  # of which meeting "5+2"
    ex_total: int = 0  # written exams held in the period
    ex_compliant: int = 0  # of which compliant

    def add(self, other: Tally) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def homework_time_compliance_rate(self) -> float | None:
        """作业时长合规率 = published class-school-days whose written minutes are within the grade's daily
        limit (grades 1–2: 0, i.e. no written homework; 3–6: 60; 7–9: 90 — rule data, D1, D10) ÷ published
        class-school-days. Records on days that are not school days are not counted."""
        return _fraction(self.hw_compliant, self.hw_published)

    def homework_publication_rate(self) -> float | None:
        """作业公示率 = class-school-days with a published record ÷ class-school-days due (each active class ×
        each school day of the period: working days incl. 调休, minus holidays and the county's vacations).
        A missing record counts as not published; an empty record ("no homework today") counts as published."""
        return _fraction(self.hw_published, self.hw_due)

    def after_school_coverage_rate(self) -> float | None:
        """课后服务覆盖率 = school-weeks whose weekly return meets "5+2" (days ≥ the week's school days up to 5,
        ≥ 2 h a day, end within [local office closing, 20:30], enrolled ≥ requested) ÷ school-weeks due
        (each active school × each week with a school day in the period). A missing return is not covered."""
        return _fraction(self.as_covered, self.as_due)

    def exam_compliance_rate(self) -> float | None:
        """考试合规率 = written exams held in the period that respect D11's frequency rules (counted in date
        order within school, term and grade) ÷ written exams held in the period. Non-written assessments
        are not counted."""
        return _fraction(self.ex_compliant, self.ex_total)

    def rates(self) -> dict[str, float | None]:
        """The four rates as fractions rounded half-up to 4 decimals (None when the denominator is 0)."""
        return {key: getattr(self, key)() for key in RATE_KEYS}


@dataclass
class SchoolResult:
    """One school's figures for the period and its shortfalls (Chinese lines)."""

    id: int
    code: str
    name: str
    county_id: str
    kind: str
    is_furong: bool
    tally: Tally = field(default_factory=Tally)
    shortfalls: list[str] = field(default_factory=list)
    classes: dict[int, tuple[str, Tally]] = field(default_factory=dict)

    @property
    def rates(self) -> dict[str, float | None]:
        return self.tally.rates()

    @property
    def falls_short(self) -> bool:
        return bool(self.shortfalls)


@dataclass
class Evaluation:
    """Everything computed for a set of schools over a period."""

    date_from: dt.date
    date_to: dt.date
    schools: dict[int, SchoolResult]
    warnings: list[str]

    @property
    def total(self) -> Tally:
        tally = Tally()
        for result in self.schools.values():
            tally.add(result.tally)
        return tally


def evaluate(schools: QuerySet[School], date_from: dt.date, date_to: dt.date) -> Evaluation:
    """Compute class, school and shortfall figures for the active schools of ``schools`` in
    [date_from, date_to] (both inclusive). ``schools`` must already be scoped (``visible_to``).

    Raises ``ValueError`` when ``date_to`` precedes ``date_from``. Query count does not grow with
    the number of schools: one query per kind of record and per group of counties sharing the same
    school days and limits.
    """
    if date_to < date_from:
        raise ValueError("结束日期不能早于开始日期")
    rulebook = SchoolRuleBook()
    calendar = SchoolCalendar(rulebook)
    # Kindergartens and senior high schools are in the registry for STEM education only.
    active = schools.filter(is_active=True, kind__in=COMPULSORY_KINDS)
    results: dict[int, SchoolResult] = {}
    for row in active.values("id", "code", "name", "county_id", "kind", "is_furong"):
        results[row["id"]] = SchoolResult(**row)
    evaluation = Evaluation(date_from, date_to, results, calendar.warnings)
    if not results:
        return evaluation
    school_ids = active.values("id")
    counties = sorted({r.county_id for r in results.values()})
    week_from, week_to = monday_of(date_from), monday_of(date_to) + dt.timedelta(days=6)
    week_days = {c: calendar.school_days(c, week_from, week_to) for c in counties}
    period_days = {c: sorted(d for d in week_days[c] if date_from <= d <= date_to) for c in counties}

    _homework(evaluation, school_ids, counties, period_days, rulebook)
    _after_school(evaluation, school_ids, counties, period_days, week_days, rulebook)
    _exams(evaluation, school_ids, rulebook)
    return evaluation


def _homework(evaluation, school_ids, counties, period_days, rulebook) -> None:
    results = evaluation.schools
    class_rows = SchoolClass.objects.filter(school__in=school_ids, is_active=True).values(
        "id", "school_id", "grade", "number"
    )
    class_tallies: dict[int, Tally] = {}
    for row in class_rows:
        result = results[row["school_id"]]
        tally = Tally(hw_due=len(period_days[result.county_id]))
        class_tallies[row["id"]] = tally
        result.classes[row["id"]] = (f"{GRADE_LABELS[row['grade']]}{row['number']}班", tally)
    # One query per cohort of counties sharing the same school days and limits.
    cohorts: dict[tuple, list[str]] = defaultdict(list)
    for county in counties:
        limits = rulebook.for_county(county).homework_max
        key = (tuple(period_days[county]), tuple(sorted((str(b), v) for b, v in limits.items())))
        cohorts[key].append(county)
    for (days, limits_items), cohort in cohorts.items():
        if not days:
            continue
        limits = dict(limits_items)
        within = (
            Q(school_class__grade__lte=2, written_minutes__lte=limits[GradeBand.G1_2])
            | Q(
                school_class__grade__gte=3,
                school_class__grade__lte=6,
                written_minutes__lte=limits[GradeBand.G3_6],
            )
            | Q(school_class__grade__gte=7, written_minutes__lte=limits[GradeBand.G7_9])
        )
        rows = (
            HomeworkDay.objects.filter(
                school_class__school__in=school_ids,
                school_class__school__county_id__in=cohort,
                school_class__is_active=True,
                date__in=list(days),
            )
            .values("school_class_id")
            .annotate(n=Count("id"), ok=Count("id", filter=within))
        )
        for counted in rows:
            found = class_tallies.get(counted["school_class_id"])
            if found is not None:
                found.hw_published += counted["n"]
                found.hw_compliant += counted["ok"]
    for result in results.values():
        missing = over = 0
        for _label, tally in result.classes.values():
            result.tally.add(tally)
            missing += tally.hw_due - tally.hw_published
            over += tally.hw_published - tally.hw_compliant
        if missing:
            result.shortfalls.append(f"作业未公示 {missing} 个“班级·上课日”")
        if over:
            result.shortfalls.append(f"书面作业超时 {over} 个“班级·上课日”")


def _after_school(evaluation, school_ids, counties, period_days, week_days, rulebook) -> None:
    results = evaluation.schools
    due_weeks: dict[str, dict[dt.date, int]] = {}
    mondays: set[dt.date] = set()
    for county in counties:
        weeks = {monday_of(d) for d in period_days[county]}
        due_weeks[county] = {m: sum(1 for d in week_days[county] if monday_of(d) == m) for m in sorted(weeks)}
        mondays |= weeks
    returns = {}
    if mondays:
        for row in AfterSchoolWeek.objects.filter(
            school__in=school_ids, week_start__in=sorted(mondays)
        ).values(
            "school_id",
            "week_start",
            "days_offered",
            "hours_per_day",
            "end_time",
            "students_enrolled",
            "students_requested",
        ):
            returns[(row["school_id"], row["week_start"])] = row
    for result in results.values():
        rules = rulebook.for_county(result.county_id)
        for monday, n_days in due_weeks[result.county_id].items():
            required = after_school_required_days(n_days, rules)
            if required <= 0:
                continue
            result.tally.as_due += 1
            ret = returns.get((result.id, monday))
            if ret is None:
                result.shortfalls.append(f"{monday:%m-%d}周 课后服务未报")
                continue
            figures = AfterSchoolFigures(
                days_offered=ret["days_offered"],
                hours_per_day=ret["hours_per_day"],
                end_time=ret["end_time"],
                students_enrolled=ret["students_enrolled"],
                students_requested=ret["students_requested"],
            )
            findings = after_school_findings(figures, required_days=required, rules=rules)
            if findings:
                result.shortfalls.append(f"{monday:%m-%d}周 课后服务：" + "；".join(findings))
            else:
                result.tally.as_covered += 1


def _exams(evaluation, school_ids, rulebook) -> None:
    results = evaluation.schools
    in_period = list(
        Exam.objects.filter(
            school__in=school_ids,
            held_on__gte=evaluation.date_from,
            held_on__lte=evaluation.date_to,
            is_written=True,
        ).values_list("id", "term")
    )
    if not in_period:
        return
    years = {term[:9] for _id, term in in_period}
    terms = [f"{y}-{half}" for y in years for half in (1, 2)]
    facts = [
        ExamFacts(
            id=row["id"],
            school_id=row["school_id"],
            county_code=row["school__county_id"],
            term=row["term"],
            grade=row["grade"],
            kind=row["kind"],
            held_on=row["held_on"],
            is_written=row["is_written"],
        )
        for row in Exam.objects.filter(school__in=school_ids, term__in=terms).values(
            "id", "school_id", "school__county_id", "term", "grade", "kind", "held_on", "is_written"
        )
    ]
    by_id = {f.id: f for f in facts}
    findings = exam_findings(facts, rulebook)
    for exam_id, _term in in_period:
        fact = by_id[exam_id]
        result = results.get(fact.school_id)
        if result is None:
            continue
        result.tally.ex_total += 1
        if findings[exam_id]:
            result.shortfalls.append(f"考试违规（{fact.held_on:%m-%d}）：" + "；".join(findings[exam_id]))
        else:
            result.tally.ex_compliant += 1


def scoped_schools(user: Any = None, region_code: str | None = None) -> QuerySet[School]:
    """Schools ``user`` may see (all when ``user`` is None), restricted to ``region_code``'s subtree."""
    schools = School.objects.visible_to(user) if user is not None else School.objects.all()
    if region_code:
        schools = schools.in_region(region_code)
    return schools


def school_rates(
    *, region_code: str | None = None, date_from: dt.date, date_to: dt.date, user: Any = None
) -> dict[str, float | None]:
    """The four rates for a region and period (used by ``shuangjian kpis`` as ``schools.*``).

    Returns exactly ``{"homework_time_compliance_rate", "homework_publication_rate",
    "after_school_coverage_rate", "exam_compliance_rate"}`` → fraction rounded to 4 decimals, or None
    when the rate has no denominator. Definitions: module docstring / ``RATE_DEFINITIONS``. Schools
    come from ``School.objects.visible_to(user)`` when ``user`` is given; ``region_code`` restricts to
    that region's subtree (``Region.DoesNotExist`` for an unknown code). Both dates inclusive.
    """
    return evaluate(scoped_schools(user, region_code), date_from, date_to).total.rates()


@dataclass
class DrillRow:
    """One row of a drill-down table: a child region, a school or a class, with its tally."""

    key: str
    label: str
    tally: Tally
    url_kind: str  # "region" | "school" | "class"
    pk: Any
    shortfalls: list[str] = field(default_factory=list)
    is_furong: bool = False

    @property
    def rates(self) -> dict[str, float | None]:
        return self.tally.rates()


def region_drill(evaluation: Evaluation, region: Region) -> list[DrillRow]:
    """Rows one level below ``region``: cities of a province, counties of a city, schools of a county."""
    if region.level == RegionLevel.COUNTY:
        return school_rows(evaluation)
    children = list(Region.objects.filter(parent=region).order_by("code"))
    rows = {c.code: DrillRow(c.code, c.name, Tally(), "region", c.code) for c in children}
    prefixes = [(c.subtree_prefix, c.code) for c in children]
    for result in evaluation.schools.values():
        for prefix, code in prefixes:
            if result.county_id.startswith(prefix):
                rows[code].tally.add(result.tally)
                break
    return list(rows.values())


def school_rows(evaluation: Evaluation) -> list[DrillRow]:
    return [
        DrillRow(r.code, r.name, r.tally, "school", r.id, r.shortfalls, r.is_furong)
        for r in sorted(evaluation.schools.values(), key=lambda r: r.code)
    ]


def class_rows(result: SchoolResult) -> list[DrillRow]:
    return [DrillRow(str(pk), label, tally, "class", pk) for pk, (label, tally) in result.classes.items()]


def shortfall_rows(evaluation: Evaluation) -> list[DrillRow]:
    """Schools that fall short in the period, worst publication rate first."""
    rows = [row for row in school_rows(evaluation) if row.shortfalls]
    rows.sort(key=lambda r: (r.rates["homework_publication_rate"] or 0, r.key))
    return rows
