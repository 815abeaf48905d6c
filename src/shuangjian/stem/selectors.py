"""Reads of STEM education: courses offered in a term, rural reach per county, the review queue.

Rural reach (农村学校STEM课程开设情况), the figure the department says it will watch:

- a course is *offered* in the term of date D (terms: 1 Aug–31 Jan, 1 Feb–31 Jul) when
  ``start_on`` ≤ min(D, term end) and (``end_on`` is empty or ``end_on`` ≥ term start), whatever its
  review state (review is about quality, not existence);
- a school counts when it is active and of a kind in rule ``stem.coverage.kinds`` (kindergartens included
  by default); its class is the registry's 城区 / 镇区 / 乡村, or — where the registry lacks it — the rule
  ``stem.urban_rural.fallback_district`` (市辖区) / ``fallback_county`` (县、县级市);
- rural coverage rate = schools of the classes in rule ``stem.rural.classes`` (乡村 by default) offering
  ≥ 1 course ÷ those schools; urban coverage the same for 城区; gap = urban − rural (fractions);
- pupils reached = Σ over schools of min(Σ 参与学生数 of its offered courses, its 在校生数 when known).

Everything is summed from schools up to counties, cities and the province, so the drill-down adds up.
All reads go through ``Model.objects.visible_to(user)`` (the one scoping path).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from shuangjian.common.rules import RuleBook
from shuangjian.regions.models import Region, RegionLevel
from shuangjian.schools.models import School, UrbanRural

from .models import PENDING_LEVEL, CourseState, StemCourse
from .rules import (
    COVERAGE_KINDS,
    COVERAGE_TARGET,
    FALLBACK_COUNTY,
    FALLBACK_DISTRICT,
    PREFIX,
    RURAL_CLASSES,
    term_bounds,
)

REACH_DEFINITION = (
    "农村学校STEM课程开设率 = 本学期开设至少1门STEM课程的乡村学校（含幼儿园）数 ÷ 乡村学校数；城区同理；"
    "差距 = 城区开设率 − 乡村开设率。学期：8月1日至次年1月31日、2月1日至7月31日；课程开设日期不晚于统计日且"
    "未在学期开始前结束即为本学期开设。城乡分类取学校名册，缺失时按规则数据推定（市辖区按城区，县按镇区）。"
)


def _fraction(numerator: int, denominator: int) -> float | None:
    if not denominator:
        return None
    return float(
        (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    )


def stem_rule_book() -> RuleBook:
    """This area's rule values for any county with one query (``common.rules.RuleBook``, prefix ``stem.``)."""
    return RuleBook(prefix=PREFIX)


def offered_courses(courses: QuerySet[StemCourse], as_of: dt.date) -> QuerySet[StemCourse]:
    """Courses of ``courses`` offered in the term of ``as_of`` (see the module docstring)."""
    start, end = term_bounds(as_of)
    return courses.filter(start_on__lte=min(as_of, end)).filter(Q(end_on__isnull=True) | Q(end_on__gte=start))


@dataclass
class Reach:
    """Counts behind the rural-reach figures of one unit (school, county, city, province)."""

    schools: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # class → schools
    offering: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # class → schools offering
    rural_schools: int = 0
    rural_offering: int = 0
    courses: int = 0
    pupils: int = 0

    def add(self, other: Reach) -> None:
        for key, value in other.schools.items():
            self.schools[key] += value
        for key, value in other.offering.items():
            self.offering[key] += value
        self.rural_schools += other.rural_schools
        self.rural_offering += other.rural_offering
        self.courses += other.courses
        self.pupils += other.pupils

    @property
    def rural_rate(self) -> float | None:
        """Rural schools offering ≥ 1 course ÷ rural schools (classes in rule ``stem.rural.classes``)."""
        return _fraction(self.rural_offering, self.rural_schools)

    def rate(self, urban_rural: str) -> float | None:
        return _fraction(self.offering.get(urban_rural, 0), self.schools.get(urban_rural, 0))

    @property
    def urban_rate(self) -> float | None:
        return self.rate(UrbanRural.URBAN)

    @property
    def town_rate(self) -> float | None:
        return self.rate(UrbanRural.TOWN)

    @property
    def gap(self) -> float | None:
        """Urban − rural coverage (fraction, 4 decimals); None when either has no schools."""
        if self.urban_rate is None or self.rural_rate is None:
            return None
        return float(Decimal(str(self.urban_rate)) - Decimal(str(self.rural_rate)))

    @property
    def total_schools(self) -> int:
        return sum(self.schools.values())

    @property
    def total_offering(self) -> int:
        return sum(self.offering.values())


@dataclass
class ReachResult:
    """Per-school and per-county reach for one as-of date, with the rule values used."""

    as_of: dt.date
    term: tuple[dt.date, dt.date]
    by_school: dict[int, tuple[dict[str, Any], Reach]]
    by_county: dict[str, Reach]
    targets: dict[str, float]

    def total(self) -> Reach:
        out = Reach()
        for reach in self.by_county.values():
            out.add(reach)
        return out

    def for_prefix(self, prefix: str) -> Reach:
        out = Reach()
        for county, reach in self.by_county.items():
            if county.startswith(prefix):
                out.add(reach)
        return out

    def counties_below_target(self) -> list[tuple[str, Reach, float]]:
        """(county code, reach, target) of counties whose rural coverage is below their target (rule
        ``stem.rural.coverage_target``), lowest first; counties without rural schools are not listed."""
        rows = [
            (c, r, self.targets[c])
            for c, r in self.by_county.items()
            if r.rural_rate is not None and r.rural_rate < self.targets[c]
        ]
        return sorted(rows, key=lambda x: (x[1].rural_rate or 0, x[0]))


def school_class(school: dict[str, Any], county_is_district: bool, book: RuleBook) -> str:
    """A school's 城乡分类: the registry's, else the fallback rule by county type."""
    if school["urban_rural"]:
        return school["urban_rural"]
    key = FALLBACK_DISTRICT.key if county_is_district else FALLBACK_COUNTY.key
    value = book.value(key, school["county_id"])
    return value if value in UrbanRural.values else UrbanRural.TOWN


def reach_compute(*, schools: QuerySet[School], courses: QuerySet[StemCourse], as_of: dt.date) -> ReachResult:
    """Rural reach of the (already scoped) ``schools`` with their (already scoped) ``courses`` in the term
    of ``as_of``. Three queries whatever the number of schools."""
    book = stem_rule_book()
    offered = (
        offered_courses(courses, as_of).values("school_id").annotate(n=Count("id"), pupils=Sum("pupils"))
    )
    per_school = {row["school_id"]: (row["n"], row["pupils"] or 0) for row in offered}
    rows: list[dict[str, Any]] = [
        dict(r)
        for r in schools.filter(is_active=True).values(
            "id", "name", "code", "county_id", "kind", "urban_rural", "students"
        )
    ]
    counties = {r["county_id"] for r in rows}
    districts = {
        code
        for code, name in Region.objects.filter(code__in=counties).values_list("code", "name")
        if name.endswith("区")
    }
    by_school: dict[int, tuple[dict[str, Any], Reach]] = {}
    by_county: dict[str, Reach] = {}
    targets: dict[str, float] = {}
    for row in rows:
        county = row["county_id"]
        if county not in targets:
            targets[county] = float(book.value(COVERAGE_TARGET.key, county))
        if row["kind"] not in (book.value(COVERAGE_KINDS.key, county) or []):
            continue
        klass = school_class(row, county in districts, book)
        n, pupils = per_school.get(row["id"], (0, 0))
        if row["students"] is not None:
            pupils = min(pupils, row["students"])
        reach = Reach(courses=n, pupils=pupils)
        reach.schools[klass] += 1
        if n:
            reach.offering[klass] += 1
        if klass in (book.value(RURAL_CLASSES.key, county) or []):
            reach.rural_schools = 1
            reach.rural_offering = 1 if n else 0
        row["class"] = klass
        by_school[row["id"]] = (row, reach)
        by_county.setdefault(county, Reach()).add(reach)
    return ReachResult(as_of, term_bounds(as_of), by_school, by_county, targets)


def scoped(model: Any, user: Any = None, region_code: str | None = None) -> QuerySet:
    """``model`` rows ``user`` may open (all when None) in ``region_code``'s subtree."""
    qs = model.objects.visible_to(user) if user is not None else model.objects.all()
    return qs.in_region(region_code) if region_code else qs


def reach_for(*, user: Any = None, region_code: str | None = None, as_of: dt.date) -> ReachResult:
    """:func:`reach_compute` over what ``user`` may see in ``region_code``'s subtree."""
    return reach_compute(
        schools=scoped(School, user, region_code), courses=scoped(StemCourse, user, region_code), as_of=as_of
    )


@dataclass
class ReachRow:
    """One line of the drill-down: a division (or a school on a county's page) and its reach."""

    key: str
    label: str
    reach: Reach
    drill: bool
    target: float | None = None
    klass: str = ""


def reach_rows(result: ReachResult, region: Region) -> list[ReachRow]:
    """The units directly below ``region``: cities, counties, or (for a county) its schools."""
    if region.level == RegionLevel.COUNTY:
        rows = []
        for _id, (school, reach) in sorted(result.by_school.items(), key=lambda x: x[1][0]["code"]):
            if school["county_id"] == region.code:
                rows.append(
                    ReachRow(
                        str(school["id"]),
                        school["name"],
                        reach,
                        False,
                        klass=str(UrbanRural(school["class"]).label),
                    )
                )
        return rows
    out = []
    for child in Region.objects.filter(parent=region).order_by("code"):
        reach = result.for_prefix(child.subtree_prefix)
        target = result.targets.get(child.code) if child.level == RegionLevel.COUNTY else None
        out.append(ReachRow(child.code, child.name, reach, True, target))
    return out


def review_queue(user: Any) -> QuerySet[StemCourse]:
    """Courses waiting for ``user``'s level (county: 待县级审核, city: 县级通过, province: 市级推荐),
    oldest deadline first; a superuser sees every pending course."""
    qs = StemCourse.objects.visible_to(user).select_related("school", "school__county")
    if getattr(user, "is_superuser", False):
        return qs.filter(state__in=list(PENDING_LEVEL)).order_by("due_on", "pk")
    level = getattr(getattr(user, "region", None), "level", None)
    states = [state for state, lvl in PENDING_LEVEL.items() if lvl == level]
    return qs.filter(state__in=states).order_by("due_on", "pk")


def library(query: str = "", stage: str = "", carrier: str = "") -> QuerySet[StemCourse]:
    """The public library: recognised courses (省级优秀STEM课程), newest first, with adoption counts."""
    qs = (
        StemCourse.objects.filter(state=CourseState.RECOGNISED)
        .select_related("school", "school__county")
        .annotate(adoption_count=Count("adoptions"))
    )
    if query:
        qs = qs.filter(
            Q(name__icontains=query) | Q(school__name__icontains=query) | Q(summary__icontains=query)
        )
    if stage:
        qs = qs.filter(stage=stage)
    if carrier:
        qs = qs.filter(carrier=carrier)
    return qs.order_by("-recognised_on", "name")


def science_day_share(
    *, user: Any = None, region_code: str | None = None, date_from: dt.date, date_to: dt.date
) -> tuple[float | None, int, int]:
    """(share, days with a 科普/STEM activity, service days) of the weekly after-school returns whose week
    starts in [date_from − 6 days, date_to]: Σ 开展科普/STEM活动天数 ÷ Σ 开展天数."""
    from shuangjian.schools.models import AfterSchoolWeek

    qs = scoped(AfterSchoolWeek, user, region_code).filter(
        week_start__gte=date_from - dt.timedelta(days=6), week_start__lte=date_to
    )
    sums = qs.aggregate(science=Sum("science_days"), days=Sum("days_offered"))
    science, days = sums["science"] or 0, sums["days"] or 0
    return _fraction(science, days), science, days
