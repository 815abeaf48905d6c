"""Reads of the risk area: the board, an institution's trend, the task list, and the statistics.

Every function takes ``user`` and reads through ``Model.objects.visible_to(user)`` (no user means
the whole province — for commands and the KPI registry, which scopes through ``region_code``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from shuangjian.common.dates import end_of_day

from .models import RiskAssessment, RiskSnapshot, RiskWarning, TaskState, WarningTask
from .scoring import LEVEL_SHORT, Level

BOARD_SORTS = {"score": "-score", "-score": "score", "name": "institution__name", "county": "county_id"}


def _scoped(model: Any, user: Any, region_code: str | None) -> QuerySet:
    qs = model.objects.all() if user is None else model.objects.visible_to(user)
    return qs.in_region(region_code) if region_code else qs


def board(
    user: Any, *, level: str = "", region_code: str | None = None, sort: str = "score", q: str = ""
) -> QuerySet[RiskAssessment]:
    """Current assessments for the risk board (风险看板); ``level`` "" = all, "ANY" = any warning level."""
    qs = _scoped(RiskAssessment, user, region_code).select_related("institution", "county")
    if level == "ANY":
        qs = qs.exclude(level="")
    elif level:
        qs = qs.filter(level=level)
    if q:
        qs = qs.filter(institution__name__icontains=q) | qs.filter(institution__credit_code__iexact=q.upper())
    return qs.order_by(BOARD_SORTS.get(sort, "-score"), "institution_id")


def trend(user: Any, institution_id: int, *, days: int = 365) -> list[RiskSnapshot]:
    """Snapshots of one institution over the ``days`` days up to its latest snapshot (oldest first), scoped."""
    qs = _scoped(RiskSnapshot, user, None).filter(institution_id=institution_id)
    latest = qs.order_by("-as_of").values_list("as_of", flat=True).first()
    if latest is None:
        return []
    return list(qs.filter(as_of__gte=latest - dt.timedelta(days=days)).order_by("as_of"))


def trend_svg_points(snapshots: list[RiskSnapshot], *, width: int = 640, height: int = 160) -> dict[str, Any]:
    """Polyline points and axis labels for an inline SVG trend chart (score 0–100 on the y axis)."""
    if not snapshots:
        return {"points": "", "dots": [], "width": width, "height": height, "first": "", "last": ""}
    pad = 24
    n = len(snapshots)
    span = max((snapshots[-1].as_of - snapshots[0].as_of).days, 1)
    dots = []
    for s in snapshots:
        x = pad + (width - 2 * pad) * ((s.as_of - snapshots[0].as_of).days / span if n > 1 else 0.5)
        y = height - pad - (height - 2 * pad) * (s.score / 100)
        dots.append(
            {
                "x": round(x, 1),
                "y": round(y, 1),
                "score": s.score,
                "date": s.as_of.isoformat(),
                "level": s.level,
            }
        )
    return {
        "points": " ".join(f"{d['x']},{d['y']}" for d in dots),
        "dots": dots,
        "width": width,
        "height": height,
        "first": snapshots[0].as_of.isoformat(),
        "last": snapshots[-1].as_of.isoformat(),
    }


def tasks_for(
    user: Any,
    *,
    state: str = "",
    overdue: bool = False,
    today: dt.date | None = None,
    region_code: str | None = None,
) -> QuerySet[WarningTask]:
    """The warning task list (预警处置任务): filter by state ("" all, "OPEN_ANY" open ones) or overdue."""
    today = today or timezone.localdate()
    qs = _scoped(WarningTask, user, region_code).select_related("warning__institution", "county", "assignee")
    if state == "OPEN_ANY":
        qs = qs.filter(state__in=[TaskState.OPEN, TaskState.ACKNOWLEDGED])
    elif state:
        qs = qs.filter(state=state)
    if overdue:
        qs = qs.filter(state__in=[TaskState.OPEN, TaskState.ACKNOWLEDGED], due_on__lt=today)
    return qs.order_by("due_on", "id")


# --- statistics (registered as KPIs by the statistics area) -------------------------------------------
def warnings_qs(
    *,
    as_of: dt.date,
    region_code: str | None = None,
    user: Any = None,
    level: str | None = None,
    red_orange: bool = False,
) -> QuerySet[RiskWarning]:
    """Warnings in force at the end of ``as_of``: raised on or before it, not superseded or lifted
    by then (``closed_on`` empty or after ``as_of``)."""
    from django.db.models import Q

    qs = _scoped(RiskWarning, user, region_code).filter(raised_on__lte=as_of)
    qs = qs.filter(Q(closed_on__isnull=True) | Q(closed_on__gt=as_of))
    if level:
        qs = qs.filter(level=level)
    if red_orange:
        qs = qs.filter(level__in=[Level.RED, Level.ORANGE])
    return qs.select_related("institution", "county").order_by("-raised_on", "-id")


def tasks_overdue_qs(
    *, as_of: dt.date, region_code: str | None = None, user: Any = None
) -> QuerySet[WarningTask]:
    """Tasks open at ``as_of`` whose deadline has passed (due_on < as_of, neither handled nor closed by then)."""
    from django.db.models import Q

    end = end_of_day(as_of)
    qs = _scoped(WarningTask, user, region_code).filter(due_on__lt=as_of, warning__raised_on__lte=as_of)
    qs = qs.filter(Q(handled_at__isnull=True) | Q(handled_at__gte=end)).filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=end)
    )
    return qs.select_related("warning__institution", "county").order_by("due_on")


def risk_stats(*, as_of: dt.date, region_code: str | None = None, user: Any = None) -> dict[str, Any]:
    """Figures for the statistics area: ``{"warnings_by_level": {"红": n, "橙": n, "黄": n, "蓝": n},
    "warnings_red_orange": n, "tasks_overdue": n}`` — warnings in force at the end of ``as_of``."""
    rows = dict(
        warnings_qs(as_of=as_of, region_code=region_code, user=user)
        .order_by()
        .values("level")
        .annotate(n=Count("id"))
        .values_list("level", "n")
    )
    by_level = {LEVEL_SHORT[lv]: rows.get(lv, 0) for lv in Level.values}
    return {
        "warnings_by_level": by_level,
        "warnings_red_orange": by_level["红"] + by_level["橙"],
        "tasks_overdue": tasks_overdue_qs(as_of=as_of, region_code=region_code, user=user).count(),
    }
