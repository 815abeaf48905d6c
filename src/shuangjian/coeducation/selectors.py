"""Reads of co-education, scoped through ``visible_to`` (``user`` None = unscoped, for commands)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, QuerySet, Sum

from shuangjian.common.dates import day_bounds

from .models import LessonCompletion, OnlineCourse, ParentActivity, ParentSchool


def _scoped(model: Any, user: Any, region_code: str | None) -> QuerySet:
    qs = model.objects.visible_to(user) if user is not None else model.objects.all()
    return qs.in_region(region_code) if region_code else qs


def parent_schools_active(
    *, as_of: dt.date, user: Any = None, region_code: str | None = None
) -> QuerySet[ParentSchool]:
    """Parent schools open on ``as_of``."""
    return _scoped(ParentSchool, user, region_code).active_on(as_of)  # type: ignore[attr-defined]


def activities_in_period(
    *,
    date_from: dt.date,
    date_to: dt.date,
    user: Any = None,
    region_code: str | None = None,
    family_week_only: bool = False,
) -> QuerySet[ParentActivity]:
    qs = _scoped(ParentActivity, user, region_code).filter(held_on__gte=date_from, held_on__lte=date_to)
    return qs.filter(family_week__isnull=False) if family_week_only else qs


def completions_in_period(
    *, date_from: dt.date, date_to: dt.date, user: Any = None, region_code: str | None = None
) -> QuerySet[LessonCompletion]:
    start, end = day_bounds(date_from, date_to)
    return _scoped(LessonCompletion, user, region_code).filter(completed_at__gte=start, completed_at__lt=end)


def completions_by_county(qs: QuerySet[LessonCompletion]) -> list[dict[str, Any]]:
    """[{county code, county name, completions, learners}] of a completion queryset, most first."""
    rows = qs.values("county_id", "county__name").annotate(
        n=Count("id"), learners=Count("learner_ref", distinct=True)
    )
    return sorted(
        (
            {
                "code": r["county_id"],
                "name": r["county__name"],
                "completions": r["n"],
                "learners": r["learners"],
            }
            for r in rows
        ),
        key=lambda r: -r["completions"],
    )


def participants(qs: QuerySet[ParentActivity]) -> int:
    return int(qs.aggregate(s=Sum("participants"))["s"] or 0)


def published_courses() -> QuerySet[OnlineCourse]:
    return OnlineCourse.objects.filter(published=True).prefetch_related("lessons")
