"""Reads of co-governance: supervisors in office, performance, overdue tasks, admission figures.

Every function takes ``user`` (None = unscoped, for commands) and reads through
``Model.objects.visible_to(user)`` — the one scoping mechanism — then narrows to ``region_code``.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from .models import (
    AdmissionPlan,
    CoordinationTask,
    CoordinationUnit,
    Finding,
    PublicityEvent,
    SupervisionTask,
    Supervisor,
)


def rate(numerator: int, denominator: int) -> float | None:
    """numerator ÷ denominator rounded half-up to 4 decimals; None when the denominator is 0."""
    if not denominator:
        return None
    return float(
        (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    )


def _scoped(model: Any, user: Any, region_code: str | None) -> QuerySet:
    qs = model.objects.visible_to(user) if user is not None else model.objects.all()
    return qs.in_region(region_code) if region_code else qs


def supervisors_in_office(
    *, as_of: dt.date, user: Any = None, region_code: str | None = None, level: str | None = None
) -> QuerySet[Supervisor]:
    """Supervisors in office on ``as_of``: term_start ≤ as_of ≤ term_end, not ended on or before it."""
    qs = (
        _scoped(Supervisor, user, region_code)
        .filter(term_start__lte=as_of, term_end__gte=as_of)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=as_of))
    )
    return qs.filter(level=level) if level else qs


def supervisor_performance(supervisors: QuerySet[Supervisor]) -> list[dict[str, Any]]:
    """Per supervisor: tasks assigned, tasks done, findings filed, findings confirmed (report judged
    valid by the county). One query for the counts."""
    rows = supervisors.annotate(
        tasks_total=Count("tasks", distinct=True),
        tasks_done=Count("tasks", filter=Q(tasks__status="DONE"), distinct=True),
        findings_total=Count("findings", distinct=True),
        findings_confirmed=Count("findings", filter=Q(findings__report__is_valid=True), distinct=True),
    ).select_related("region")
    return [
        {
            "supervisor": s,
            "tasks_total": s.tasks_total,
            "tasks_done": s.tasks_done,
            "findings_total": s.findings_total,
            "findings_confirmed": s.findings_confirmed,
        }
        for s in rows
    ]


def tasks_for_supervisor(supervisor: Supervisor) -> QuerySet[SupervisionTask]:
    """The supervisor's own tasks (their only view: supervisors have no region scope)."""
    return SupervisionTask.objects.filter(supervisor=supervisor).select_related(
        "county", "institution", "school"
    )


def findings_qs(
    *,
    user: Any = None,
    region_code: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[Finding]:
    from shuangjian.common.dates import day_bounds

    qs = _scoped(Finding, user, region_code).select_related("report", "supervisor", "task", "county")
    if date_from and date_to:
        start, end = day_bounds(date_from, date_to)
        qs = qs.filter(filed_at__gte=start, filed_at__lt=end)
    return qs


def coordination_units(
    *, as_of: dt.date, user: Any = None, region_code: str | None = None
) -> QuerySet[CoordinationUnit]:
    """Member units on ``as_of`` (joined on or before, not left)."""
    return (
        _scoped(CoordinationUnit, user, region_code)
        .filter(joined_on__lte=as_of)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=as_of))
    )


def coordination_overdue(
    *, as_of: dt.date, user: Any = None, region_code: str | None = None
) -> QuerySet[CoordinationTask]:
    """Coordination tasks overdue on ``as_of``: due before it and not done by then (open now, or
    completed after the deadline but after ``as_of``)."""
    qs = _scoped(CoordinationTask, user, region_code).filter(assigned_on__lte=as_of, due_date__lt=as_of)
    return qs.filter(Q(completed_on__isnull=True) | Q(completed_on__gt=as_of)).select_related("unit")


def admission_plans(
    *, year: int, user: Any = None, region_code: str | None = None
) -> QuerySet[AdmissionPlan]:
    return _scoped(AdmissionPlan, user, region_code).filter(year=year)


def admission_figures(*, year: int, user: Any = None, region_code: str | None = None) -> dict[str, Any]:
    """Σ plan, Σ 指标生 allocated/admitted, cross-district count and the two ratios for ``year``:
    ``quota_share`` = allocated ÷ plan, ``quota_admission_ratio`` = admitted ÷ allocated (rows with an
    admitted figure only), rounded half-up to 4 decimals (None when the denominator is 0)."""
    qs = admission_plans(year=year, user=user, region_code=region_code)
    sums = qs.aggregate(plan=Sum("plan_total"), allocated=Sum("quota_allocated"), cross=Sum("cross_district"))
    admitted = qs.filter(quota_admitted__isnull=False).aggregate(
        a=Sum("quota_admitted"), b=Sum("quota_allocated")
    )
    return {
        "schools": qs.count(),
        "plan": sums["plan"] or 0,
        "allocated": sums["allocated"] or 0,
        "cross_district": sums["cross"] or 0,
        "quota_share": rate(sums["allocated"] or 0, sums["plan"] or 0),
        "quota_admission_ratio": rate(admitted["a"] or 0, admitted["b"] or 0),
    }


def admission_shortfalls(
    *, year: int, user: Any = None, region_code: str | None = None
) -> list[dict[str, Any]]:
    """Counties whose 指标生 share or admission ratio is below the rule data's goal (per county, rule
    ``admissions.quota_share_min`` / ``admissions.quota_admission_ratio_min``), or that recruited
    across districts: [{code, name, figures, problems: [Chinese text]}] by county code. One grouped
    query for the figures and one for the rules."""
    from django.db.models import IntegerField
    from django.db.models.functions import Coalesce

    from shuangjian.common.rules import RuleBook

    rules = RuleBook(keys=["admissions.quota_share_min", "admissions.quota_admission_ratio_min"])
    zero = Coalesce(Sum("cross_district"), 0, output_field=IntegerField())
    rows = (
        admission_plans(year=year, user=user, region_code=region_code)
        .values("county_id", "county__name")
        .annotate(
            n=Count("id"),
            plan=Sum("plan_total"),
            allocated=Sum("quota_allocated"),
            cross=zero,
            admitted=Sum("quota_admitted", filter=Q(quota_admitted__isnull=False)),
            allocated_admitted=Sum("quota_allocated", filter=Q(quota_admitted__isnull=False)),
        )
        .order_by("county_id")
    )
    out = []
    for row in rows:
        code = row["county_id"]
        figures = {
            "schools": row["n"],
            "plan": row["plan"] or 0,
            "allocated": row["allocated"] or 0,
            "cross_district": row["cross"] or 0,
            "quota_share": rate(row["allocated"] or 0, row["plan"] or 0),
            "quota_admission_ratio": rate(row["admitted"] or 0, row["allocated_admitted"] or 0),
        }
        share_min = float(rules.value("admissions.quota_share_min", code))
        ratio_min = float(rules.value("admissions.quota_admission_ratio_min", code))
        problems = []
        if figures["quota_share"] is not None and figures["quota_share"] < share_min:
            problems.append(f"指标生分配比例 {figures['quota_share']:.2%}，低于 {share_min:.0%}")
        if figures["quota_admission_ratio"] is not None and figures["quota_admission_ratio"] < ratio_min:
            problems.append(f"指标生录取比例 {figures['quota_admission_ratio']:.2%}，低于 {ratio_min:.0%}")
        if figures["cross_district"]:
            problems.append(f"跨区域招生 {figures['cross_district']} 人")
        if problems:
            out.append({"code": code, "name": row["county__name"], "figures": figures, "problems": problems})
    return out


def publicity_counts(
    *, date_from: dt.date, date_to: dt.date, user: Any = None, region_code: str | None = None
) -> dict[str, int]:
    """Σ count of publicity events in the period by kind label (all kinds listed)."""
    from .models import PublicityKind

    qs = _scoped(PublicityEvent, user, region_code).filter(held_on__gte=date_from, held_on__lte=date_to)
    rows = dict(qs.values_list("kind").annotate(n=Sum("count")).order_by())
    return {str(label): int(rows.get(value) or 0) for value, label in PublicityKind.choices}
