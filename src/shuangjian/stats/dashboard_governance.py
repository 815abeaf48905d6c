"""The dashboard's co-governance section (issue 18): cards from the KPI registry linking to their
records, the counties short of the admission goals, and the overdue coordination tasks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode

from .kpis import KPIS, KpiContext, compute_kpis

CARDS = [
    "governance.supervisors.in_office",
    "governance.supervisors.province",
    "governance.findings.total",
    "governance.coordination.units",
    "governance.coordination.tasks_overdue",
    "governance.inspection.cities",
    "governance.inspection.counties",
    "coeducation.parent_schools",
    "coeducation.activities",
    "coeducation.online_lessons_completed",
    "admissions.quota_share",
    "admissions.quota_admission_ratio",
    "admissions.cross_district",
]


def governance_ids() -> list[str]:
    """KPI ids the section reads (its cards and the admissions year)."""
    return [k for k in CARDS if k in KPIS] + ["admissions.year"]


def governance_panel(
    *,
    user: Any,
    region_code: str | None,
    as_of: dt.date,
    date_from: dt.date,
    date_to: dt.date,
    values: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Context for ``stats/_governance_section.html``; ``values``: the figures when the caller has
    them already (the dashboard's snapshot), else computed here in ``user``'s scope."""
    from shuangjian.governance.selectors import admission_shortfalls, coordination_overdue

    from .views import display

    ids = [k for k in CARDS if k in KPIS]
    if values is None or any(k not in values for k in governance_ids()):
        ctx = KpiContext(
            as_of=as_of, date_from=date_from, date_to=date_to, region_code=region_code, user=user
        )
        values = compute_kpis(ctx, governance_ids())
    base = {
        "as_of": as_of.isoformat(),
        "from": date_from.isoformat(),
        "to": date_to.isoformat(),
        "region": region_code or "",
    }
    cards = [
        {
            "id": k,
            "name": KPIS[k].name,
            "value": display(k, values[k]),
            "definition": KPIS[k].definition,
            "url": reverse("stats:records", args=[k]) + "?" + urlencode(base) if KPIS[k].records else None,
        }
        for k in ids
    ]
    year = values["admissions.year"]
    return {
        "governance_cards": cards,
        "admission_year": year,
        "admission_shortfalls": admission_shortfalls(year=year, user=user, region_code=region_code)
        if year
        else [],
        "coordination_overdue": coordination_overdue(as_of=as_of, user=user, region_code=region_code)[:10],
    }
