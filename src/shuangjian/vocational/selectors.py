"""Reads of vocational education: the standard check per school, shortfalls, coverage and figures.

Every function takes the queryset or user it works on, so pages, exports, the KPIs and the weekly report
count the same rows (``VocationalSchool.objects.visible_to(user)``).

- :func:`assess` checks one annual return against the school's threshold set (rules.py): per indicator
  the value, the threshold, whether it meets it and the gap in the indicator's unit; 达标 when every key
  indicator with a threshold is met (S6). A school with no return for the year is not assessable and
  counts as not 达标 in the rate (a missing return is a shortfall, as elsewhere on the platform).
- :func:`standard_rate` is the 达标率 of the 中职 schools in the 达标工程 scope on a date.
- :func:`county_coverage` / :func:`city_coverage` / :func:`industry_coverage`: public 中职 per county,
  高职 per city, the key industries served by a 高职.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

from shuangjian.common.kpicards import rate
from shuangjian.common.rules import RuleBook
from shuangjian.regions.models import Region, RegionLevel

from .models import (
    AnnualReturn,
    Designation,
    DesignationKind,
    Level,
    SchoolMajor,
    Sponsor,
    VocationalSchool,
    active_on_q,
    category_family,
    open_on_q,
)
from .rules import (
    INDICATORS,
    KEY_INDUSTRIES,
    SCOPE_FOUNDED_BEFORE,
    SETS,
    TARGET_RATES,
    ThresholdBook,
    standard_set_for,
)

_TWO = Decimal("0.01")


def statistical_year(day: dt.date) -> int:
    """The statistical year whose returns describe ``day``: the latest return filed for a year ≤ day's
    year is used, so a date in 2023 uses the 2023 return when filed, else 2022's."""
    return day.year


def _q(value: Decimal) -> Decimal:
    return value.quantize(_TWO, rounding=ROUND_HALF_UP)


def indicator_values(ret: AnnualReturn) -> dict[str, Decimal | None]:
    """Each indicator's value from a return (None when a figure it needs is missing or 0 students)."""
    students = Decimal(ret.students)
    teachers = Decimal(ret.teachers)

    def per(x: Any) -> Decimal | None:
        return None if x is None or not students else _q(Decimal(x) / students)

    equipment = None if ret.equipment_fen is None else Decimal(ret.equipment_fen) / 100
    return {
        "students": students,
        "teachers": teachers,
        "student_teacher_ratio": _q(students / teachers) if teachers else None,
        "dual_share": (Decimal(ret.dual_teachers) / teachers).quantize(
            Decimal("0.0001"), rounding=ROUND_HALF_UP
        )
        if ret.dual_teachers is not None and teachers
        else None,
        "land": ret.land_m2,
        "land_per_student": per(ret.land_m2),
        "building": ret.building_m2,
        "building_per_student": per(ret.building_m2),
        "equipment": equipment,
        "equipment_per_student": per(equipment),
        "books": None if ret.books is None else Decimal(ret.books),
        "books_per_student": per(ret.books),
    }


@dataclass
class IndicatorResult:
    """One indicator of one return: ``gap`` is how far from the threshold, in the indicator's unit
    (positive = short by that much; 0 when met); ``meets`` None when no threshold applies or the
    value is unknown (an unknown value of a key indicator fails the school)."""

    key: str
    label: str
    unit: str
    key_indicator: bool
    direction: str
    value: Decimal | None
    threshold: Decimal | None
    meets: bool | None
    gap: Decimal | None


@dataclass
class Assessment:
    """A school's check for one year: per indicator results, 达标 (all key indicators met)."""

    school: VocationalSchool
    year: int | None
    set_name: str
    results: list[IndicatorResult] = field(default_factory=list)

    @property
    def assessable(self) -> bool:
        return self.year is not None

    @property
    def failing(self) -> list[IndicatorResult]:
        """Key indicators with a threshold that the school does not meet (unknown values included)."""
        return [
            r for r in self.results if r.key_indicator and r.threshold is not None and r.meets is not True
        ]

    @property
    def meets_all(self) -> bool:
        return self.assessable and not self.failing

    @property
    def set_label(self) -> str:
        return SETS[self.set_name]

    @property
    def result_label(self) -> str:
        if not self.assessable:
            return "未报送年报"
        return "达标" if self.meets_all else f"不达标（{len(self.failing)}项）"


def assess(
    school: VocationalSchool, ret: AnnualReturn | None, book: ThresholdBook | None = None
) -> Assessment:
    """Check ``ret`` (or nothing) against ``school``'s threshold set for its county."""
    book = book or ThresholdBook()
    set_name = standard_set_for(
        level=school.level, is_technical=school.is_technical, standard_category=school.standard_category
    )
    assessment = Assessment(school=school, year=ret.year if ret else None, set_name=set_name)
    if ret is None:
        return assessment
    thresholds = book.thresholds(set_name, school.county_id)
    values = indicator_values(ret)
    for ind in INDICATORS:
        raw = thresholds.get(ind.key)
        threshold = None if raw is None else Decimal(str(raw))
        value = values[ind.key]
        meets: bool | None = None
        gap: Decimal | None = None
        if threshold is not None and value is not None:
            if ind.direction == "min":
                meets = value >= threshold
                gap = max(threshold - value, Decimal(0))
            else:
                meets = value <= threshold
                gap = max(value - threshold, Decimal(0))
        assessment.results.append(
            IndicatorResult(
                ind.key, ind.label, ind.unit, ind.key_indicator, ind.direction, value, threshold, meets, gap
            )
        )
    return assessment


def latest_return(school: VocationalSchool, year: int) -> AnnualReturn | None:
    """The school's latest return for a statistical year ≤ ``year``."""
    return school.returns.filter(year__lte=year).order_by("-year").first()


def assess_schools(schools: QuerySet, day: dt.date) -> list[Assessment]:
    """Assessments of ``schools`` with each one's latest return up to ``day``'s year (two queries)."""
    year = statistical_year(day)
    rows = list(
        schools.select_related("county").prefetch_related(
            Prefetch(
                "returns",
                queryset=AnnualReturn.objects.filter(year__lte=year).order_by("-year"),
                to_attr="_rets",
            )
        )
    )
    book = ThresholdBook()
    return [assess(s, s._rets[0] if s._rets else None, book) for s in rows]


def trend(school: VocationalSchool, book: ThresholdBook | None = None) -> list[dict[str, Any]]:
    """Per statistical year (ascending): each indicator's value and whether it met the threshold."""
    book = book or ThresholdBook()
    out = []
    for ret in school.returns.order_by("year"):
        a = assess(school, ret, book)
        out.append(
            {
                "year": ret.year,
                "meets_all": a.meets_all,
                "values": {r.key: r.value for r in a.results},
                "meets": {r.key: r.meets for r in a.results},
            }
        )
    return out


# --- Scope sets ---------------------------------------------------------------------------------
def open_schools(qs: QuerySet, day: dt.date) -> QuerySet:
    """Schools of ``qs`` open on ``day``."""
    return qs.filter(open_on_q(day))


def standard_scope(qs: QuerySet, day: dt.date) -> QuerySet:
    """The 达标工程 scope on ``day`` (S6): open 中职 schools (技工学校 included) founded before the scope
    date (rule ``vocational.standard.scope_founded_before``; unknown founding dates are in scope)."""
    cutoff = dt.date.fromisoformat(
        str(RuleBook(keys=[SCOPE_FOUNDED_BEFORE.key]).value(SCOPE_FOUNDED_BEFORE.key))
    )
    return open_schools(qs, day).filter(level=Level.SECONDARY).exclude(founded_on__gte=cutoff)


@dataclass
class StandardFigures:
    assessed: int
    met: int
    missing: int
    rate: float | None
    met_ids: list[int]
    scope_ids: list[int]


def standard_figures(qs: QuerySet, day: dt.date) -> StandardFigures:
    """达标 counts of the schools of ``qs`` in scope on ``day`` (rate = met ÷ in scope, 4 decimals)."""
    assessments = assess_schools(standard_scope(qs, day), day)
    met = [a.school.pk for a in assessments if a.meets_all]
    return StandardFigures(
        assessed=len(assessments),
        met=len(met),
        missing=sum(1 for a in assessments if not a.assessable),
        rate=rate(len(met), len(assessments)),
        met_ids=met,
        scope_ids=[a.school.pk for a in assessments],
    )


def target_rate(day: dt.date) -> float | None:
    """The 达标率 target in force for ``day``'s year (the nearest target year not before it)."""
    targets = RuleBook(keys=[TARGET_RATES.key]).value(TARGET_RATES.key) or {}
    years = sorted(int(y) for y in targets)
    for y in years:
        if day.year <= y:
            return float(targets[str(y)])
    return float(targets[str(years[-1])]) if years else None


def shortfalls(qs: QuerySet, day: dt.date) -> list[Assessment]:
    """Assessments of in-scope 中职 schools that are not 达标 on ``day`` (no return included), ordered by
    county then code."""
    items = [a for a in assess_schools(standard_scope(qs, day), day) if not a.meets_all]
    return sorted(items, key=lambda a: (a.school.county_id, a.school.code))


# --- Designations and coverage ------------------------------------------------------------------
def designated(qs: QuerySet, kind: str, day: dt.date) -> QuerySet:
    """Open schools of ``qs`` holding a designation of ``kind`` active on ``day``."""
    ids = Designation.objects.filter(active_on_q(day), kind=kind).values("school_id")
    return open_schools(qs, day).filter(pk__in=ids)


def public_secondary(qs: QuerySet, day: dt.date) -> QuerySet:
    """Open public (公办) 中职 schools of ``qs`` on ``day``."""
    return open_schools(qs, day).filter(level=Level.SECONDARY, sponsor=Sponsor.PUBLIC)


def higher(qs: QuerySet, day: dt.date) -> QuerySet:
    """Open 高职 (专科 and 职业本科) schools of ``qs`` on ``day``."""
    return open_schools(qs, day).filter(level__in=[Level.ASSOCIATE, Level.BACHELOR])


@dataclass
class CountyCoverage:
    county: Region
    public_secondary: int
    secondary: int
    centres: int


def county_coverage(qs: QuerySet, region: Region, day: dt.date) -> list[CountyCoverage]:
    """For each county of ``region``: open public 中职, all open 中职, 职教中心 among ``qs`` on ``day``."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for county_id, sponsor in (
        open_schools(qs, day).filter(level=Level.SECONDARY).values_list("county_id", "sponsor")
    ):
        counts[county_id]["secondary"] += 1
        if sponsor == Sponsor.PUBLIC:
            counts[county_id]["public"] += 1
    for county_id in designated(qs, DesignationKind.CENTRE, day).values_list("county_id", flat=True):
        counts[county_id]["centres"] += 1
    return [
        CountyCoverage(c, counts[c.code]["public"], counts[c.code]["secondary"], counts[c.code]["centres"])
        for c in region.counties().order_by("code")
    ]


def city_coverage(qs: QuerySet, region: Region, day: dt.date) -> list[tuple[Region, int]]:
    """For each city (市州) in ``region``: the number of open 高职 among ``qs`` on ``day``."""
    counts: dict[str, int] = defaultdict(int)
    for county_id in higher(qs, day).values_list("county_id", flat=True):
        counts[county_id[:4] + "00"] += 1
    if region.level == RegionLevel.PROVINCE:
        cities = Region.objects.filter(level=RegionLevel.PREFECTURE, code__startswith=region.subtree_prefix)
    else:
        cities = Region.objects.filter(code=region.code[:4] + "00")
    return [(c, counts[c.code]) for c in cities.order_by("code")]


def industry_coverage(qs: QuerySet, day: dt.date, region_code: str | None = None) -> list[dict[str, Any]]:
    """Each key industry (rule ``vocational.coverage.key_industries``) with the open 高职 of ``qs`` that
    offer a major of one of its 专业大类 in ``day``'s year."""
    industries = RuleBook(keys=[KEY_INDUSTRIES.key]).value(KEY_INDUSTRIES.key, region_code) or []
    year = day.year
    schools_by_family: dict[int, set[int]] = defaultdict(set)
    majors = (
        SchoolMajor.objects.filter(school__in=higher(qs, day), opened_year__lte=year)
        .exclude(stopped_year__lte=year)
        .values_list("school_id", "major__code")
    )
    for school_id, code in majors:
        family = category_family(code)
        if family:
            schools_by_family[family].add(school_id)
    out = []
    for entry in industries:
        ids: set[int] = set()
        for family in entry.get("families", []):
            ids |= schools_by_family.get(int(family), set())
        out.append(
            {"name": entry.get("name", ""), "families": entry.get("families", []), "schools": len(ids)}
        )
    return out


def counts_by_level(qs: QuerySet, day: dt.date) -> dict[str, int]:
    """Open schools of ``qs`` on ``day`` per level (SECONDARY / ASSOCIATE / BACHELOR)."""
    counts = {level.value: 0 for level in Level}
    for level in open_schools(qs, day).values_list("level", flat=True):
        counts[level] += 1
    return counts
