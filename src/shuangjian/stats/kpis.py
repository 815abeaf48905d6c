"""Every statistic of the platform, defined once (每周专报、看板、接口、导出都从这里取数).

A :class:`Kpi` holds the id (the keys of DESIGN.md's ``kpis`` contract and more), the Chinese
name, the definition in words, the formula (``compute``), the unit, the policy source and the
areas it draws on, and — for counts — the records behind the figure (``records``), so that every
number on a page links to the rows it counts. Pages, the API, exports, the ``kpis`` command and the
weekly report all call :func:`compute_kpis`; nothing computes a figure a second way.

All figures are restricted by :class:`KpiContext`: a region subtree (``region_code``) and, when a
``user`` is given, ``Model.objects.visible_to(user)`` — the same scoping mechanism as every list
page, so a county user's dashboard counts exactly the rows that user can open.

Rates are fractions rounded half-up to 4 decimals, ``None`` when the denominator is 0.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from shuangjian.common.dates import end_of_day
from shuangjian.common.kpicards import rate
from shuangjian.vocational.choices import Level as VocLevel

#: Baseline date of reduction rates: the national double-reduction opinion (D1) was issued.
BASELINE_DATE = dt.date(2021, 7, 24)


@dataclass(frozen=True)
class KpiContext:
    """What a figure is computed over.

    ``as_of``: the date of stock figures (registry state, balances at the end of that day,
    Asia/Shanghai); ``date_from``/``date_to``: the period of flow figures (both days inclusive);
    ``region_code``: restrict to that region's subtree; ``user``: restrict to what the user may open.
    """

    as_of: dt.date
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    region_code: str | None = None
    user: Any = None
    cache: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def period(self) -> tuple[dt.date, dt.date]:
        """The flow period; defaults to 1 January of the as-of year up to the as-of date."""
        start = self.date_from or dt.date(self.as_of.year, 1, 1)
        end = self.date_to or self.as_of
        return start, end

    def scoped(self, model: Any) -> QuerySet:
        """``model`` rows in this context's scope (user first, then region)."""
        qs = model.objects.visible_to(self.user) if self.user is not None else model.objects.all()
        if self.region_code:
            qs = qs.in_region(self.region_code)
        return qs

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        """Compute once per context (several KPIs share one aggregate)."""
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]


@dataclass(frozen=True)
class Kpi:
    """One statistic: identity, meaning, formula and provenance."""

    id: str
    name: str
    definition: str
    unit: str  # "家" / "条" / "份" / "分" (fen) / "比例" (fraction 0–1)
    areas: tuple[str, ...]
    compute: Callable[[KpiContext], Any]
    source: str = ""
    records: Callable[[KpiContext], QuerySet] | None = None

    @property
    def is_rate(self) -> bool:
        return self.unit == "比例"


KPIS: dict[str, Kpi] = {}


def register(kpi: Kpi) -> Kpi:
    """Add a KPI to the registry (ids are unique)."""
    if kpi.id in KPIS:
        raise ValueError(f"duplicate KPI id {kpi.id}")
    KPIS[kpi.id] = kpi
    return kpi


def compute_kpis(ctx: KpiContext, ids: list[str] | None = None) -> dict[str, Any]:
    """Values of the KPIs ``ids`` (all when None), in registry order: ``{id: value}``."""
    chosen = ids or list(KPIS)
    return {kpi_id: KPIS[kpi_id].compute(ctx) for kpi_id in chosen}


def display(kpi_id: str, value: Any) -> str:
    """A KPI value as shown on pages: rates as percentages, fen as ¥, counts with separators."""
    from shuangjian.common.text import fen_to_yuan_text

    if value is None:
        return "—"
    kpi = KPIS[kpi_id]
    if kpi.is_rate:
        return f"{value * 100:.2f}%"
    if kpi.unit == "分":
        return fen_to_yuan_text(value)
    if isinstance(value, dict):
        return "、".join(f"{k} {v}" for k, v in value.items())
    return f"{value:,}"


def kpi_values_for(ids: list[str], *, user: Any, as_of: dt.date, region_code: str | None) -> dict[str, Any]:
    """``common.kpicards.kpi_values``: the KPIs ``ids`` in ``user``'s scope and ``region_code``'s subtree."""
    return compute_kpis(KpiContext(as_of=as_of, region_code=region_code, user=user), ids)


def kpi_info_for(ids: list[str]) -> dict[str, dict[str, Any]]:
    """``common.kpicards.kpi_info``: name, definition, unit, rate or not, records listed or not."""
    return {
        k: {
            "name": KPIS[k].name,
            "definition": KPIS[k].definition,
            "unit": KPIS[k].unit,
            "is_rate": KPIS[k].is_rate,
            "records": bool(KPIS[k].records),
        }
        for k in ids
    }


def kpi_cards_for(
    ids: list[str], *, user: Any, as_of: dt.date, region_code: str | None
) -> list[dict[str, Any]]:
    """``common.kpicards.kpi_cards``: name, displayed value, definition and records link of each KPI."""
    from urllib.parse import urlencode

    from django.urls import reverse

    values = kpi_values_for(ids, user=user, as_of=as_of, region_code=region_code)
    base = {"as_of": as_of.isoformat(), "region": region_code or ""}
    return [
        {
            "id": k,
            "name": KPIS[k].name,
            "value": display(k, values[k]),
            "definition": KPIS[k].definition,
            "url": (reverse("stats:records", args=[k]) + "?" + urlencode(base)) if KPIS[k].records else None,
        }
        for k in ids
    ]


def nest(flat: dict[str, Any]) -> dict[str, Any]:
    """Dotted keys as a tree: {"a.b": 1} → {"a": {"b": 1}} (for JSON consumers that walk objects)."""
    tree: dict[str, Any] = {}
    for key, value in flat.items():
        node = tree
        parts = key.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return tree


# --- Institutions (registry) ------------------------------------------------------------------


def _active_episodes(ctx: KpiContext, day: dt.date, **filters: Any) -> QuerySet:
    from shuangjian.institutions.models import InstitutionEpisode

    qs = InstitutionEpisode.objects.filter(approved_on__lte=day).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=day)
    )
    return qs.filter(**filters)


def _institutions_with(ctx: KpiContext, day: dt.date, **filters: Any) -> QuerySet:
    """Institutions in scope having an episode active on ``day`` that matches ``filters``; each row
    carries its values on ``day`` (``name_on``, ``fund_on``, ``license_on``: the episode's, not today's)."""
    from shuangjian.institutions.models import Institution
    from shuangjian.institutions.selectors import with_values_on

    episodes = _active_episodes(ctx, day, **filters).filter(institution=OuterRef("pk"))
    return with_values_on(ctx.scoped(Institution).filter(Exists(episodes)), day)


OFFLINE_COMPULSORY_SUBJECT = {"category": "SUBJECT", "mode": "OFFLINE", "audiences__contains": "COMPULSORY"}
ONLINE_COMPULSORY_SUBJECT = {"category": "SUBJECT", "mode": "ONLINE", "audiences__contains": "COMPULSORY"}


def _count_institutions(day_of: Callable[[KpiContext], dt.date], filters: dict[str, Any]):
    def compute(ctx: KpiContext) -> int:
        key = f"inst:{day_of(ctx)}:{sorted(filters.items())}"
        return ctx.memo(key, lambda: _institutions_with(ctx, day_of(ctx), **filters).count())

    def records(ctx: KpiContext) -> QuerySet:
        return _institutions_with(ctx, day_of(ctx), **filters)

    return compute, records


def _as_of(ctx: KpiContext) -> dt.date:
    return ctx.as_of


def _baseline(ctx: KpiContext) -> dt.date:
    return BASELINE_DATE


def _register_count(kpi_id: str, name: str, definition: str, day_of, filters, source="") -> None:
    compute, records = _count_institutions(day_of, filters)
    register(Kpi(kpi_id, name, definition, "家", ("institutions",), compute, source, records))


_register_count(
    "institutions.active",
    "在册机构数",
    "截至统计日有任一有效办学期间（审批日期≤统计日，且终止日期为空或晚于统计日）的校外培训机构家数。",
    _as_of,
    {},
)
for _prefix, _filters, _label in (
    ("institutions.offline_compulsory_subject", OFFLINE_COMPULSORY_SUBJECT, "线下义务教育阶段学科类"),
    ("institutions.online_compulsory_subject", ONLINE_COMPULSORY_SUBJECT, "线上义务教育阶段学科类"),
):
    _register_count(
        f"{_prefix}.baseline",
        f"{_label}机构数（基数）",
        f"2021年7月24日（双减意见印发日）有效的{_label}培训机构家数：培训类别为学科类、培训形式为"
        f"{'线下' if 'offline' in _prefix else '线上'}、服务对象含义务教育的办学期间在该日有效。",
        _baseline,
        _filters,
        "D1",
    )
    _register_count(
        f"{_prefix}.current",
        f"{_label}机构数（现有）",
        f"统计日仍有效的{_label}培训机构家数（口径同基数）。",
        _as_of,
        _filters,
        "D1",
    )

    def _reduction(ctx: KpiContext, prefix: str = _prefix) -> float | None:
        baseline = KPIS[f"{prefix}.baseline"].compute(ctx)
        current = KPIS[f"{prefix}.current"].compute(ctx)
        if not baseline:
            return None
        return rate(baseline - current, baseline)

    register(
        Kpi(
            f"{_prefix}.reduction_rate",
            f"{_label}机构压减率",
            "压减率 = 1 − 现有家数 ÷ 基数家数（基数为 0 时不计算）。",
            "比例",
            ("institutions",),
            _reduction,
            "D1",
        )
    )


def _fund_supervised(ctx: KpiContext) -> QuerySet:
    """Active institutions whose supervision flag *on the as-of date* is 是 (the episode in force then)."""
    from shuangjian.institutions.selectors import supervised_on

    return _institutions_with(ctx, ctx.as_of).filter(supervised_on(ctx.as_of))


def _fund_supervision_rate(ctx: KpiContext) -> float | None:
    active = KPIS["institutions.active"].compute(ctx)
    supervised = ctx.memo("inst:fund_supervised", lambda: _fund_supervised(ctx).count())
    return rate(supervised, active)


register(
    Kpi(
        "institutions.fund_supervised",
        "纳入资金监管机构数",
        "统计日在册机构中纳入预收费资金监管的家数：按统计日有效的办学期间（及其登记事项）的“纳入资金监管”取值，"
        "不按机构现时或首次登记的取值。",
        "家",
        ("institutions",),
        lambda ctx: ctx.memo("inst:fund_supervised", lambda: _fund_supervised(ctx).count()),
        "D2",
        _fund_supervised,
    )
)
register(
    Kpi(
        "institutions.fund_supervision_rate",
        "机构全流程监管比例",
        "纳入资金监管的在册机构家数 ÷ 在册机构家数（统计日）。",
        "比例",
        ("institutions",),
        _fund_supervision_rate,
        "D2",
    )
)


# --- Registry changes in the period ---------------------------------------------------------


def _episodes_in_scope(ctx: KpiContext) -> QuerySet:
    from shuangjian.institutions.models import InstitutionEpisode

    return ctx.scoped(InstitutionEpisode)


def _approved_in_period(ctx: KpiContext) -> QuerySet:
    start, end = ctx.period
    return _episodes_in_scope(ctx).filter(approved_on__gte=start, approved_on__lte=end)


def _ended_in_period(ctx: KpiContext) -> QuerySet:
    start, end = ctx.period
    return _episodes_in_scope(ctx).filter(ended_on__gte=start, ended_on__lte=end)


def _ended_by_reason(ctx: KpiContext) -> dict[str, int]:
    from django.db.models import Count

    from shuangjian.institutions.choices import EndReason

    rows = _ended_in_period(ctx).values("end_reason").annotate(n=Count("id")).order_by("end_reason")
    return {
        str(EndReason(r["end_reason"]).label) if r["end_reason"] in EndReason.values else "未注明": r["n"]
        for r in rows
    }


register(
    Kpi(
        "institutions.approved_in_period",
        "期间新审批办学期间数",
        "审批日期落在统计期间内（含首尾两日）的办学期间条数（含转型后新开的期间）。",
        "条",
        ("institutions",),
        lambda ctx: _approved_in_period(ctx).count(),
        "",
        _approved_in_period,
    )
)
register(
    Kpi(
        "institutions.ended_in_period",
        "期间终止办学期间数",
        "终止日期落在统计期间内（含首尾两日）的办学期间条数。",
        "条",
        ("institutions",),
        lambda ctx: _ended_in_period(ctx).count(),
        "",
        _ended_in_period,
    )
)
register(
    Kpi(
        "institutions.ended_by_reason",
        "期间终止原因分布",
        "统计期间内终止的办学期间按终止原因（停办、注销、吊销、转型）计数。",
        "条",
        ("institutions",),
        _ended_by_reason,
    )
)


# --- Reports and leads (complaints) ---------------------------------------------------------


def _report_stats(ctx: KpiContext) -> dict[str, Any]:
    from shuangjian.complaints.selectors import report_stats

    start, end = ctx.period
    return ctx.memo(
        "reports:stats",
        lambda: report_stats(region_code=ctx.region_code, date_from=start, date_to=end, user=ctx.user),
    )


def _reports_in_period(ctx: KpiContext) -> QuerySet:
    from shuangjian.common.dates import day_bounds
    from shuangjian.complaints.selectors import reports_for

    start, end = day_bounds(*ctx.period)
    return reports_for(ctx.user, region_code=ctx.region_code).filter(
        received_at__gte=start, received_at__lt=end
    )


def _reports_of_type(value: str) -> Callable[[KpiContext], QuerySet]:
    return lambda ctx: _reports_in_period(ctx).filter(report_type=value)


def _reports_by_source(ctx: KpiContext) -> dict[str, int]:
    from django.db.models import Count

    from shuangjian.complaints.choices import Source

    rows = dict(_reports_in_period(ctx).values_list("source").annotate(n=Count("id")).order_by())
    return {str(label): rows.get(value, 0) for value, label in Source.choices}


def _overdue(ctx: KpiContext) -> QuerySet:
    from typing import cast

    from shuangjian.complaints.models import Report, ReportQuerySet

    return cast(ReportQuerySet, ctx.scoped(Report)).overdue(ctx.as_of)


_REPORTS_DEF = "受理时间（上海时区日期）落在统计期间内（含首尾两日）的投诉举报线索"
register(
    Kpi(
        "reports.total",
        "受理线索数",
        f"{_REPORTS_DEF}条数（含重复件）。",
        "条",
        ("complaints",),
        lambda ctx: _report_stats(ctx)["reports.total"],
        "",
        _reports_in_period,
    )
)
register(
    Kpi(
        "reports.valid",
        "有效线索数",
        f"{_REPORTS_DEF}中经区县研判为有效线索的条数（部转线索不经研判，不计入）。",
        "条",
        ("complaints",),
        lambda ctx: _report_stats(ctx)["reports.valid"],
        "",
        lambda ctx: _reports_in_period(ctx).filter(is_valid=True),
    )
)
register(
    Kpi(
        "reports.by_type",
        "线索类型分布",
        f"{_REPORTS_DEF}按类型计数（无论是否有效）。",
        "条",
        ("complaints",),
        lambda ctx: _report_stats(ctx)["reports.by_type"],
    )
)
register(
    Kpi(
        "reports.by_source",
        "线索来源分布",
        f"{_REPORTS_DEF}按来源（随手拍、电话、网络、部转、督查）计数。",
        "条",
        ("complaints",),
        _reports_by_source,
    )
)
register(
    Kpi(
        "reports.closed",
        "已办结线索数",
        f"{_REPORTS_DEF}中已办结的条数（办结时间不限）。",
        "条",
        ("complaints",),
        lambda ctx: _report_stats(ctx)["reports.closed"],
        "",
        lambda ctx: _reports_in_period(ctx).filter(closed_at__isnull=False),
    )
)
register(
    Kpi(
        "reports.on_time_rate",
        "按期办结率",
        f"{_REPORTS_DEF}中已办结者，办结日期不晚于办结期限（受理后若干工作日，规则参数）的比例。",
        "比例",
        ("complaints",),
        lambda ctx: _report_stats(ctx)["reports.on_time_rate"],
    )
)
register(
    Kpi(
        "reports.collapse_leads",
        "“爆雷”线索数",
        f"{_REPORTS_DEF}中类型为爆雷的条数（含教育部转办）。",
        "条",
        ("complaints",),
        lambda ctx: _reports_of_type("COLLAPSE")(ctx).count(),
        "",
        _reports_of_type("COLLAPSE"),
    )
)
register(
    Kpi(
        "reports.smoke_leads",
        "“冒烟”线索数",
        f"{_REPORTS_DEF}中类型为冒烟的条数（含教育部转办）。",
        "条",
        ("complaints",),
        lambda ctx: _reports_of_type("SMOKE")(ctx).count(),
        "",
        _reports_of_type("SMOKE"),
    )
)
register(
    Kpi(
        "reports.overdue",
        "逾期未办结线索数",
        "统计日仍未办结且已超过受理或办结期限的线索条数（按当前状态）。",
        "条",
        ("complaints",),
        lambda ctx: _overdue(ctx).count(),
        "",
        _overdue,
    )
)


# --- In-school burden reduction (schools) ---------------------------------------------------


def reported_week(as_of: dt.date) -> tuple[dt.date, dt.date]:
    """The reported week of an as-of date: the last complete ISO week (Monday–Sunday) ending on or
    before it (as-of 2023-06-05, a Monday → 2023-05-29 … 2023-06-04)."""
    sunday = as_of - dt.timedelta(days=(as_of.weekday() + 1) % 7)
    return sunday - dt.timedelta(days=6), sunday


def _school_rates(ctx: KpiContext, *, week: bool) -> dict[str, Any]:
    from shuangjian.schools.selectors import school_rates

    start, end = reported_week(ctx.as_of) if week else ctx.period
    key = f"schools:{start}:{end}"
    return ctx.memo(
        key, lambda: school_rates(region_code=ctx.region_code, date_from=start, date_to=end, user=ctx.user)
    )


def _register_school_rates() -> None:
    from shuangjian.schools.selectors import RATE_DEFINITIONS, RATE_KEYS

    def rate_of(key: str, *, week: bool) -> Callable[[KpiContext], Any]:
        return lambda ctx: _school_rates(ctx, week=week)[key]

    for key in RATE_KEYS:
        title, definition = RATE_DEFINITIONS[key]
        register(
            Kpi(
                f"schools.{key}",
                str(title),
                f"统计期间内：{definition}",
                "比例",
                ("schools",),
                rate_of(key, week=False),
                "D1、D10、D11",
            )
        )
        register(
            Kpi(
                f"schools.reported_week.{key}",
                f"{title}（报告周）",
                f"统计日前最后一个完整自然周（周一至周日）内：{definition}",
                "比例",
                ("schools",),
                rate_of(key, week=True),
                "D1、D10、D11",
            )
        )


_register_school_rates()


def _schools(ctx: KpiContext) -> QuerySet:
    from shuangjian.schools.models import COMPULSORY_KINDS, School

    return ctx.scoped(School).filter(kind__in=COMPULSORY_KINDS)


register(
    Kpi(
        "schools.count",
        "义务教育学校数",
        "范围内在册的义务教育学校所数。",
        "所",
        ("schools",),
        lambda ctx: _schools(ctx).count(),
        "",
        _schools,
    )
)
register(
    Kpi(
        "schools.furong",
        "芙蓉学校数",
        "范围内标记为“芙蓉学校”的学校所数。",
        "所",
        ("schools",),
        lambda ctx: _schools(ctx).filter(is_furong=True).count(),
        "湘教复字〔2023〕283号",
        lambda ctx: _schools(ctx).filter(is_furong=True),
    )
)


# --- Vocational education (职业教育, issue 15) --------------------------------------------------
# Stocks on the as-of date: a school counts while open (founded, not closed), a designation while active.


def _voc(ctx: KpiContext) -> QuerySet:
    from shuangjian.vocational.models import VocationalSchool

    return ctx.scoped(VocationalSchool)


def _voc_level(level: str) -> Callable[[KpiContext], QuerySet]:
    def records(ctx: KpiContext) -> QuerySet:
        from shuangjian.vocational.selectors import open_schools

        return open_schools(_voc(ctx), _as_of(ctx)).filter(level=level)

    return records


def _voc_level_count(level: str) -> Callable[[KpiContext], int]:
    def compute(ctx: KpiContext) -> int:
        return _voc_level(level)(ctx).count()

    return compute


def _voc_designated(kind: str) -> Callable[[KpiContext], QuerySet]:
    def records(ctx: KpiContext) -> QuerySet:
        from shuangjian.vocational.selectors import designated

        return designated(_voc(ctx), kind, _as_of(ctx))

    return records


def _voc_public_secondary(ctx: KpiContext) -> QuerySet:
    from shuangjian.vocational.selectors import public_secondary

    return public_secondary(_voc(ctx), _as_of(ctx))


def _voc_higher(ctx: KpiContext) -> QuerySet:
    from shuangjian.vocational.selectors import higher

    return higher(_voc(ctx), _as_of(ctx))


def _voc_standard(ctx: KpiContext) -> Any:
    from shuangjian.vocational.selectors import standard_figures

    return ctx.memo("vocational.standard", lambda: standard_figures(_voc(ctx), _as_of(ctx)))


def _voc_industries(ctx: KpiContext) -> int:
    from shuangjian.vocational.selectors import industry_coverage

    return sum(1 for row in industry_coverage(_voc(ctx), _as_of(ctx), ctx.region_code) if row["schools"])


_VOC_SRC = "湘教复字〔2023〕283号（职业教育部分）"
for _level, _label in (
    (VocLevel.SECONDARY, "中职"),
    (VocLevel.ASSOCIATE, "高职专科"),
    (VocLevel.BACHELOR, "职业本科"),
):
    register(
        Kpi(
            f"vocational.schools_by_level.{_level.lower()}",
            f"在办{_label}学校数",
            f"统计日在办（已开办、未停办）的{_label}学校所数"
            + ("（含技工学校）。" if _level == VocLevel.SECONDARY else "。"),
            "所",
            ("vocational",),
            _voc_level_count(_level),
            "",
            _voc_level(_level),
        )
    )
register(
    Kpi(
        "vocational.secondary.public_counties",
        "有公办中职的县市区数",
        "统计日至少有1所在办公办中职学校的县级行政区个数（记录为这些公办中职学校）。",
        "个",
        ("vocational",),
        lambda ctx: _voc_public_secondary(ctx).values("county_id").distinct().count(),
        _VOC_SRC + "：97个县市重点办好1所以上公办中职",
        _voc_public_secondary,
    )
)
register(
    Kpi(
        "vocational.double_excellence.schools",
        "省“双优”建设学校数",
        "统计日在办、且省“双优”建设认定在有效期内的学校所数。",
        "所",
        ("vocational",),
        lambda ctx: _voc_designated("DOUBLE_EXCELLENCE")(ctx).count(),
        _VOC_SRC + "：112所省“双优”建设学校",
        _voc_designated("DOUBLE_EXCELLENCE"),
    )
)
register(
    Kpi(
        "vocational.centres",
        "县级职教中心数",
        "统计日在办、且认定为县级职业教育中心的学校所数（原51个脱贫县各建1所；洪江区的职教中心登记在洪江市）。",
        "所",
        ("vocational",),
        lambda ctx: _voc_designated("CENTRE")(ctx).count(),
        _VOC_SRC + "：51个脱贫县建设职教中心",
        _voc_designated("CENTRE"),
    )
)
register(
    Kpi(
        "vocational.city_training_centres",
        "市级职业教育培训中心数",
        "统计日在办、且认定为市级职业教育培训中心的学校所数。",
        "所",
        ("vocational",),
        lambda ctx: _voc_designated("CITY_TRAINING")(ctx).count(),
        _VOC_SRC + "：14个市州职业教育培训中心",
        _voc_designated("CITY_TRAINING"),
    )
)
register(
    Kpi(
        "vocational.higher.cities",
        "有高职院校的市州数",
        "统计日至少有1所在办高职（专科或职业本科）学校的市州个数（记录为这些高职学校）。",
        "个",
        ("vocational",),
        lambda ctx: len({c[:4] for c in _voc_higher(ctx).values_list("county_id", flat=True)}),
        _VOC_SRC + "：14个市州都有高职院校",
        _voc_higher,
    )
)
register(
    Kpi(
        "vocational.key_industries.covered",
        "有高职院校服务的重点行业数",
        "重点行业（规则数据，按专业大类对应）中，至少有1所在办高职开设其专业大类专业（统计日所在年份在招）的行业个数。",
        "个",
        ("vocational",),
        _voc_industries,
        _VOC_SRC + "：24个重点行业都有高职院校；行业名单未找到，规则数据待省级确认",
    )
)
register(
    Kpi(
        "vocational.standard.scope",
        "纳入达标工程的中职学校数",
        "统计日在办、2022年以前设立的中职学校（含技工学校）所数。",
        "所",
        ("vocational",),
        lambda ctx: _voc_standard(ctx).assessed,
        "职业学校办学条件达标工程实施方案",
        lambda ctx: _voc(ctx).filter(pk__in=_voc_standard(ctx).scope_ids),
    )
)
register(
    Kpi(
        "vocational.standard.met",
        "办学条件达标的中职学校数",
        "纳入达标工程的中职学校中，最近一个统计年度（不晚于统计日所在年份）的年报全部关键指标达标的所数；未报送年报的不达标。",
        "所",
        ("vocational",),
        lambda ctx: _voc_standard(ctx).met,
        "职业学校办学条件达标工程实施方案；教职成〔2010〕12号",
        lambda ctx: _voc(ctx).filter(pk__in=_voc_standard(ctx).met_ids),
    )
)
register(
    Kpi(
        "vocational.standard.rate",
        "中职学校办学条件达标率",
        "办学条件达标的中职学校数 ÷ 纳入达标工程的中职学校数（目标：2023年底80%，2025年底90%）。",
        "比例",
        ("vocational",),
        lambda ctx: _voc_standard(ctx).rate,
        "职业学校办学条件达标工程实施方案",
    )
)


# --- Prepaid-fee custody (funds) ------------------------------------------------------------


def _fund_sums(ctx: KpiContext) -> dict[str, int]:
    """Σ transfers by kind up to the end of the as-of day; a correction counts against its original."""
    from django.db.models import Sum

    from shuangjian.funds.models import Transfer, TransferKind

    def compute() -> dict[str, int]:
        qs = ctx.scoped(Transfer).filter(occurred_at__lt=end_of_day(ctx.as_of))
        sums = {k: 0 for k in TransferKind.values}
        for kind, total in (
            qs.exclude(kind=TransferKind.CORRECTION).values_list("kind").annotate(s=Sum("amount_fen"))
        ):
            sums[kind] += int(total or 0)
        corrections = (
            qs.filter(kind=TransferKind.CORRECTION)
            .values_list("corrects__kind")
            .annotate(s=Sum("amount_fen"))
        )
        for kind, total in corrections:
            if kind:
                sums[kind] -= int(total or 0)
        return sums

    return ctx.memo("funds:sums", compute)


def _contracts_until(ctx: KpiContext) -> QuerySet:
    from shuangjian.funds.models import Contract

    return ctx.scoped(Contract).filter(opened_at__lt=end_of_day(ctx.as_of))


def _open_contracts(ctx: KpiContext) -> QuerySet:
    end = end_of_day(ctx.as_of)
    return _contracts_until(ctx).filter(Q(closed_at__isnull=True) | Q(closed_at__gte=end))


def _paid(ctx: KpiContext) -> int:
    return _fund_sums(ctx)["PAYMENT"]


def _released(ctx: KpiContext) -> int:
    return _fund_sums(ctx)["RELEASE_CASH"]


def _refunded(ctx: KpiContext) -> int:
    return _fund_sums(ctx)["REFUND_CASH"]


_FUNDS_DEF = "截至统计日24时托管账户流水"
register(
    Kpi(
        "funds.paid_fen",
        "累计缴费入托管金额",
        f"{_FUNDS_DEF}中缴费（预收费进入托管账户）的合计，单位分。",
        "分",
        ("funds",),
        _paid,
        "D2",
        _contracts_until,
    )
)
register(
    Kpi(
        "funds.released_fen",
        "累计消课划拨金额",
        f"{_FUNDS_DEF}中按消课划拨给机构的合计（一课一消），单位分。",
        "分",
        ("funds",),
        _released,
        "D2",
    )
)
register(
    Kpi(
        "funds.refunded_fen",
        "累计退费金额",
        f"{_FUNDS_DEF}中退还家长的合计，单位分。",
        "分",
        ("funds",),
        _refunded,
        "D2",
    )
)
register(
    Kpi(
        "funds.custody_balance_fen",
        "托管余额",
        "各合同余额之和：缴费 − 划拨 − 退费（截至统计日24时），单位分。",
        "分",
        ("funds",),
        lambda ctx: _paid(ctx) - _released(ctx) - _refunded(ctx),
        "D2",
    )
)
register(
    Kpi(
        "funds.open_contracts",
        "履约中合同数",
        "统计日24时前缴费开立、且当时尚未消课完毕或退费的合同份数。",
        "份",
        ("funds",),
        lambda ctx: _open_contracts(ctx).count(),
        "D5",
        _open_contracts,
    )
)


# --- Risk early warning (risk) --------------------------------------------------------------


def _risk_stats(ctx: KpiContext) -> dict[str, Any]:
    from shuangjian.risk.selectors import risk_stats

    return ctx.memo(
        "risk:stats", lambda: risk_stats(as_of=ctx.as_of, region_code=ctx.region_code, user=ctx.user)
    )


def _warnings(ctx: KpiContext, **kw: Any) -> QuerySet:
    from shuangjian.risk.selectors import warnings_qs

    return warnings_qs(as_of=ctx.as_of, region_code=ctx.region_code, user=ctx.user, **kw)


def _tasks_overdue(ctx: KpiContext) -> QuerySet:
    from shuangjian.risk.selectors import tasks_overdue_qs

    return tasks_overdue_qs(as_of=ctx.as_of, region_code=ctx.region_code, user=ctx.user)


register(
    Kpi(
        "risk.warnings_by_level",
        "在办预警（按等级）",
        "统计日24时仍有效（未解除、未被替代）的风险预警按红、橙、黄、蓝计数。",
        "条",
        ("risk",),
        lambda ctx: _risk_stats(ctx)["warnings_by_level"],
        "本地规则（RULES.md §8）",
    )
)
register(
    Kpi(
        "risk.warnings_red_orange",
        "红橙预警机构数",
        "统计日24时仍有效的红色、橙色风险预警条数（每家机构至多一条在办预警）。",
        "条",
        ("risk",),
        lambda ctx: _risk_stats(ctx)["warnings_red_orange"],
        "本地规则（RULES.md §8）",
        lambda ctx: _warnings(ctx, red_orange=True),
    )
)
register(
    Kpi(
        "risk.tasks_overdue",
        "逾期未处置预警任务数",
        "统计日已过处置期限、当时仍未处置或关闭的预警处置任务数。",
        "件",
        ("risk",),
        lambda ctx: _risk_stats(ctx)["tasks_overdue"],
        "",
        _tasks_overdue,
    )
)


# --- Enforcement (enforcement) --------------------------------------------------------------


def _enforcement_stats(ctx: KpiContext) -> dict[str, Any]:
    from shuangjian.enforcement.selectors import enforcement_stats

    start, end = ctx.period
    return ctx.memo(
        "enforcement:stats",
        lambda: enforcement_stats(date_from=start, date_to=end, region_code=ctx.region_code, user=ctx.user),
    )


def _cases(ctx: KpiContext, **kw: Any) -> QuerySet:
    from shuangjian.enforcement.selectors import cases_qs

    start, end = ctx.period
    return cases_qs(date_from=start, date_to=end, region_code=ctx.region_code, user=ctx.user, **kw)


register(
    Kpi(
        "enforcement.cases_opened",
        "立案查处数",
        "立案日期落在统计期间内（含首尾两日）的执法案件数（撤销的不计）。",
        "件",
        ("enforcement",),
        lambda ctx: _enforcement_stats(ctx)["cases_opened"],
        "D8",
        _cases,
    )
)
register(
    Kpi(
        "enforcement.cases_by_kind",
        "案件类型分布",
        "统计期间内立案的执法案件按类型计数。",
        "件",
        ("enforcement",),
        lambda ctx: _enforcement_stats(ctx)["cases_by_kind"],
        "D8",
    )
)
register(
    Kpi(
        "enforcement.cases_closed",
        "结案数",
        "结案日期落在统计期间内的执法案件数。",
        "件",
        ("enforcement",),
        lambda ctx: _enforcement_stats(ctx)["cases_closed"],
        "D8",
        lambda ctx: _cases(ctx, closed=True),
    )
)
register(
    Kpi(
        "enforcement.ads_removed",
        "拆除违规广告条数",
        "统计期间内立案的“拆除违规广告”案件所记录的广告条数之和。",
        "条",
        ("enforcement",),
        lambda ctx: _enforcement_stats(ctx)["ads_removed"],
        "",
        lambda ctx: _cases(ctx, kind="ADVERTISEMENT"),
    )
)
register(
    Kpi(
        "enforcement.unlicensed_closed",
        "取缔“黑机构”家数",
        "统计期间内结案的“取缔黑机构”案件所涉机构数之和。",
        "家",
        ("enforcement",),
        lambda ctx: _enforcement_stats(ctx)["unlicensed_closed"],
        "D8",
        lambda ctx: _cases(ctx, kind="UNLICENSED", closed=True),
    )
)


# --- STEM education (stem, issue 17) ---------------------------------------------------------

_STEM_SOURCE = "湘教复字〔2023〕283号 二"
_STEM_TERM = "统计日所在学期（8月1日至次年1月31日、2月1日至7月31日）内开设的STEM课程（开设日期不晚于统计日、未在学期开始前结束）"


def _stem_reach(ctx: KpiContext) -> Any:
    from shuangjian.stem.selectors import reach_for

    return ctx.memo(
        "stem:reach", lambda: reach_for(user=ctx.user, region_code=ctx.region_code, as_of=ctx.as_of)
    )


def _stem_offered(ctx: KpiContext) -> QuerySet:
    from shuangjian.stem.models import StemCourse
    from shuangjian.stem.selectors import offered_courses

    return offered_courses(ctx.scoped(StemCourse), ctx.as_of)


def _stem_by(field_name: str) -> Callable[[KpiContext], dict[str, int]]:
    def compute(ctx: KpiContext) -> dict[str, int]:
        from django.db.models import Count

        from shuangjian.stem.models import StemCourse

        labels = dict(StemCourse._meta.get_field(field_name).choices or [])
        counts = dict(_stem_offered(ctx).values_list(field_name).annotate(n=Count("id")).order_by())
        return {str(label): counts.get(value, 0) for value, label in labels.items()}

    return compute


def _stem_recognised(ctx: KpiContext) -> QuerySet:
    from shuangjian.stem.models import CourseState, StemCourse

    return ctx.scoped(StemCourse).filter(state=CourseState.RECOGNISED, recognised_on__lte=ctx.as_of)


def _stem_overdue(ctx: KpiContext) -> QuerySet:
    from shuangjian.stem.models import PENDING_LEVEL, StemCourse

    return ctx.scoped(StemCourse).filter(state__in=list(PENDING_LEVEL), due_on__lt=ctx.as_of)


def _stem_adoptions(ctx: KpiContext) -> QuerySet:
    from shuangjian.stem.models import StemCourse

    return ctx.scoped(StemCourse).filter(adopted_from__isnull=False, start_on__lte=ctx.as_of)


def _stem_rural_offering(ctx: KpiContext) -> QuerySet:
    from shuangjian.schools.models import School

    result = _stem_reach(ctx)
    ids = [pk for pk, (_row, reach) in result.by_school.items() if reach.rural_offering]
    return ctx.scoped(School).filter(pk__in=ids)


def _stem_awards(ctx: KpiContext) -> QuerySet:
    from shuangjian.stem.models import CompetitionEntry

    return (
        ctx.scoped(CompetitionEntry)
        .filter(Q(result_on__isnull=True) | Q(result_on__lte=ctx.as_of))
        .filter(
            Q(top_n__isnull=False)
            | Q(group_rank__isnull=False)
            | Q(overall_rank__isnull=False)
            | ~Q(prize="")
        )
    )


def _stem_research(ctx: KpiContext) -> QuerySet:
    from shuangjian.stem.models import ResearchProject

    return ctx.scoped(ResearchProject).filter(applied_on__lte=ctx.as_of)


def _stem_research_by_state(ctx: KpiContext) -> dict[str, int]:
    from django.db.models import Count

    from shuangjian.stem.models import ResearchState

    counts = dict(_stem_research(ctx).values_list("state").annotate(n=Count("id")).order_by())
    return {str(label): counts.get(value, 0) for value, label in ResearchState.choices}


def _stem_science_share(ctx: KpiContext) -> float | None:
    from shuangjian.stem.selectors import science_day_share

    start, end = ctx.period
    return science_day_share(user=ctx.user, region_code=ctx.region_code, date_from=start, date_to=end)[0]


register(
    Kpi(
        "stem.courses.offered",
        "本学期开设STEM课程数",
        f"{_STEM_TERM}门数。",
        "门",
        ("stem",),
        lambda ctx: _stem_offered(ctx).count(),
        _STEM_SOURCE,
        _stem_offered,
    )
)
register(
    Kpi(
        "stem.courses.by_carrier",
        "STEM课程（按载体）",
        f"{_STEM_TERM}按载体（学科融合、传统文化、现代科技、游戏活动）计数。",
        "门",
        ("stem",),
        _stem_by("carrier"),
        _STEM_SOURCE,
    )
)
register(
    Kpi(
        "stem.courses.by_stage",
        "STEM课程（按学段）",
        f"{_STEM_TERM}按学段（学前、小学、初中、高中）计数。",
        "门",
        ("stem",),
        _stem_by("stage"),
        _STEM_SOURCE,
    )
)
register(
    Kpi(
        "stem.courses.recognised",
        "省级优秀STEM课程数",
        "统计日前经学校申报、县级审核、市级推荐、省级认定的省级优秀STEM课程门数（公开课程库收录数）。",
        "门",
        ("stem",),
        lambda ctx: _stem_recognised(ctx).count(),
        _STEM_SOURCE + "（规范现有STEM教育课程开展）",
        _stem_recognised,
    )
)
register(
    Kpi(
        "stem.courses.adoptions",
        "优秀课程被采用次数",
        "其他学校（幼儿园）从公开课程库采用省级优秀STEM课程、且采用后开设日期不晚于统计日的次数（采用学校在范围内）。",
        "次",
        ("stem",),
        lambda ctx: _stem_adoptions(ctx).count(),
        _STEM_SOURCE,
        _stem_adoptions,
    )
)
register(
    Kpi(
        "stem.reviews.overdue",
        "逾期未办STEM课程审核",
        "统计日仍待县级审核、市级推荐或省级认定且已超过本级办理期限（工作日）的课程门数（按当前状态）。",
        "门",
        ("stem",),
        lambda ctx: _stem_overdue(ctx).count(),
        "规则数据 stem.review.*_workdays",
        _stem_overdue,
    )
)
register(
    Kpi(
        "stem.rural.coverage_rate",
        "农村学校STEM课程开设率",
        "本学期开设至少1门STEM课程的乡村学校（含幼儿园；“农村”口径为规则数据 stem.rural.classes）数 ÷ 乡村学校数。",
        "比例",
        ("stem", "schools"),
        lambda ctx: _stem_reach(ctx).total().rural_rate,
        _STEM_SOURCE + "（关注农村学生STEM教育开展情况）",
        _stem_rural_offering,
    )
)
register(
    Kpi(
        "stem.urban.coverage_rate",
        "城区学校STEM课程开设率",
        "本学期开设至少1门STEM课程的城区学校（含幼儿园）数 ÷ 城区学校数。",
        "比例",
        ("stem", "schools"),
        lambda ctx: _stem_reach(ctx).total().urban_rate,
        _STEM_SOURCE,
    )
)
register(
    Kpi(
        "stem.town.coverage_rate",
        "镇区学校STEM课程开设率",
        "本学期开设至少1门STEM课程的镇区学校（含幼儿园）数 ÷ 镇区学校数。",
        "比例",
        ("stem", "schools"),
        lambda ctx: _stem_reach(ctx).total().town_rate,
        _STEM_SOURCE,
    )
)
register(
    Kpi(
        "stem.rural.gap",
        "城乡STEM开设率差距",
        "城区学校STEM课程开设率 − 农村学校STEM课程开设率（比例，正数表示农村落后）。",
        "比例",
        ("stem",),
        lambda ctx: _stem_reach(ctx).total().gap,
        _STEM_SOURCE,
    )
)
register(
    Kpi(
        "stem.rural.counties_below_target",
        "农村开设率低于目标的县市区数",
        "有乡村学校、且农村学校STEM课程开设率低于目标（规则数据 stem.rural.coverage_target）的县市区个数。",
        "个",
        ("stem",),
        lambda ctx: len(_stem_reach(ctx).counties_below_target()),
        "规则数据 stem.rural.coverage_target",
    )
)
register(
    Kpi(
        "stem.pupils_reached",
        "STEM课程覆盖学生数",
        "本学期开设的STEM课程的参与学生数，按学校合计且不超过该校在校生数，再汇总。",
        "人",
        ("stem",),
        lambda ctx: _stem_reach(ctx).total().pupils,
        _STEM_SOURCE,
    )
)
register(
    Kpi(
        "stem.awards",
        "STEM赛事获奖（入选）作品数",
        "统计日前取得名次、奖项或入选前N强的参赛作品数（如第四届中国STEM教育发展大会前50强）。",
        "项",
        ("stem",),
        lambda ctx: _stem_awards(ctx).count(),
        _STEM_SOURCE,
        _stem_awards,
    )
)
register(
    Kpi(
        "stem.research.projects",
        "STEM课题数",
        "统计日前申报的STEM课题数（含未立项）。",
        "项",
        ("stem",),
        lambda ctx: _stem_research(ctx).count(),
        _STEM_SOURCE + "（将STEM教育研究延伸到幼儿阶段）",
        _stem_research,
    )
)
register(
    Kpi(
        "stem.research.by_state",
        "STEM课题（按状态）",
        "统计日前申报的STEM课题按当前状态（申请立项、已立项、中期、结题等）计数。",
        "项",
        ("stem",),
        _stem_research_by_state,
        _STEM_SOURCE,
    )
)
register(
    Kpi(
        "stem.after_school.science_day_share",
        "课后服务科普/STEM活动日占比",
        "统计期间内课后服务周报：开展科普/STEM活动的天数之和 ÷ 开展课后服务的天数之和（周报所在周的周一落在期间起前6天至期间止之间）。",
        "比例",
        ("stem", "schools"),
        _stem_science_share,
        _STEM_SOURCE + "（课后服务引入科普资源）",
    )
)


# --- Co-governance and co-education (issue 18): registered from their own module ------------
from . import kpis_governance  # noqa: E402,F401

# --- School–enterprise cooperation (校企合作, issue 16) -------------------------------------------
# Stocks on the as-of date; definitions in shuangjian.cooperation.selectors (DESIGN.md kpis contract).


def _coop_programmes(ctx: KpiContext, kind: str) -> QuerySet:
    from shuangjian.cooperation import selectors as coop
    from shuangjian.cooperation.models import Programme

    if kind == "APPRENTICESHIP":
        return coop.apprenticeship_programmes(ctx.scoped(Programme), ctx.as_of)
    return coop.active_programmes(ctx.scoped(Programme), ctx.as_of, kind)


def _coop_schools(ctx: KpiContext, kind: str) -> QuerySet:
    from shuangjian.cooperation import selectors as coop
    from shuangjian.vocational.models import VocationalSchool

    return coop.schools_with(ctx.scoped(VocationalSchool), _coop_programmes(ctx, kind))


def _coop_associate_schools(ctx: KpiContext) -> QuerySet:
    from shuangjian.cooperation import selectors as coop
    from shuangjian.vocational.models import VocationalSchool

    return ctx.scoped(VocationalSchool).filter(coop.school_open_q(ctx.as_of), level=coop.ASSOCIATE_LEVEL)


def _coop_piloting(ctx: KpiContext) -> QuerySet:
    from shuangjian.cooperation import selectors as coop

    return coop.piloting_schools(_coop_associate_schools(ctx), ctx.as_of)


def _coop_sites(ctx: KpiContext, active: bool) -> QuerySet:
    from shuangjian.cooperation import selectors as coop
    from shuangjian.cooperation.models import AssessmentSite

    qs = ctx.scoped(AssessmentSite)
    return coop.sites_active(qs, ctx.as_of) if active else coop.sites_built(qs, ctx.as_of)


def _coop_outcomes(ctx: KpiContext) -> QuerySet:
    from shuangjian.cooperation import selectors as coop
    from shuangjian.cooperation.models import Programme

    start, end = coop.placement_window(ctx.as_of, ctx.date_from, ctx.date_to)
    return coop.outcomes_in(ctx.scoped(Programme), start, end)


def _coop_sessions(ctx: KpiContext) -> QuerySet:
    from shuangjian.cooperation.models import AssessmentSession

    start, end = ctx.period
    return ctx.scoped(AssessmentSession).filter(held_on__gte=start, held_on__lte=end)


def _coop_majors(ctx: KpiContext) -> int:
    from shuangjian.cooperation.selectors import distinct_majors

    return distinct_majors(_coop_programmes(ctx, "APPRENTICESHIP"))


def _coop_sum(qs: QuerySet, field: str) -> int:
    from django.db.models import Sum

    return qs.aggregate(n=Sum(field))["n"] or 0


_COOP_ACTIVE = (
    "已备案（已备案或已结业）、协议签订日期不晚于统计日、结束日期为空或晚于统计日、且学校在统计日未停办的"
)
_COOP_SOURCE = "湘教复字〔2023〕283号 三（一）；DESIGN.md kpis"
register(
    Kpi(
        "vocational.apprenticeship.schools",
        "开展中国特色学徒制的高职院校数",
        f"有{_COOP_ACTIVE}学徒制项目的高职专科学校所数。",
        "所",
        ("cooperation",),
        lambda ctx: ctx.memo("coop:app:schools", lambda: _coop_schools(ctx, "APPRENTICESHIP").count()),
        _COOP_SOURCE,
        lambda ctx: _coop_schools(ctx, "APPRENTICESHIP"),
    )
)
register(
    Kpi(
        "vocational.apprenticeship.majors",
        "学徒制涉及专业数",
        "上述学徒制项目中不同的“学校×专业”组合个数。",
        "个",
        ("cooperation",),
        lambda ctx: _coop_majors(ctx),
        _COOP_SOURCE,
        lambda ctx: _coop_programmes(ctx, "APPRENTICESHIP"),
    )
)
register(
    Kpi(
        "vocational.apprenticeship.students",
        "学徒制培养学生数",
        "上述学徒制项目（高职专科学校）学生人数之和。",
        "人",
        ("cooperation",),
        lambda ctx: _coop_sum(_coop_programmes(ctx, "APPRENTICESHIP"), "students"),
        _COOP_SOURCE,
        lambda ctx: _coop_programmes(ctx, "APPRENTICESHIP"),
    )
)
register(
    Kpi(
        "vocational.order_class.schools",
        "推行订单培养的职业院校数",
        f"有{_COOP_ACTIVE}订单班的职业院校所数（各办学层次）。",
        "所",
        ("cooperation",),
        lambda ctx: ctx.memo("coop:oc:schools", lambda: _coop_schools(ctx, "ORDER_CLASS").count()),
        _COOP_SOURCE,
        lambda ctx: _coop_schools(ctx, "ORDER_CLASS"),
    )
)
register(
    Kpi(
        "vocational.order_class.students",
        "订单班学生规模",
        "上述订单班学生人数之和。",
        "人",
        ("cooperation",),
        lambda ctx: _coop_sum(_coop_programmes(ctx, "ORDER_CLASS"), "students"),
        _COOP_SOURCE,
        lambda ctx: _coop_programmes(ctx, "ORDER_CLASS"),
    )
)
register(
    Kpi(
        "vocational.order_class.placement_rate",
        "订单班订单企业录用率",
        "毕业日期在统计期间（未指定时为统计日前12个月）的订单班：订单企业录用人数之和 ÷ 毕业人数之和。",
        "比例",
        ("cooperation",),
        lambda ctx: rate(
            _coop_sum(_coop_outcomes(ctx), "hired_by_orderer"), _coop_sum(_coop_outcomes(ctx), "graduates")
        ),
        "issue 16（订单班毕业去向）",
        _coop_outcomes,
    )
)
register(
    Kpi(
        "vocational.x_certificate.pilot_share",
        "1+X证书制度试点高职院校占比",
        "统计日开展1+X试点的高职专科学校（承建当日有效的考核站点，或当年有学生参加其站点考核）÷ 统计日在办的高职专科学校。",
        "比例",
        ("cooperation",),
        lambda ctx: rate(
            ctx.memo("coop:pilot", lambda: _coop_piloting(ctx).count()),
            ctx.memo("coop:assoc", lambda: _coop_associate_schools(ctx).count()),
        ),
        _COOP_SOURCE,
        _coop_piloting,
    )
)
register(
    Kpi(
        "vocational.x_certificate.sites",
        "累计建设1+X考核站点数",
        "批准日期不晚于统计日的考核站点个数（含此后撤销的：累计建设）。",
        "个",
        ("cooperation",),
        lambda ctx: _coop_sites(ctx, False).count(),
        _COOP_SOURCE,
        lambda ctx: _coop_sites(ctx, False),
    )
)
register(
    Kpi(
        "vocational.x_certificate.sites_active",
        "有效1+X考核站点数",
        "统计日有效的考核站点个数（已批准且未撤销，或撤销日期晚于统计日）。",
        "个",
        ("cooperation",),
        lambda ctx: _coop_sites(ctx, True).count(),
        _COOP_SOURCE,
        lambda ctx: _coop_sites(ctx, True),
    )
)
register(
    Kpi(
        "vocational.x_certificate.candidates",
        "1+X考核参考人次",
        "考核日期在统计期间内的考核批次参考人数之和。",
        "人次",
        ("cooperation",),
        lambda ctx: _coop_sum(_coop_sessions(ctx), "candidates"),
        "issue 16",
        _coop_sessions,
    )
)
register(
    Kpi(
        "vocational.x_certificate.pass_rate",
        "1+X考核通过率",
        "考核日期在统计期间内的考核批次：通过人数之和 ÷ 参考人数之和。",
        "比例",
        ("cooperation",),
        lambda ctx: rate(
            _coop_sum(_coop_sessions(ctx), "passed"), _coop_sum(_coop_sessions(ctx), "candidates")
        ),
        "issue 16",
        _coop_sessions,
    )
)
