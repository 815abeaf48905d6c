"""The risk scorer (风险评分): pure functions from observable signal inputs to a score and its reasons.

No database access here: production feeds :class:`SignalInputs` gathered from the ledger, reports,
registry and cases (``risk.signals``), the backtest (``benchmarks/risk_backtest.py``) feeds the
same inputs gathered the same way from simulated records. Weights and thresholds are rule data
(``risk.rules``, local policy — RULES.md §8 says no public indicators exist).

Score: Σ weight × severity over the signals that fired, severity in (0, 1], times a corroboration
factor (1 + combination.bonus × (independent evidence families − 1)), capped at 100.
Levels: 红 RED ≥ level.red, 橙 ORANGE ≥ level.orange, 黄 YELLOW ≥ level.yellow, 蓝 BLUE ≥ level.blue.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

from .choices import Level

#: Severity rank: higher is worse ("" = no warning).
LEVEL_RANK: dict[str, int] = {"": 0, Level.BLUE: 1, Level.YELLOW: 2, Level.ORANGE: 3, Level.RED: 4}
#: Short labels used in statistics (红/橙/黄/蓝).
LEVEL_SHORT: dict[str, str] = {Level.RED: "红", Level.ORANGE: "橙", Level.YELLOW: "黄", Level.BLUE: "蓝"}

#: Licence states fed to the scorer (derived from Institution.status and licence validity).
LICENCE_SEVERITY = {
    "OK": 0.0,
    "RECTIFYING": 0.4,
    "EXPIRED": 0.6,
    "SUSPENDED": 1.0,
    "REVOKED": 1.0,
    "DEREGISTERED": 1.0,
    "BANNED": 1.0,
    "UNLICENSED": 1.0,
}
LICENCE_LABEL = {
    "OK": "正常",
    "RECTIFYING": "整改中",
    "EXPIRED": "许可证已过期",
    "SUSPENDED": "已停办",
    "REVOKED": "已吊销",
    "DEREGISTERED": "已注销",
    "BANNED": "无证取缔",
    "UNLICENSED": "无证办学",
}


@dataclass
class SignalInputs:
    """Observable facts about one institution on one date (fen, hours, counts).

    Windows: ``*_recent`` is the 30 days up to the date; ``*_base`` the monthly average of the 90 days
    before those. Report and site counts cover the last 90 days.
    """

    liability_fen: int = 0  # prepaid fees still owed in lessons (open contracts)
    custody_fen: int = 0  # custody balance + risk reserve
    outside_reports: int = 0  # 违规收费 reports not judged invalid
    outside_cases: int = 0  # enforcement cases of kind 违规收费
    over_limit: int = 0  # over-limit prepayments (funds violations)
    pay_fen_recent: int = 0
    pay_fen_base: float = 0.0
    hours_recent: float = 0.0
    hours_base: float = 0.0
    refunds_recent: int = 0
    refunds_base: float = 0.0
    smoke_reports: int = 0
    collapse_reports: int = 0
    open_violations: int = 0
    licence: str = "OK"
    sites_before: int = 0
    sites_closed: int = 0
    contracts_recent: int = 0  # new contracts (one 缴费 each), last 30 days
    contracts_base: float = 0.0  # monthly average of the 90 days before
    staff_before: int = 0  # practitioners on the roster at the start of the staff window (60 days)
    staff_left: int = 0  # practitioners removed from the roster (or set inactive) in that window
    staff_joined: int = 0  # practitioners added in that window (a healthy institution replaces leavers)
    # the same three counts over 180 days: the roster against its own size half a year before (wages in
    # arrears for 6–12 months before A1, A4, A11; leavers trickle out too slowly for the 60-day window)
    staff_long_before: int = 0
    staff_long_left: int = 0
    staff_long_joined: int = 0
    sessions_held: int = 0  # sessions dated in the 28 days up to the date
    sessions_ahead: int = 0  # sessions dated in the next 28 days, as scheduled by the date
    registry_changes: int = (
        0  # dated changes of registered particulars (rename, supervision, county), 90 days
    )
    # peer baselines (median ratios of the institution's peer group on the same date, see
    # signals.apply_peer_baselines): a drop every peer shows (a holiday, a county-wide refund wave)
    # is not this institution's risk
    peer_hours_ratio: float = 1.0
    peer_pay_ratio: float = 1.0
    peer_refund_ratio: float = 1.0
    peer_schedule_ratio: float = 1.0
    peer_package_ratio: float = 1.0

    @property
    def hours_ratio(self) -> float | None:
        return self.hours_recent / self.hours_base if self.hours_base > 0 else None

    @property
    def pay_ratio(self) -> float | None:
        return self.pay_fen_recent / self.pay_fen_base if self.pay_fen_base > 0 else None

    @property
    def refund_ratio(self) -> float:
        return self.refunds_recent / max(self.refunds_base, 1.0)

    @property
    def schedule_ratio(self) -> float | None:
        """Sessions scheduled ahead ÷ sessions held (None without sessions held)."""
        return self.sessions_ahead / self.sessions_held if self.sessions_held > 0 else None

    @property
    def package_ratio(self) -> float | None:
        """Average prepayment per new contract, last 30 days ÷ the 90 days before (None without both)."""
        if self.contracts_recent <= 0 or self.contracts_base <= 0 or self.pay_fen_base <= 0:
            return None
        return (self.pay_fen_recent / self.contracts_recent) / (self.pay_fen_base / self.contracts_base)


@dataclass
class FiredSignal:
    """One signal that fired: its key, Chinese title, measured value text, threshold text and points."""

    key: str
    title: str
    value: str
    threshold: str
    severity: float
    points: float


@dataclass
class Assessment:
    """A score (0–100, one decimal), its level ("" below blue) and the signals that fired."""

    score: float
    level: str
    fired: list[FiredSignal] = field(default_factory=list)

    def explanation(self) -> list[dict[str, Any]]:
        return [asdict(f) for f in self.fired]


#: Independent evidence families: corroboration across families raises the score (combination.bonus).
FAMILY = {
    "coverage": "money",
    "outside": "money",
    "over_limit": "money",
    "consumption": "activity",
    "refund": "refunds",
    "smoke": "reports",
    "collapse": "reports",
    "violations": "compliance",
    "licence": "compliance",
    "sites": "sites",
    "staff": "staff",
    "schedule": "activity",
    "package": "sales",
    "registry": "registry",
}

#: Parameter keys (without the "risk." prefix) the scorer reads.
PARAM_KEYS = [
    "coverage.weight",
    "coverage.threshold",
    "coverage.floor",
    "coverage.min_liability_fen",
    "outside.weight",
    "outside.threshold",
    "outside.full",
    "over_limit.weight",
    "over_limit.threshold",
    "consumption.weight",
    "consumption.drop_threshold",
    "consumption.pay_threshold",
    "consumption.min_base_hours",
    "consumption.min_owed_months",
    "refund.weight",
    "refund.ratio_threshold",
    "refund.min_count",
    "refund.z_threshold",
    "smoke.weight",
    "smoke.full",
    "collapse.weight",
    "violations.weight",
    "violations.threshold",
    "violations.full",
    "licence.weight",
    "sites.weight",
    "sites.share_threshold",
    "staff.weight",
    "staff.share_threshold",
    "staff.min_count",
    "schedule.weight",
    "schedule.ratio_threshold",
    "schedule.min_held",
    "package.weight",
    "package.ratio_threshold",
    "package.min_contracts",
    "registry.weight",
    "combination.bonus",
    "level.red",
    "level.orange",
    "level.yellow",
    "level.blue",
]


def params_default() -> dict[str, float]:
    """The declared defaults (no database): what the backtest uses."""
    from shuangjian.common.rules import RULES

    from . import rules  # noqa: F401  (declares the keys)

    return {k: float(RULES[f"risk.{k}"].default) for k in PARAM_KEYS}


def params_for(region_code: str | None, *, book: Any = None) -> dict[str, float]:
    """The parameters in force for a county (provincial edits apply), read from rule data.

    ``book``: a ``common.rules.RuleBook`` already loaded (a scan resolves every county from one
    query); without it the risk rules are loaded now (one query).
    """
    from shuangjian.common.rules import RuleBook

    from . import rules  # noqa: F401

    book = book if book is not None else RuleBook(prefix="risk.")
    return {k: float(book.value(f"risk.{k}", region_code)) for k in PARAM_KEYS}


def _clamp(x: float) -> float:
    return max(0.0, min(1.0, x))


def _pct(x: float) -> str:
    return f"{x * 100:.0f}%"


def _yuan(fen: float) -> str:
    return f"¥{fen / 100:,.2f}"


def _saturate(count: float, full: float) -> float:
    """Diminishing returns for counted evidence: one item gives half, ``full`` items ~90%."""
    if count <= 0:
        return 0.0
    half_life = max(full / 3.3, 0.5)
    return 1 - 0.5 ** (count / half_life) if count < full * 2 else 1.0


def level_for(score: float, p: dict[str, float]) -> str:
    """The warning level of ``score`` ("" below the blue threshold)."""
    if score >= p["level.red"]:
        return Level.RED
    if score >= p["level.orange"]:
        return Level.ORANGE
    if score >= p["level.yellow"]:
        return Level.YELLOW
    if score >= p["level.blue"]:
        return Level.BLUE
    return ""


def score(inputs: SignalInputs, p: dict[str, float]) -> Assessment:
    """Score one institution's inputs with parameters ``p`` (see :func:`params_for`)."""
    fired: list[FiredSignal] = []

    def fire(key: str, title: str, value: str, threshold: str, severity: float, weight: float) -> None:
        severity = _clamp(severity)
        if severity > 0:
            fired.append(
                FiredSignal(key, title, value, threshold, round(severity, 3), round(weight * severity, 1))
            )

    # 1. custody coverage (托管资金覆盖率)
    if inputs.liability_fen >= p["coverage.min_liability_fen"]:
        ratio = inputs.custody_fen / inputs.liability_fen
        thr, floor = p["coverage.threshold"], p["coverage.floor"]
        if ratio < thr:
            fire(
                "coverage",
                "托管资金覆盖率不足",
                f"托管余额{_yuan(inputs.custody_fen)}，未消课预收费{_yuan(inputs.liability_fen)}，覆盖率{_pct(ratio)}",
                f"低于{_pct(thr)}",
                0.2 + 0.8 * (thr - ratio) / max(thr - floor, 1e-9),
                p["coverage.weight"],
            )

    # 2. prepayments outside custody (托管外收费)
    evidence = inputs.outside_reports + 2 * inputs.outside_cases
    if evidence >= p["outside.threshold"]:
        fire(
            "outside",
            "托管外收费",
            f"90日内违规收费举报{inputs.outside_reports}件、查实案件{inputs.outside_cases}件",
            f"证据数≥{p['outside.threshold']:g}",
            _saturate(evidence, p["outside.full"]),
            p["outside.weight"],
        )
    if inputs.over_limit >= p["over_limit.threshold"]:
        fire(
            "over_limit",
            "超限预收费",
            f"90日内超限预收费{inputs.over_limit}笔",
            f"≥{p['over_limit.threshold']:g}笔",
            0.5 + 0.1 * inputs.over_limit,
            p["over_limit.weight"],
        )

    # 3. consumption falling while prepayments keep coming (消课下降、预收费不减), relative to peers
    if inputs.hours_base >= p["consumption.min_base_hours"]:
        hours_ratio = (inputs.hours_ratio or 0.0) / max(inputs.peer_hours_ratio, 0.05)
        pay_ratio = (inputs.pay_ratio or 0.0) / max(inputs.peer_pay_ratio, 0.05)
        drop_thr, pay_thr = p["consumption.drop_threshold"], p["consumption.pay_threshold"]
        # lessons fall for want of lessons owed when the prepaid hours are nearly used up: the sign is
        # lessons not given while parents are still owed them (at least min_owed_months of sales)
        owed = inputs.liability_fen >= p["consumption.min_owed_months"] * inputs.pay_fen_base
        if hours_ratio <= drop_thr and pay_ratio >= pay_thr and owed:
            severity = 0.3 + (drop_thr - hours_ratio) / 0.5 + (0.25 if pay_ratio >= 1.3 else 0.0)
            fire(
                "consumption",
                "消课下降而预收费持续",
                f"近30日消课为前期月均的{_pct(inputs.hours_ratio or 0)}（同类机构中位数{_pct(inputs.peer_hours_ratio)}），"
                f"缴费为前期月均的{_pct(inputs.pay_ratio or 0)}",
                f"相对同类消课≤{_pct(drop_thr)}且缴费≥{_pct(pay_thr)}",
                severity,
                p["consumption.weight"],
            )

    # 4. refund requests rising (退费申请上升): above the peers' rise, and beyond Poisson noise
    expected = inputs.refunds_base * max(inputs.peer_refund_ratio, 1.0)
    ratio = inputs.refunds_recent / max(expected, 1.0)
    z = (inputs.refunds_recent - expected) / math.sqrt(max(expected, 1.0))
    if (
        inputs.refunds_recent >= p["refund.min_count"]
        and ratio >= p["refund.ratio_threshold"]
        and z >= p["refund.z_threshold"]
    ):
        fire(
            "refund",
            "退费申请上升",
            f"近30日退费{inputs.refunds_recent}笔，前期月均{inputs.refunds_base:.1f}笔（{inputs.refund_ratio:.1f}倍，"
            f"同类机构中位数{inputs.peer_refund_ratio:.1f}倍）",
            f"相对同类≥{p['refund.ratio_threshold']:g}倍、超出随机波动{p['refund.z_threshold']:g}个标准差且≥"
            f"{p['refund.min_count']:g}笔",
            0.3 + (z - p["refund.z_threshold"]) / 6,
            p["refund.weight"],
        )

    # 5. 冒烟 / 爆雷 reports
    if inputs.smoke_reports:
        fire(
            "smoke",
            "冒烟举报",
            f"90日内{inputs.smoke_reports}件",
            "≥1件",
            _saturate(inputs.smoke_reports, p["smoke.full"]),
            p["smoke.weight"],
        )
    if inputs.collapse_reports:
        fire("collapse", "爆雷举报", f"90日内{inputs.collapse_reports}件", "≥1件", 1.0, p["collapse.weight"])

    # 6. unresolved compliance violations (未整改违规)
    if inputs.open_violations >= p["violations.threshold"]:
        fire(
            "violations",
            "未整改违规记录",
            f"{inputs.open_violations}条未整改",
            f"≥{p['violations.threshold']:g}条",
            inputs.open_violations / p["violations.full"],
            p["violations.weight"],
        )

    # 7. licence status (办学许可)
    severity = LICENCE_SEVERITY.get(inputs.licence, 0.0)
    if severity:
        fire(
            "licence",
            "办学许可状态异常",
            LICENCE_LABEL.get(inputs.licence, inputs.licence),
            "正常办学",
            severity,
            p["licence.weight"],
        )

    # 8. sites closing (场所关停)
    if inputs.sites_closed and inputs.sites_before:
        share = inputs.sites_closed / inputs.sites_before
        if share >= p["sites.share_threshold"]:
            fire(
                "sites",
                "办学场所关停",
                f"90日内关停{inputs.sites_closed}处（原有{inputs.sites_before}处，{_pct(share)}）",
                f"≥{_pct(p['sites.share_threshold'])}",
                0.4 + share,
                p["sites.weight"],
            )

    # 9. practitioners leaving unreplaced (从业人员流失): unpaid staff leave before the doors close
    # (README "Collapse accounts", A1–A7, A11); a healthy institution replaces its leavers (A12). Two
    # windows against the institution's own roster: 60 days (an exodus) and 180 days (a trickle over the
    # months of arrears, A1 7 months, A4 6, A11 12); the window with the larger net loss counts.
    best: tuple[float, int, int, int, int] | None = None
    for days, before, left, joined in (
        (60, inputs.staff_before, inputs.staff_left, inputs.staff_joined),
        (180, inputs.staff_long_before, inputs.staff_long_left, inputs.staff_long_joined),
    ):
        net = left - joined
        if before and net >= p["staff.min_count"]:
            share = net / before
            if share >= p["staff.share_threshold"] and (best is None or share > best[0]):
                best = (share, days, before, left, joined)
    if best is not None:
        share, days, before, left, joined = best
        fire(
            "staff",
            "从业人员集中离职",
            f"{days}日内离职{left}人、新增{joined}人（原有{before}人，净减{_pct(share)}）",
            f"净减≥{_pct(p['staff.share_threshold'])}且≥{p['staff.min_count']:g}人",
            0.3 + share,
            p["staff.weight"],
        )

    # 10. no sessions scheduled ahead (排课停止), relative to peers of the same category
    if inputs.sessions_held >= p["schedule.min_held"]:
        ratio = (inputs.schedule_ratio or 0.0) / max(inputs.peer_schedule_ratio, 0.05)
        thr = p["schedule.ratio_threshold"]
        if ratio <= thr:
            fire(
                "schedule",
                "后续排课骤减",
                f"未来28日已排课{inputs.sessions_ahead}节，近28日上课{inputs.sessions_held}节"
                f"（同类机构中位数比{_pct(inputs.peer_schedule_ratio)}）",
                f"相对同类≤{_pct(thr)}",
                0.3 + 0.7 * (thr - ratio) / max(thr, 1e-9),
                p["schedule.weight"],
            )

    # 11. long packages sold in a drive (大额长课包促销): the prepayment per new contract jumps
    package = inputs.package_ratio
    if package is not None and inputs.contracts_recent >= p["package.min_contracts"]:
        ratio = package / max(inputs.peer_package_ratio, 0.05)
        thr = p["package.ratio_threshold"]
        if ratio >= thr:
            fire(
                "package",
                "单笔预收费骤增（大额课包促销）",
                f"近30日{inputs.contracts_recent}笔新合同，笔均预收费为前期的{_pct(package)}"
                f"（同类机构中位数{_pct(inputs.peer_package_ratio)}）",
                f"相对同类≥{_pct(thr)}且≥{p['package.min_contracts']:g}笔",
                0.3 + (ratio - thr) / thr,
                p["package.weight"],
            )

    # 12. registered particulars changed (登记事项变更: rename, leaving supervision, county)
    if inputs.registry_changes:
        fire(
            "registry",
            "登记事项变更",
            f"90日内{inputs.registry_changes}次",
            "≥1次",
            0.6 if inputs.registry_changes == 1 else 1.0,
            p["registry.weight"],
        )

    fired.sort(key=lambda f: -f.points)
    families = {FAMILY[f.key] for f in fired}
    bonus = 1 + p["combination.bonus"] * max(len(families) - 1, 0)
    total = round(min(100.0, sum(f.points for f in fired) * bonus), 1)
    return Assessment(score=total, level=level_for(total, p), fired=fired)
