"""Signal inputs (风险信号): the adapter layer between the other areas' records and the scorer.

:func:`gather` turns a :class:`SignalSource` into :class:`~shuangjian.risk.scoring.SignalInputs`
for one institution on one date (the windows: last 30 days vs the 90 days before; reports, sites and
registry changes over 90 days; practitioners leaving over 60 and over 180 days; sessions held in the last 28 days vs
scheduled for the next 28). Two sources implement the same small interface:

- :class:`DbSource` — production: reads the custody ledger (funds: contracts, fund events, refund
  requests, prepayment violations), reports (complaints: 违规收费 reports, the 爆雷/冒烟 risk list),
  the registry (institutions: status, licence validity, sites and their deletions, violations,
  practitioners leaving the roster, sessions scheduled, dated changes of registered particulars)
  and this platform's own enforcement cases (违规收费 cases, counted by :data:`CASE_COUNTERS`);
- the backtest's simulated source (``benchmarks/risk_backtest.py``), so the backtest runs the same
  windowing and scoring code as production, never the generator's hidden variables.

Every source method takes an institution id and dates (Shanghai dates, windows ``start < day <= end``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from .scoring import SignalInputs

if TYPE_CHECKING:
    from django.db.models import Q

#: Counters of outside cases, ``(institution ids, start, end) → {institution id: cases opened in
#: start < day <= end}``. The enforcement area registers its 违规收费 cases here (its AppConfig.ready),
#: so the risk area reads them without importing the area that acts on its warnings.
CASE_COUNTERS: list[Callable[[list[int], dt.date, dt.date], dict[int, int]]] = []

RECENT_DAYS = 30
BASE_DAYS = 90
REPORT_DAYS = 90
STAFF_DAYS = 60  # practitioners removed in the last 60 days (README: pay in arrears for months before)
#: the roster compared with its own size half a year before: arrears ran 6–12 months before A1, A4, A11
STAFF_LONG_DAYS = 180
SCHEDULE_DAYS = 28  # sessions held in the last 28 days vs scheduled for the next 28


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

    def contracts(self, inst: int, start: dt.date, end: dt.date) -> int:
        """New contracts (prepayments into custody, one per contract) in (start, end]."""

    def staff(self, inst: int, start: dt.date, end: dt.date) -> tuple[int, int, int]:
        """(practitioners on the roster at ``start``, practitioners removed or set inactive in (start, end],
        practitioners added in (start, end])."""

    def sessions(self, inst: int, day: dt.date) -> tuple[int, int]:
        """(sessions dated in the SCHEDULE_DAYS up to ``day``, sessions dated in the SCHEDULE_DAYS after
        ``day`` that were scheduled by the end of ``day``)."""

    def registry_changes(self, inst: int, start: dt.date, end: dt.date) -> int:
        """Dated changes of registered particulars (rename, fund supervision, county) in (start, end]."""


def gather(source: SignalSource, inst: int, day: dt.date) -> SignalInputs:
    """The scorer's inputs for institution ``inst`` on ``day`` (same code for production and backtest)."""
    recent = day - dt.timedelta(days=RECENT_DAYS)
    base_start = recent - dt.timedelta(days=BASE_DAYS)
    months = BASE_DAYS / RECENT_DAYS
    reports_start = day - dt.timedelta(days=REPORT_DAYS)
    liability, custody = source.liability_and_custody(inst, day)
    reports = source.reports(inst, reports_start, day)
    sites_before, sites_closed = source.sites(inst, reports_start, day)
    staff_before, staff_left, staff_joined = source.staff(inst, day - dt.timedelta(days=STAFF_DAYS), day)
    long_before, long_left, long_joined = source.staff(inst, day - dt.timedelta(days=STAFF_LONG_DAYS), day)
    sessions_held, sessions_ahead = source.sessions(inst, day)
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
        contracts_recent=source.contracts(inst, recent, day),
        contracts_base=source.contracts(inst, base_start, recent) / months,
        staff_before=staff_before,
        staff_left=staff_left,
        staff_joined=staff_joined,
        staff_long_before=long_before,
        staff_long_left=long_left,
        staff_long_joined=long_joined,
        sessions_held=sessions_held,
        sessions_ahead=sessions_ahead,
        registry_changes=source.registry_changes(inst, reports_start, day),
    )


class _Prefix(str):
    """A county-code prefix: the institutions of a region's subtree ("" = every institution)."""


#: The institutions a grouped query covers: ids, a county-code prefix, or None (all).
Scope = list[int] | _Prefix | None


def _in(scope: Scope, path: str = "institution") -> Q:
    """The filter restricting rows reached through ``path`` (a foreign key to Institution) to ``scope``."""
    from django.db.models import Q

    if scope is None:
        return Q()
    if isinstance(scope, _Prefix):
        return Q(**{f"{path}__county__code__startswith": str(scope)}) if scope else Q()
    return Q(**{f"{path}_id__in": scope})


def _in_institution(scope: Scope) -> Q:
    from django.db.models import Q

    if scope is None:
        return Q()
    if isinstance(scope, _Prefix):
        return Q(county__code__startswith=str(scope)) if scope else Q()
    return Q(pk__in=scope)


def _ids_for_counter(scope: Scope) -> Any:
    """The ids argument of a :data:`CASE_COUNTERS` counter: the list, or a subquery of institution ids."""
    if isinstance(scope, list):
        return scope
    from shuangjian.institutions.models import Institution

    return Institution.objects.filter(_in_institution(scope)).values("pk")


def _end_of(day: dt.date) -> dt.datetime:
    """The first instant after Shanghai day ``day`` (aware)."""
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def _between(field: str, start: dt.date, end: dt.date) -> dict[str, dt.datetime]:
    return {f"{field}__gte": _end_of(start), f"{field}__lt": _end_of(end)}


class DbSource:
    """Production source: the other areas' records, read through their models and selectors.

    Every figure has a grouped form (``_bulk_*``: one query for many institutions) and the per-institution
    methods of :class:`SignalSource` answer from it. :meth:`prefetch` fills a cache for all institutions
    and the standard windows of one date, so a scan costs a fixed number of queries per date instead of
    ~20 per institution; without it each call queries for its one institution (single rescoring).
    """

    def __init__(self) -> None:
        self._cache: dict[tuple, dict[int, Any]] = {}

    def prefetch(self, scope: list[int] | str | None, day: dt.date) -> None:
        """Load every figure :func:`gather` asks for ``day`` (grouped queries, about thirty).

        ``scope``: the institutions concerned — a list of ids, a region code (its subtree, filtered
        on the institution's county code in SQL), or None for every institution. Region and
        province scans pass no id list, so the statements stay the same size at any scale.
        """
        from shuangjian.regions.models import Region

        if isinstance(scope, str):
            ids: Scope = _Prefix(Region.objects.get(code=scope).subtree_prefix)
        else:
            ids = scope
        self._cache = {}
        recent = day - dt.timedelta(days=RECENT_DAYS)
        base_start = recent - dt.timedelta(days=BASE_DAYS)
        reports_start = day - dt.timedelta(days=REPORT_DAYS)
        cases_start = day - dt.timedelta(days=180)
        for start, end in ((recent, day), (base_start, recent)):
            self._cache[("sales", start, end)] = self._bulk_sales(ids, start, end)
            self._cache[("hours", start, end)] = self._bulk_hours(ids, start, end)
            self._cache[("refunds", start, end)] = self._bulk_refunds(ids, start, end)
        self._cache[("reports", reports_start, day)] = self._bulk_reports(ids, reports_start, day)
        self._cache[("over_limit", reports_start, day)] = self._bulk_over_limit(ids, reports_start, day)
        self._cache[("cases", cases_start, day)] = self._bulk_cases(ids, cases_start, day)
        self._cache[("violations", day)] = self._bulk_violations(ids, day)
        self._cache[("licence", day)] = self._bulk_licence(ids, day)
        self._cache[("money", day)] = self._bulk_money(ids, day)
        self._cache[("sites", reports_start, day)] = self._bulk_sites(ids, reports_start, day)
        staff_start = day - dt.timedelta(days=STAFF_DAYS)
        self._cache[("staff", staff_start, day)] = self._bulk_staff(ids, staff_start, day)
        long_start = day - dt.timedelta(days=STAFF_LONG_DAYS)
        self._cache[("staff", long_start, day)] = self._bulk_staff(ids, long_start, day)
        self._cache[("sessions", day)] = self._bulk_sessions(ids, day)
        self._cache[("registry", reports_start, day)] = self._bulk_registry(ids, reports_start, day)

    def _get(self, key: tuple, inst: int, compute, default):
        if key in self._cache:
            return self._cache[key].get(inst, default)
        return compute([inst]).get(inst, default)

    # --- SignalSource -------------------------------------------------------------------------------
    def liability_and_custody(self, inst: int, day: dt.date) -> tuple[int, int]:
        return self._get(("money", day), inst, lambda ids: self._bulk_money(ids, day), (0, 0))

    def payments_fen(self, inst: int, start: dt.date, end: dt.date) -> int:
        return self._get(("sales", start, end), inst, lambda ids: self._bulk_sales(ids, start, end), (0, 0))[
            0
        ]

    def contracts(self, inst: int, start: dt.date, end: dt.date) -> int:
        return self._get(("sales", start, end), inst, lambda ids: self._bulk_sales(ids, start, end), (0, 0))[
            1
        ]

    def staff(self, inst: int, start: dt.date, end: dt.date) -> tuple[int, int, int]:
        return self._get(
            ("staff", start, end), inst, lambda ids: self._bulk_staff(ids, start, end), (0, 0, 0)
        )

    def sessions(self, inst: int, day: dt.date) -> tuple[int, int]:
        return self._get(("sessions", day), inst, lambda ids: self._bulk_sessions(ids, day), (0, 0))

    def registry_changes(self, inst: int, start: dt.date, end: dt.date) -> int:
        return self._get(("registry", start, end), inst, lambda ids: self._bulk_registry(ids, start, end), 0)

    def consumed_hours(self, inst: int, start: dt.date, end: dt.date) -> float:
        return self._get(("hours", start, end), inst, lambda ids: self._bulk_hours(ids, start, end), 0.0)

    def refunds(self, inst: int, start: dt.date, end: dt.date) -> int:
        return self._get(("refunds", start, end), inst, lambda ids: self._bulk_refunds(ids, start, end), 0)

    def reports(self, inst: int, start: dt.date, end: dt.date) -> dict[str, int]:
        return self._get(("reports", start, end), inst, lambda ids: self._bulk_reports(ids, start, end), {})

    def outside_cases(self, inst: int, start: dt.date, end: dt.date) -> int:
        return self._get(("cases", start, end), inst, lambda ids: self._bulk_cases(ids, start, end), 0)

    def over_limit(self, inst: int, start: dt.date, end: dt.date) -> int:
        return self._get(
            ("over_limit", start, end), inst, lambda ids: self._bulk_over_limit(ids, start, end), 0
        )

    def open_violations(self, inst: int, day: dt.date) -> int:
        return self._get(("violations", day), inst, lambda ids: self._bulk_violations(ids, day), 0)

    def licence(self, inst: int, day: dt.date) -> str:
        return self._get(("licence", day), inst, lambda ids: self._bulk_licence(ids, day), "OK")

    def sites(self, inst: int, start: dt.date, end: dt.date) -> tuple[int, int]:
        return self._get(("sites", start, end), inst, lambda ids: self._bulk_sites(ids, start, end), (0, 0))

    # --- grouped queries ----------------------------------------------------------------------------
    @staticmethod
    def _grouped(qs, key: str, **aggregates) -> dict[int, dict[str, Any]]:
        return {row[key]: row for row in qs.order_by().values(key).annotate(**aggregates)}

    def _bulk_money(self, ids: Scope, day: dt.date) -> dict[int, tuple[int, int]]:
        """Liability: Σ over contracts opened by ``day`` and not closed by then of paid × hours not yet
        consumed (消课 events up to ``day``) / hours bought. Custody: the custody and reserve accounts'
        postings up to ``day`` (the bank cash actually held), fen."""
        from django.db.models import Sum

        from shuangjian.funds.models import AccountKind, Contract, EventKind, FundEvent, Transfer

        end = _end_of(day)
        contracts = list(
            Contract.objects.filter(_in(ids), opened_at__lt=end)
            .exclude(closed_at__lt=end)
            .values_list("id", "institution_id", "paid_fen", "hours_total")
        )
        out: dict[int, list[int]] = {}
        if contracts:
            live = Contract.objects.filter(_in(ids), opened_at__lt=end).exclude(closed_at__lt=end)
            consumed = dict(
                FundEvent.objects.filter(contract__in=live, kind=EventKind.CONSUMPTION, occurred_at__lt=end)
                .order_by()
                .values("contract_id")
                .annotate(h=Sum("hours"))
                .values_list("contract_id", "h")
            )
            for cid, inst, paid, total in contracts:
                left = float(total) - float(consumed.get(cid) or 0)
                out.setdefault(inst, [0, 0])[0] += round(paid * max(left, 0.0) / float(total))
        # The custody and reserve accounts' balances: their debits minus their credits (the postings
        # +a / −a derived from each transfer), read from the transfers themselves.
        held = [AccountKind.CUSTODY, AccountKind.RESERVE]
        for side, sign in (("debit", 1), ("credit", -1)):
            rows = (
                Transfer.objects.filter(
                    _in(ids, f"{side}__institution"), **{f"{side}__kind__in": held}, occurred_at__lt=end
                )
                .order_by()
                .values_list(f"{side}__institution_id")
                .annotate(s=Sum("amount_fen"))
            )
            for inst, total in rows:
                out.setdefault(inst, [0, 0])[1] += sign * int(total or 0)
        return {k: (v[0], v[1]) for k, v in out.items()}

    def _bulk_sales(self, ids: Scope, start: dt.date, end: dt.date) -> dict[int, tuple[int, int]]:
        """(prepayments into custody in fen, new contracts) in the window: each contract opens with
        exactly one 缴费 event (DESIGN.md fund events), so the events count the contracts."""
        from django.db.models import Count, Sum

        from shuangjian.funds.models import EventKind, FundEvent

        rows = self._grouped(
            FundEvent.objects.filter(_in(ids), kind=EventKind.PAYMENT, **_between("occurred_at", start, end)),
            "institution_id",
            s=Sum("amount_fen"),
            n=Count("id"),
        )
        return {k: (int(v["s"] or 0), int(v["n"])) for k, v in rows.items()}

    def _bulk_hours(self, ids: Scope, start: dt.date, end: dt.date) -> dict[int, float]:
        """Class hours consumed (消课 events, i.e. confirmed lessons) in the window."""
        from django.db.models import Sum

        from shuangjian.funds.models import EventKind, FundEvent

        rows = self._grouped(
            FundEvent.objects.filter(
                _in(ids), kind=EventKind.CONSUMPTION, **_between("occurred_at", start, end)
            ),
            "institution_id",
            s=Sum("hours"),
        )
        return {k: float(v["s"] or 0) for k, v in rows.items()}

    def _bulk_refunds(self, ids: Scope, start: dt.date, end: dt.date) -> dict[int, int]:
        """Refund requests (any outcome) plus refunds made without a request (imported 退费 rows)."""
        from django.db.models import Count, Exists, OuterRef

        from shuangjian.funds.models import EventKind, FundEvent, RefundRequest

        requests = self._grouped(
            RefundRequest.objects.filter(
                _in(ids, "contract__institution"), **_between("requested_at", start, end)
            ),
            "contract__institution_id",
            n=Count("id"),
        )
        linked = RefundRequest.objects.filter(refund_event=OuterRef("pk"))
        events = self._grouped(
            FundEvent.objects.filter(
                _in(ids), kind=EventKind.REFUND, **_between("occurred_at", start, end)
            ).exclude(Exists(linked)),
            "institution_id",
            n=Count("id"),
        )
        out = {k: v["n"] for k, v in requests.items()}
        for k, v in events.items():
            out[k] = out.get(k, 0) + v["n"]
        return out

    def _bulk_over_limit(self, ids: Scope, start: dt.date, end: dt.date) -> dict[int, int]:
        from django.db.models import Count

        from shuangjian.funds.models import PrepaymentViolation

        rows = self._grouped(
            PrepaymentViolation.objects.filter(_in(ids), **_between("detected_at", start, end)),
            "institution_id",
            n=Count("id"),
        )
        return {k: v["n"] for k, v in rows.items()}

    def _bulk_reports(self, ids: Scope, start: dt.date, end: dt.date) -> dict[int, dict[str, int]]:
        """违规收费 reports not judged invalid (nor merged), and the 爆雷/冒烟 risk-list entries
        (complaints.RiskFlag) not cleared, received in the window."""
        from django.db.models import Count

        from shuangjian.complaints.choices import ReportType
        from shuangjian.complaints.models import Report, RiskFlag

        out: dict[int, dict[str, int]] = {}
        outside = self._grouped(
            Report.objects.filter(
                _in(ids),
                report_type=ReportType.ILLEGAL_CHARGING,
                **_between("received_at", start, end),
            )
            .exclude(is_valid=False)
            .exclude(status="MERGED"),
            "institution_id",
            n=Count("id"),
        )
        for k, v in outside.items():
            out.setdefault(k, {})["outside"] = v["n"]
        flags = (
            RiskFlag.objects.filter(_in(ids), cleared_at__isnull=True, **_between("raised_at", start, end))
            .order_by()
            .values("institution_id", "kind")
            .annotate(n=Count("id"))
        )
        for row in flags:
            out.setdefault(row["institution_id"], {})["smoke" if row["kind"] == "SMOKE" else "collapse"] = (
                row["n"]
            )
        return out

    def _bulk_cases(self, ids: Scope, start: dt.date, end: dt.date) -> dict[int, int]:
        """Enforcement cases of kind 违规收费 (this platform) opened in the window, not revoked: the
        sum of the :data:`CASE_COUNTERS` the enforcement area registers (none: 0 cases)."""
        totals: dict[int, int] = {}
        for counter in CASE_COUNTERS:
            for inst, n in counter(_ids_for_counter(ids), start, end).items():
                totals[inst] = totals.get(inst, 0) + n
        return totals

    def _bulk_violations(self, ids: Scope, day: dt.date) -> dict[int, int]:
        """Compliance violations (institutions.Violation, any source) detected by ``day`` and open then."""
        from django.db.models import Count, Q

        from shuangjian.institutions.models import Violation

        end = _end_of(day)
        rows = self._grouped(
            Violation.objects.filter(_in(ids), detected_at__lt=end).filter(
                Q(status="OPEN") | Q(resolved_at__gte=end)
            ),
            "institution_id",
            n=Count("id"),
        )
        return {k: v["n"] for k, v in rows.items()}

    def _bulk_licence(self, ids: Scope, day: dt.date) -> dict[int, str]:
        """Registry status → licence state: 停办/注销/吊销/取缔/整改中 as such, 申请中 = unlicensed,
        a licence valid until before ``day`` = expired."""
        from shuangjian.institutions.models import Institution

        out = {}
        for pk, status, valid_until in Institution.objects.filter(_in_institution(ids)).values_list(
            "pk", "status", "license_valid_until"
        ):
            if status in ("SUSPENDED", "REVOKED", "DEREGISTERED", "BANNED", "RECTIFYING"):
                out[pk] = status
            elif status == "APPLYING":
                out[pk] = "UNLICENSED"
            elif valid_until and valid_until < day:
                out[pk] = "EXPIRED"
            else:
                out[pk] = "OK"
        return out

    def _bulk_sites(self, ids: Scope, start: dt.date, end: dt.date) -> dict[int, tuple[int, int]]:
        """(sites existing at ``start``, sites deleted in the window), from the sites' audit trail; sites
        entered without an audit row (bulk loads) count as existing."""
        from django.db.models import Count, Q

        from shuangjian.institutions.models import Site

        start_at = _end_of(start)
        history = Site.history.filter(_in(ids))
        rows = self._grouped(
            history,
            "institution_id",
            created=Count("id", filter=Q(history_type="+", history_date__lt=start_at)),
            gone=Count("id", filter=Q(history_type="-", history_date__lt=start_at)),
            closed=Count("id", filter=Q(history_type="-", **_between("history_date", start, end))),
        )
        current = self._grouped(Site.objects.filter(_in(ids)), "institution_id", n=Count("id"))
        out = {}
        for inst in set(rows) | set(current):
            row = rows.get(inst, {"created": 0, "gone": 0, "closed": 0})
            before = row["created"] - row["gone"] if row["created"] else current.get(inst, {}).get("n", 0)
            out[inst] = (max(before, row["closed"]), row["closed"])
        return out

    def _bulk_staff(self, ids: Scope, start: dt.date, end: dt.date) -> dict[int, tuple[int, int, int]]:
        """(practitioners on the roster at ``start``, practitioners who left in the window, practitioners
        added in the window), from the roster's audit trail (three queries). Leaving = the record deleted, or saved inactive (在职 off)
        by a change; a person counts once per window, and not again when already gone before it.
        Practitioners entered without an audit row (bulk loads) count as on the roster since ever."""
        from django.db.models import Count, Q

        from shuangjian.institutions.models import Practitioner

        start_at, end_at = _end_of(start), _end_of(end)
        history = Practitioner.history.filter(_in(ids))
        joined = self._grouped(
            history.filter(history_type="+", history_date__lt=end_at, active=True),
            "institution_id",
            n=Count("id", distinct=True, filter=Q(history_date__lt=start_at)),
            new=Count("id", distinct=True, filter=Q(history_date__gte=start_at)),
        )
        left_rows = (
            history.filter(history_date__lt=end_at)
            .filter(Q(history_type="-") | Q(history_type="~", active=False))
            .order_by()
            .values_list("institution_id", "id", "history_date")
            .distinct()
        )
        gone_before: dict[int, set[int]] = {}
        gone_in: dict[int, set[int]] = {}
        for inst, pid, when in left_rows:
            (gone_before if when < start_at else gone_in).setdefault(inst, set()).add(pid)
        current = self._grouped(
            Practitioner.objects.filter(_in(ids)), "institution_id", n=Count("id", filter=Q(active=True))
        )
        out = {}
        for inst in set(joined) | set(gone_in) | set(current):
            before_set = gone_before.get(inst, set())
            left = len(gone_in.get(inst, set()) - before_set)
            new = joined.get(inst, {}).get("new", 0)
            if joined.get(inst, {}).get("n"):
                before = joined[inst]["n"] - len(before_set)
            else:
                before = current.get(inst, {}).get("n", 0) + left - new
            out[inst] = (max(before, left), left, new)
        return out

    def _bulk_sessions(self, ids: Scope, day: dt.date) -> dict[int, tuple[int, int]]:
        """(sessions dated in the SCHEDULE_DAYS up to ``day``, sessions dated in the SCHEDULE_DAYS after it
        already scheduled by the end of ``day``): one query; a session's scheduling time is its
        audit row's (sessions entered without one count as scheduled since ever)."""
        from django.db.models import Count, Exists, OuterRef, Q

        from shuangjian.institutions.models import TrainingSession

        end_at = _end_of(day)
        later = TrainingSession.history.filter(id=OuterRef("pk"), history_type="+", history_date__gte=end_at)
        qs = TrainingSession.objects.filter(
            _in(ids, "item__institution"),
            date__gt=day - dt.timedelta(days=SCHEDULE_DAYS),
            date__lte=day + dt.timedelta(days=SCHEDULE_DAYS),
        ).exclude(Exists(later))
        rows = self._grouped(
            qs,
            "item__institution_id",
            held=Count("id", filter=Q(date__lte=day)),
            ahead=Count("id", filter=Q(date__gt=day)),
        )
        return {k: (v["held"], v["ahead"]) for k, v in rows.items()}

    def _bulk_registry(self, ids: Scope, start: dt.date, end: dt.date) -> dict[int, int]:
        """Changes of registered particulars dated in the window: profiles (登记事项) starting after their
        episode's approval (a rename, joining or leaving fund supervision, another county)."""
        from django.db.models import Count, F

        from shuangjian.institutions.models import InstitutionProfile

        rows = self._grouped(
            InstitutionProfile.objects.filter(_in(ids), valid_from__gt=start, valid_from__lte=end).exclude(
                valid_from=F("episode__approved_on")
            ),
            "institution_id",
            n=Count("id"),
        )
        return {k: v["n"] for k, v in rows.items()}


# --- peer baselines ---------------------------------------------------------------------------------
MIN_PEERS = 5


def _median(values: list[float]) -> float:
    values = sorted(values)
    if not values:
        return 1.0
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def peer_baselines(inputs: dict, groups: dict) -> dict[str, dict[str, float]]:
    """Median ratios per peer group: ``{"category:<c>": {"hours": m, "pay": m, "schedule": m, "package": m},
    "county:<code>": {"refund": m}}``.

    ``inputs``: key → SignalInputs; ``groups``: key → (category, county code). Consumption, sales,
    sessions scheduled ahead and the prepayment per contract compare with the same category province-wide (subject training stops in the holidays, D1);
    refunds with the same county (a local policy change moves every institution's refunds, RULES.md
    §12.3). A group with fewer than MIN_PEERS members gets 1.0 (no adjustment).
    """
    hours: dict[str, list[float]] = {}
    pay: dict[str, list[float]] = {}
    refund: dict[str, list[float]] = {}
    schedule: dict[str, list[float]] = {}
    package: dict[str, list[float]] = {}
    for key, item in inputs.items():
        category, county = groups[key]
        if item.hours_ratio is not None and item.hours_base >= 1:
            hours.setdefault(category, []).append(item.hours_ratio)
        if item.pay_ratio is not None:
            pay.setdefault(category, []).append(item.pay_ratio)
        if item.schedule_ratio is not None:
            schedule.setdefault(category, []).append(item.schedule_ratio)
        if item.package_ratio is not None:
            package.setdefault(category, []).append(item.package_ratio)
        refund.setdefault(county, []).append(item.refund_ratio)
    out: dict[str, dict[str, float]] = {}
    for category in set(hours) | set(pay) | set(schedule) | set(package):
        series = {
            "hours": hours.get(category, []),
            "pay": pay.get(category, []),
            "schedule": schedule.get(category, []),
            "package": package.get(category, []),
        }
        out[f"category:{category}"] = {
            name: _median(v) if len(v) >= MIN_PEERS else 1.0 for name, v in series.items()
        }
    for county, values in refund.items():
        out[f"county:{county}"] = {"refund": _median(values) if len(values) >= MIN_PEERS else 1.0}
    return out


def apply_peer_baselines(
    item: SignalInputs, baselines: dict[str, dict[str, float]], category: str, county: str
) -> SignalInputs:
    """Set ``item``'s peer ratios from ``baselines`` (1.0 where the group is unknown); returns ``item``."""
    cat = baselines.get(f"category:{category}", {})
    item.peer_hours_ratio = cat.get("hours", 1.0)
    item.peer_pay_ratio = cat.get("pay", 1.0)
    item.peer_schedule_ratio = cat.get("schedule", 1.0)
    item.peer_package_ratio = cat.get("package", 1.0)
    item.peer_refund_ratio = baselines.get(f"county:{county}", {}).get("refund", 1.0)
    return item
