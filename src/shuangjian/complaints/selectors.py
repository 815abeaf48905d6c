"""Reads of the reports area: filtered lists, overdue lists, statistics, the risk list.

Every read goes through ``Report.objects.visible_to(user)`` when a user is given.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangjian.common.dates import day_bounds
from shuangjian.regions.models import Region

from .choices import ReportType, Source, Status
from .models import Report, ReportQuerySet, RiskFlag

#: [start of date_from, start of the day after date_to) in Asia/Shanghai (shared definition).
_day_bounds = day_bounds


def reports_for(user: Any = None, *, region_code: str | None = None) -> QuerySet[Report]:
    """Reports ``user`` may see (all when ``user`` is None), restricted to ``region_code``'s subtree."""
    qs = Report.objects.all() if user is None else Report.objects.visible_to(user)
    if region_code:
        qs = qs.in_region(region_code)
    return qs


def report_list(user: Any, filters: dict[str, str], *, today: dt.date | None = None) -> QuerySet[Report]:
    """The regulator list: ``filters`` keys type, source, status, validity (valid/invalid/pending),
    overdue ("1"), urgent ("1"), escalated ("1"), county (code prefix within scope), q (number, text,
    institution), from/to (受理 dates, ISO)."""
    today = today or timezone.localdate()
    qs = cast(ReportQuerySet, Report.objects.visible_to(user)).select_related(
        "county", "institution", "handler"
    )
    if filters.get("type") in ReportType.values:
        qs = qs.filter(report_type=filters["type"])
    if filters.get("source") in Source.values:
        qs = qs.filter(source=filters["source"])
    if filters.get("status") in Status.values:
        qs = qs.filter(status=filters["status"])
    validity = filters.get("validity")
    if validity == "valid":
        qs = qs.filter(is_valid=True)
    elif validity == "invalid":
        qs = qs.filter(is_valid=False)
    elif validity == "pending":
        qs = qs.filter(is_valid__isnull=True)
    if filters.get("overdue") == "1":
        qs = qs.overdue(today)
    if filters.get("urgent") == "1":
        qs = qs.filter(urgent=True)
    if filters.get("escalated") == "1":
        qs = qs.filter(escalation_level__gt=0)
    county = (filters.get("county") or "").strip()
    if county.isdigit() and len(county) == 6:
        qs = (
            cast(ReportQuerySet, qs.in_region(county))
            if Region.objects.filter(code=county).exists()
            else qs.none()
        )
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(
            Q(number__iexact=q)
            | Q(description__icontains=q)
            | Q(institution_text__icontains=q)
            | Q(institution__name__icontains=q)
            | Q(institution__credit_code__iexact=q.upper())
            | Q(place__icontains=q)
        )
    for key, lookup in (("from", "gte"), ("to", "lt")):
        try:
            day = dt.date.fromisoformat(filters.get(key) or "")
        except ValueError:
            continue
        start, end = _day_bounds(day, day)
        qs = qs.filter(**{f"received_at__{lookup}": start if key == "from" else end})
    return qs


def overdue_reports(user: Any, *, today: dt.date | None = None) -> QuerySet[Report]:
    """Open reports overdue on ``today`` that ``user`` may see, oldest deadline first."""
    today = today or timezone.localdate()
    return (
        cast(ReportQuerySet, Report.objects.visible_to(user))
        .overdue(today)
        .select_related("county", "institution", "handler")
        .order_by("due_date", "received_at")
    )


def overdue_by_county(user: Any, *, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Per county in ``user``'s scope: open, overdue, escalated to city, escalated to province."""
    today = today or timezone.localdate()
    base = cast(ReportQuerySet, Report.objects.visible_to(user)).open()
    rows = (
        base.values("county_id", "county__full_name")
        .annotate(
            open=Count("id"),
            overdue=Count("id", filter=Q(due_date__lt=today) | Q(status=Status.NEW, ack_due__lt=today)),
            city=Count("id", filter=Q(escalation_level=1)),
            province=Count("id", filter=Q(escalation_level=2)),
        )
        .order_by("-overdue", "county_id")
    )
    return [r for r in rows if r["overdue"] or r["city"] or r["province"]]


def report_stats(
    *, region_code: str | None = None, date_from: dt.date, date_to: dt.date, user: Any = None
) -> dict[str, Any]:
    """The ``reports.*`` KPIs of ``shuangjian kpis`` (DESIGN.md "Command contracts").

    Population: reports whose 受理时间 (``received_at``) falls on a Shanghai date in
    [``date_from``, ``date_to``], both days inclusive, in ``region_code``'s subtree (all regions when
    None) and, when ``user`` is given, visible to that user (``Report.objects.visible_to``).

    Returns ``{"reports.total": int, "reports.valid": int, "reports.by_type": {类型: int, …},
    "reports.closed": int, "reports.on_time_rate": float | None}`` where
    - total: every report of the population (duplicates included: each report is one received item);
    - valid: those judged 有效线索 (``is_valid`` True);
    - by_type: Chinese type label → count, valid or not, for all eight types of DESIGN.md (0 included,
      in DESIGN.md order);
    - closed: those closed (``closed_at`` set, status 已办结), whenever the closure happened;
    - on_time_rate: among the closed ones, the fraction closed within the completion deadline
      (Shanghai date of ``closed_at`` <= ``due_date``, 办结期限 in working days from rule data),
      rounded to 4 decimals; None when nothing was closed.
    """
    start, end = _day_bounds(date_from, date_to)
    qs = reports_for(user, region_code=region_code).filter(received_at__gte=start, received_at__lt=end)
    totals = qs.aggregate(
        total=Count("id"),
        valid=Count("id", filter=Q(is_valid=True)),
        closed=Count("id", filter=Q(closed_at__isnull=False)),
    )
    by_type_rows = dict(qs.values_list("report_type").annotate(n=Count("id")).order_by())
    by_type = {str(label): by_type_rows.get(value, 0) for value, label in ReportType.choices}
    tz = timezone.get_default_timezone()
    on_time = 0
    for closed_at, due in qs.filter(closed_at__isnull=False).values_list("closed_at", "due_date").iterator():
        if closed_at.astimezone(tz).date() <= due:
            on_time += 1
    closed = totals["closed"]
    return {
        "reports.total": totals["total"],
        "reports.valid": totals["valid"],
        "reports.by_type": by_type,
        "reports.closed": closed,
        "reports.on_time_rate": round(on_time / closed, 4) if closed else None,
    }


def report_breakdown(
    *, user: Any, region_code: str | None, date_from: dt.date, date_to: dt.date
) -> dict[str, Any]:
    """Counts by type, source, validity and status, and per county (total/valid/closed/on time)."""
    start, end = _day_bounds(date_from, date_to)
    qs = reports_for(user, region_code=region_code).filter(received_at__gte=start, received_at__lt=end)

    def count_by(field: str, choices) -> list[tuple[str, int]]:
        rows = dict(qs.values_list(field).annotate(n=Count("id")).order_by())
        return [(str(label), rows.get(value, 0)) for value, label in choices]

    validity_rows = dict(qs.values_list("is_valid").annotate(n=Count("id")).order_by())
    tz = timezone.get_default_timezone()
    per_county: dict[str, dict[str, Any]] = {}
    for county_id, name, is_valid, closed_at, due in qs.values_list(
        "county_id", "county__full_name", "is_valid", "closed_at", "due_date"
    ).iterator():
        row = per_county.setdefault(
            county_id, {"code": county_id, "name": name, "total": 0, "valid": 0, "closed": 0, "on_time": 0}
        )
        row["total"] += 1
        row["valid"] += int(is_valid is True)
        if closed_at is not None:
            row["closed"] += 1
            row["on_time"] += int(closed_at.astimezone(tz).date() <= due)
    for row in per_county.values():
        row["on_time_rate"] = round(row["on_time"] / row["closed"], 4) if row["closed"] else None
    return {
        "by_type": count_by("report_type", ReportType.choices),
        "by_source": count_by("source", Source.choices),
        "by_status": count_by("status", Status.choices),
        "by_validity": [
            (_("有效线索"), validity_rows.get(True, 0)),
            (_("无效"), validity_rows.get(False, 0)),
            (_("未研判"), validity_rows.get(None, 0)),
        ],
        "per_county": sorted(per_county.values(), key=lambda r: r["code"]),
    }


def urgent_leads_for_institution(
    institution: Any, *, user: Any = None, include_cleared: bool = False
) -> QuerySet[RiskFlag]:
    """The risk list entries (爆雷/冒烟 reports) of ``institution`` (an Institution or its pk).

    The risk area reads this: newest first, with the report selected; cleared flags (the report was
    judged invalid) are left out unless ``include_cleared``. Scoped to ``user`` when given.
    """
    qs = RiskFlag.objects.all() if user is None else RiskFlag.objects.visible_to(user)
    qs = qs.filter(institution=institution).select_related("report")
    if not include_cleared:
        qs = qs.filter(cleared_at__isnull=True)
    return qs.order_by("-raised_at")


def report_timeline(report: Report) -> list[dict[str, Any]]:
    """The audit trail of one report (history rows, newest last): when, who, status, reason."""
    rows = []
    for record in report.history.select_related("history_user").order_by("history_date", "history_id"):
        rows.append(
            {
                "when": record.history_date,
                "who": record.history_user,
                "status": record.get_status_display(),
                "reason": record.history_change_reason or "",
            }
        )
    return rows


def public_timeline(report: Report) -> list[tuple[dt.datetime, str]]:
    """What the reporter may see of the handling: dated steps without internal notes or names."""
    steps: list[tuple[dt.datetime, str]] = [
        (report.received_at, _("已受理，转至%(county)s") % {"county": report.county.full_name})
    ]
    if report.acknowledged_at:
        steps.append((report.acknowledged_at, _("承办单位已签收")))
    if report.judged_at and report.is_valid:
        steps.append((report.judged_at, _("经核实为有效线索，正在办理")))
    for action in report.actions.all():
        steps.append((action.created_at, _("已采取措施：%(kind)s") % {"kind": action.get_kind_display()}))
    if report.closed_at:
        steps.append((report.closed_at, _("已办结")))
    return sorted(steps, key=lambda s: s[0])


__all__ = [
    "overdue_by_county",
    "overdue_reports",
    "public_timeline",
    "report_breakdown",
    "report_list",
    "report_stats",
    "report_timeline",
    "reports_for",
    "urgent_leads_for_institution",
]
