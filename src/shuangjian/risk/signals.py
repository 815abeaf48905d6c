"""Signal inputs (风险信号): the adapter layer between the other areas' records and the scorer.

:func:`gather` turns a :class:`SignalSource` into :class:`~shuangjian.risk.scoring.SignalInputs`
for one institution on one date (the windows: last 30 days vs the 90 days before; reports and
sites over 90 days). Two sources implement the same small interface:

- :class:`DbSource` — production: reads the custody ledger (funds: contracts, fund events, refund
  requests, prepayment violations), reports (complaints: 违规收费 reports, the 爆雷/冒烟 risk list),
  the registry (institutions: status, licence validity, sites and their deletions, violations)
  and this platform's own enforcement cases (违规收费 cases);
- the backtest's simulated source (``benchmarks/risk_backtest.py``), so the backtest runs the same
  windowing and scoring code as production, never the generator's hidden variables.

Every source method takes an institution id and dates (Shanghai dates, windows ``start < day <= end``).
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from .scoring import SignalInputs

RECENT_DAYS = 30
BASE_DAYS = 90
REPORT_DAYS = 90


class SignalSource(Protocol):
    """What the scorer needs to know about an institution (implemented by DbSource and the backtest)."""

    def liability_and_custody(self, inst: int, day: dt.date) -> tuple[int, int]:
        """(prepaid still owed in lessons, custody balance + reserve) at the end of ``day``, fen."""

    def payments_fen(self, inst: int, start: dt.date, end: dt.date) -> int:
        """Prepayments into custody in (start, end], fen."""

    def consumed_hours(self, inst: int, start: dt.date, end: dt.date) -> float:
        """Class hours consumed (消课) in (start, end]."""

    def refunds(self, inst: int, start: dt.date, end: dt.date) -> int:
        """Refund requests and refunds in (start, end] (each request or unrequested refund once)."""

    def reports(self, inst: int, start: dt.date, end: dt.date) -> dict[str, int]:
        """Reports in (start, end] not judged invalid: keys "outside", "smoke", "collapse"."""

    def outside_cases(self, inst: int, start: dt.date, end: dt.date) -> int:
        """Enforcement cases of kind 违规收费 opened in (start, end]."""

    def over_limit(self, inst: int, start: dt.date, end: dt.date) -> int:
        """Over-limit prepayments (funds violations) detected in (start, end]."""

    def open_violations(self, inst: int, day: dt.date) -> int:
        """Compliance violations still open at ``day``."""

    def licence(self, inst: int, day: dt.date) -> str:
        """One of scoring.LICENCE_SEVERITY's keys."""

    def sites(self, inst: int, start: dt.date, end: dt.date) -> tuple[int, int]:
        """(sites at ``start``, sites closed in (start, end])."""


def gather(source: SignalSource, inst: int, day: dt.date) -> SignalInputs:
    """The scorer's inputs for institution ``inst`` on ``day`` (same code for production and backtest)."""
    recent = day - dt.timedelta(days=RECENT_DAYS)
    base_start = recent - dt.timedelta(days=BASE_DAYS)
    months = BASE_DAYS / RECENT_DAYS
    reports_start = day - dt.timedelta(days=REPORT_DAYS)
    liability, custody = source.liability_and_custody(inst, day)
    reports = source.reports(inst, reports_start, day)
    sites_before, sites_closed = source.sites(inst, reports_start, day)
    return SignalInputs(
        liability_fen=liability,
        custody_fen=custody,
        outside_reports=reports.get("outside", 0),
        outside_cases=source.outside_cases(inst, day - dt.timedelta(days=180), day),
        over_limit=source.over_limit(inst, reports_start, day),
        pay_fen_recent=source.payments_fen(inst, recent, day),
        pay_fen_base=source.payments_fen(inst, base_start, recent) / months,
        hours_recent=source.consumed_hours(inst, recent, day),
        hours_base=source.consumed_hours(inst, base_start, recent) / months,
        refunds_recent=source.refunds(inst, recent, day),
        refunds_base=source.refunds(inst, base_start, recent) / months,
        smoke_reports=reports.get("smoke", 0),
        collapse_reports=reports.get("collapse", 0),
        open_violations=source.open_violations(inst, day),
        licence=source.licence(inst, day),
        sites_before=sites_before,
        sites_closed=sites_closed,
    )


def _end_of(day: dt.date) -> dt.datetime:
    """The first instant after Shanghai day ``day`` (aware)."""
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def _between(field: str, start: dt.date, end: dt.date) -> dict[str, dt.datetime]:
    return {f"{field}__gte": _end_of(start), f"{field}__lt": _end_of(end)}


class DbSource:
    """Production source: the other areas' records, read through their models and selectors."""

    # --- funds (custody ledger) ---------------------------------------------------------------------
    def liability_and_custody(self, inst: int, day: dt.date) -> tuple[int, int]:
        """Liability: Σ over contracts opened by ``day`` and neither refunded nor completed by then of
        paid × hours not yet consumed / hours bought (消课 events up to ``day``). Custody: the custody
        and reserve ledger accounts' postings up to ``day`` (bank cash actually held)."""
        from django.db.models import Sum

        from shuangjian.funds.models import AccountKind, Contract, EventKind, FundEvent, Posting

        end = _end_of(day)
        contracts = list(
            Contract.objects.filter(institution_id=inst, opened_at__lt=end)
            .exclude(closed_at__lt=end).values_list("id", "paid_fen", "hours_total")
        )
        liability = 0
        if contracts:
            consumed = dict(
                FundEvent.objects.filter(contract_id__in=[c[0] for c in contracts], kind=EventKind.CONSUMPTION,
                                         occurred_at__lt=end)
                .values("contract_id").annotate(h=Sum("hours")).values_list("contract_id", "h")
            )
            for cid, paid, total in contracts:
                left = float(total) - float(consumed.get(cid) or 0)
                liability += round(paid * max(left, 0.0) / float(total))
        custody = Posting.objects.filter(
            account__institution_id=inst, account__kind__in=[AccountKind.CUSTODY, AccountKind.RESERVE],
            transfer__occurred_at__lt=end,
        ).aggregate(s=Sum("amount_fen"))["s"] or 0
        return liability, int(custody)

    def payments_fen(self, inst: int, start: dt.date, end: dt.date) -> int:
        from django.db.models import Sum

        from shuangjian.funds.models import EventKind, FundEvent

        return int(FundEvent.objects.filter(institution_id=inst, kind=EventKind.PAYMENT, **_between("occurred_at", start, end))
                   .aggregate(s=Sum("amount_fen"))["s"] or 0)

    def consumed_hours(self, inst: int, start: dt.date, end: dt.date) -> float:
        from django.db.models import Sum

        from shuangjian.funds.models import EventKind, FundEvent

        total = FundEvent.objects.filter(
            institution_id=inst, kind=EventKind.CONSUMPTION, **_between("occurred_at", start, end)
        ).aggregate(s=Sum("hours"))["s"]
        return float(total or 0)

    def refunds(self, inst: int, start: dt.date, end: dt.date) -> int:
        from shuangjian.funds.models import EventKind, FundEvent, RefundRequest

        requests = RefundRequest.objects.filter(contract__institution_id=inst, **_between("requested_at", start, end))
        linked = requests.exclude(refund_event__isnull=True).values("refund_event_id")
        unrequested = FundEvent.objects.filter(
            institution_id=inst, kind=EventKind.REFUND, **_between("occurred_at", start, end)
        ).exclude(pk__in=linked).count()
        return requests.count() + unrequested

    def over_limit(self, inst: int, start: dt.date, end: dt.date) -> int:
        from shuangjian.funds.models import PrepaymentViolation

        return PrepaymentViolation.objects.filter(institution_id=inst, **_between("detected_at", start, end)).count()

    # --- complaints -----------------------------------------------------------------------------
    def reports(self, inst: int, start: dt.date, end: dt.date) -> dict[str, int]:
        """违规收费 reports, and the 爆雷/冒烟 risk list entries not cleared (complaints.RiskFlag)."""
        from django.db.models import Count

        from shuangjian.complaints.choices import ReportType
        from shuangjian.complaints.models import Report
        from shuangjian.complaints.selectors import urgent_leads_for_institution

        outside = Report.objects.filter(
            institution_id=inst, report_type=ReportType.ILLEGAL_CHARGING, **_between("received_at", start, end)
        ).exclude(is_valid=False).exclude(status="MERGED").count()
        flags = dict(
            urgent_leads_for_institution(inst).filter(**_between("raised_at", start, end))
            .order_by().values("kind").annotate(n=Count("id")).values_list("kind", "n")
        )
        return {"outside": outside, "smoke": flags.get("SMOKE", 0), "collapse": flags.get("COLLAPSE", 0)}

    # --- enforcement (this platform) ----------------------------------------------------------------
    def outside_cases(self, inst: int, start: dt.date, end: dt.date) -> int:
        from shuangjian.enforcement.models import Case, CaseKind

        return Case.objects.filter(institution_id=inst, kind=CaseKind.ILLEGAL_CHARGING,
                                   opened_on__gt=start, opened_on__lte=end).exclude(state="REVOKED").count()

    # --- institutions (registry) ------------------------------------------------------------------
    def open_violations(self, inst: int, day: dt.date) -> int:
        from django.db.models import Q

        from shuangjian.institutions.models import Violation

        end = _end_of(day)
        return Violation.objects.filter(institution_id=inst, detected_at__lt=end).filter(
            Q(status="OPEN") | Q(resolved_at__gte=end)
        ).count()

    def licence(self, inst: int, day: dt.date) -> str:
        from shuangjian.institutions.models import Institution

        row = Institution.objects.filter(pk=inst).values("status", "license_valid_until", "license_no").first()
        if row is None:
            return "OK"
        status = row["status"]
        if status in ("SUSPENDED", "REVOKED", "DEREGISTERED", "BANNED", "RECTIFYING"):
            return status
        if status == "APPLYING":
            return "UNLICENSED"
        if row["license_valid_until"] and row["license_valid_until"] < day:
            return "EXPIRED"
        return "OK"

    def sites(self, inst: int, start: dt.date, end: dt.date) -> tuple[int, int]:
        """Sites that existed at ``start`` and site deletions in (start, end], from the audit trail."""
        from shuangjian.institutions.models import Site

        history = Site.history.filter(institution_id=inst)
        start_at = _end_of(start)
        created_before = set(history.filter(history_type="+", history_date__lt=start_at).values_list("id", flat=True))
        deleted_before = set(history.filter(history_type="-", history_date__lt=start_at).values_list("id", flat=True))
        if not created_before:  # sites entered without an audit row (bulk loads) count as existing
            created_before = set(Site.objects.filter(institution_id=inst).values_list("id", flat=True))
        closed = history.filter(history_type="-", **_between("history_date", start, end)).values("id").distinct().count()
        return len(created_before - deleted_before) or closed, closed


# --- peer baselines ---------------------------------------------------------------------------------
MIN_PEERS = 5


def _median(values: list[float]) -> float:
    values = sorted(values)
    if not values:
        return 1.0
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def peer_baselines(inputs: dict, groups: dict) -> dict[str, dict[str, float]]:
    """Median ratios per peer group: ``{"category:<c>": {"hours": m, "pay": m}, "county:<code>": {"refund": m}}``.

    ``inputs``: key → SignalInputs; ``groups``: key → (category, county code). Consumption and sales
    compare with the same category province-wide (subject training stops in the holidays, D1);
    refunds with the same county (a local policy change moves every institution's refunds, RULES.md
    §12.3). A group with fewer than MIN_PEERS members gets 1.0 (no adjustment).
    """
    hours: dict[str, list[float]] = {}
    pay: dict[str, list[float]] = {}
    refund: dict[str, list[float]] = {}
    for key, item in inputs.items():
        category, county = groups[key]
        if item.hours_ratio is not None and item.hours_base >= 1:
            hours.setdefault(category, []).append(item.hours_ratio)
        if item.pay_ratio is not None:
            pay.setdefault(category, []).append(item.pay_ratio)
        refund.setdefault(county, []).append(item.refund_ratio)
    out: dict[str, dict[str, float]] = {}
    for category in set(hours) | set(pay):
        h, p = hours.get(category, []), pay.get(category, [])
        out[f"category:{category}"] = {
            "hours": _median(h) if len(h) >= MIN_PEERS else 1.0, "pay": _median(p) if len(p) >= MIN_PEERS else 1.0,
        }
    for county, values in refund.items():
        out[f"county:{county}"] = {"refund": _median(values) if len(values) >= MIN_PEERS else 1.0}
    return out


def apply_peer_baselines(item: SignalInputs, baselines: dict[str, dict[str, float]], category: str,
                         county: str) -> SignalInputs:
    """Set ``item``'s peer ratios from ``baselines`` (1.0 where the group is unknown); returns ``item``."""
    cat = baselines.get(f"category:{category}", {})
    item.peer_hours_ratio = cat.get("hours", 1.0)
    item.peer_pay_ratio = cat.get("pay", 1.0)
    item.peer_refund_ratio = baselines.get(f"county:{county}", {}).get("refund", 1.0)
    return item
