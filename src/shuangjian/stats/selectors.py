"""Reads for the statistics pages: dashboards, drill-down, time series, the records behind a figure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from shuangjian.common.scoping import region_visible_to
from shuangjian.regions.models import Region

from .kpis import KPIS, KpiContext, compute_kpis

#: KPIs on the dashboard cards and the children table, in display order.
DASHBOARD_KPIS = [
    "institutions.active",
    "institutions.offline_compulsory_subject.current",
    "institutions.offline_compulsory_subject.reduction_rate",
    "institutions.fund_supervision_rate",
    "funds.custody_balance_fen",
    "reports.total",
    "reports.valid",
    "reports.overdue",
    "risk.warnings_red_orange",
    "enforcement.cases_opened",
    "stem.rural.coverage_rate",
    "stem.rural.gap",
    "vocational.apprenticeship.students",
    "vocational.order_class.students",
    "vocational.x_certificate.sites",
]
#: KPIs drawn as monthly time series.
SERIES_KPIS = [
    "institutions.active",
    "institutions.offline_compulsory_subject.current",
    "reports.total",
    "funds.open_contracts",
]


def dashboard_kpis() -> list[str]:
    """Dashboard KPI ids that are registered (areas add theirs to the registry as they land)."""
    return [k for k in DASHBOARD_KPIS if k in KPIS]


def series_kpis() -> list[str]:
    return [k for k in SERIES_KPIS if k in KPIS]


def region_for(user: Any, code: str | None) -> Region | None:
    """The region a user may look at (:func:`shuangjian.common.scoping.region_visible_to`):
    ``code`` inside the user's scope, else the user's own (the province for a superuser);
    ``Http404`` for a region outside the user's subtree."""
    return region_visible_to(user, code)


@dataclass
class ChildRow:
    region: Region
    values: dict[str, Any]


def series_from(keys: list[Any], values: list[dict[str, Any]], ids: list[str]) -> dict[str, Any]:
    """:func:`time_series`' shape from figures already computed: ``keys`` are snapshot keys
    ``(region, as_of, from, to)`` in date order, ``values`` their ``{kpi_id: value}``."""
    return {
        "dates": [key[1].isoformat() for key in keys],
        "series": {k: [v[k] for v in values] for k in ids},
        "names": {k: KPIS[k].name for k in ids},
    }


def month_ends(as_of: dt.date, months: int) -> list[dt.date]:
    """The last day of each of the ``months`` months up to ``as_of`` (the last is ``as_of`` itself)."""
    out = [as_of]
    first = as_of.replace(day=1)
    for _ in range(months - 1):
        last_of_previous = first - dt.timedelta(days=1)
        out.append(last_of_previous)
        first = last_of_previous.replace(day=1)
    return list(reversed(out))


def time_series(
    user: Any, region: Region | None, as_of: dt.date, ids: list[str], months: int = 24
) -> dict[str, Any]:
    """``{"dates": [...], "series": {kpi_id: [values...]}}`` at each month end."""
    dates = month_ends(as_of, months)
    series: dict[str, list[Any]] = {k: [] for k in ids}
    for day in dates:
        ctx = KpiContext(
            as_of=day,
            date_from=day.replace(day=1),
            date_to=day,
            region_code=region.code if region else None,
            user=user,
        )
        values = compute_kpis(ctx, ids)
        for k in ids:
            series[k].append(values[k])
    return {
        "dates": [d.isoformat() for d in dates],
        "series": series,
        "names": {k: KPIS[k].name for k in ids},
    }
