"""Performance evaluation (履职评价) of inspected cities and counties, scored from the platform's KPIs.

The governance area holds the indicator sets, campaigns, inspectors' scores and rectification; this
module (stats layer, which may read every area) computes each target's score:

- a KPI indicator scores ``weight × min(1, value ÷ target)`` where ``value`` is the KPI
  ``indicator.kpi_id`` for the target's region, on the campaign's ``as_of`` date over its
  ``period_from``..``period_to`` (a missing value — no data — scores 0 and says so);
- an INSPECTOR indicator scores ``weight × percent ÷ 100`` from the inspection group's
  :class:`~shuangjian.governance.models.InspectorScore` (not yet scored: 0, marked 待评分).

Every line carries where its figure comes from: the KPIs whose records stand behind a KPI value
(:data:`RECORD_KPIS`, opened at ``stats:records``) or the inspector's written finding.
Cities are ranked among cities and counties among counties; ties share a rank.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .kpis import KPIS, KpiContext, compute_kpis

#: For a rate KPI, the count KPIs whose records are behind it (numerator first).
RECORD_KPIS: dict[str, list[str]] = {
    "institutions.offline_compulsory_subject.reduction_rate": [
        "institutions.offline_compulsory_subject.current",
        "institutions.offline_compulsory_subject.baseline",
    ],
    "institutions.online_compulsory_subject.reduction_rate": [
        "institutions.online_compulsory_subject.current",
        "institutions.online_compulsory_subject.baseline",
    ],
    "institutions.fund_supervision_rate": ["institutions.fund_supervised", "institutions.active"],
    "reports.closed_rate": ["reports.closed", "reports.total"],
    "reports.on_time_rate": ["reports.closed", "reports.total"],
    "schools.after_school_coverage_rate": ["schools.count"],
    "schools.homework_publication_rate": ["schools.count"],
    "admissions.quota_share": ["admissions.schools"],
}


def _points(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@dataclass
class IndicatorLine:
    """One indicator's contribution to a target's score."""

    code: str
    name: str
    weight: int
    method: str
    points: float
    kpi_id: str = ""
    value: Any = None
    target: float | None = None
    finding: str = ""
    note: str = ""
    record_kpis: list[tuple[str, str, Any]] = field(default_factory=list)  # (kpi id, name, value)


@dataclass
class TargetScore:
    """A target's evaluation: total points (of 100), rank among its level, the lines behind it."""

    target: Any
    total: float
    lines: list[IndicatorLine]
    rank: int = 0


def kpi_context(campaign: Any, region_code: str, user: Any = None) -> KpiContext:
    """The KPI context a campaign evaluates a region in (its as-of date and period)."""
    return KpiContext(
        as_of=campaign.as_of,
        date_from=campaign.period_from,
        date_to=campaign.period_to,
        region_code=region_code,
        user=user,
    )


def target_score(target: Any, *, user: Any = None, scores: dict[int, Any] | None = None) -> TargetScore:
    """Score one :class:`CampaignTarget`. ``scores``: its inspector scores by indicator id (fetched
    when None). KPIs are computed unscoped by user when ``user`` is None (commands)."""
    campaign = target.campaign
    indicators = list(campaign.indicator_set.indicators.all())
    if scores is None:
        scores = {s.indicator_id: s for s in target.scores.all()}
    ctx = kpi_context(campaign, target.region_id, user)
    kpi_ids = [i.kpi_id for i in indicators if i.method == "KPI" and i.kpi_id in KPIS]
    record_ids = [k for i in kpi_ids for k in RECORD_KPIS.get(i, [i] if KPIS[i].records else [])]
    values = compute_kpis(ctx, list(dict.fromkeys(kpi_ids + record_ids)))
    lines: list[IndicatorLine] = []
    total = Decimal(0)
    for indicator in indicators:
        line = IndicatorLine(indicator.code, indicator.name, indicator.weight, indicator.method, 0.0)
        if indicator.method == "KPI":
            line.kpi_id, line.target = indicator.kpi_id, indicator.target
            if indicator.kpi_id not in KPIS:
                line.note = "平台指标未登记"
            else:
                value = values[indicator.kpi_id]
                line.value = value
                line.record_kpis = [
                    (k, KPIS[k].name, values[k])
                    for k in RECORD_KPIS.get(
                        indicator.kpi_id, [indicator.kpi_id] if KPIS[indicator.kpi_id].records else []
                    )
                ]
                if value is None or not indicator.target:
                    line.note = "无数据，按0分计"
                else:
                    share = min(Decimal(1), Decimal(str(value)) / Decimal(str(indicator.target)))
                    points = Decimal(indicator.weight) * max(share, Decimal(0))
                    line.points = _points(points)
        else:
            score = scores.get(indicator.pk)
            if score is None:
                line.note = "待评分"
            else:
                line.points = _points(Decimal(indicator.weight) * Decimal(score.percent) / Decimal(100))
                line.finding = score.finding
                line.value = score.percent
        total += Decimal(str(line.points))
        lines.append(line)
    return TargetScore(target=target, total=_points(total), lines=lines)


def campaign_ranking(campaign: Any, *, user: Any = None) -> dict[str, list[TargetScore]]:
    """Ranked scores of a campaign's targets the user may see: ``{"PREFECTURE": [...], "COUNTY": [...]}``,
    highest first; equal totals share a rank (1, 2, 2, 4)."""
    from shuangjian.governance.models import CampaignTarget, InspectorScore

    visible = CampaignTarget.objects.visible_to(user) if user is not None else CampaignTarget.objects.all()
    targets = list(visible.filter(campaign=campaign).select_related("region", "campaign__indicator_set"))
    by_target: dict[int, dict[int, Any]] = {}
    for score in InspectorScore.objects.filter(target__in=targets):
        by_target.setdefault(score.target_id, {})[score.indicator_id] = score
    out: dict[str, list[TargetScore]] = {"PREFECTURE": [], "COUNTY": []}
    for target in targets:
        result = target_score(target, user=user, scores=by_target.get(target.pk, {}))
        out.setdefault(target.region.level, []).append(result)
    for rows in out.values():
        rows.sort(key=lambda r: (-r.total, r.target.region_id))
        previous, rank = None, 0
        for position, row in enumerate(rows, start=1):
            if row.total != previous:
                rank, previous = position, row.total
            row.rank = rank
    return out
