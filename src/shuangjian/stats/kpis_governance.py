"""KPIs of co-governance (协同治理) and home–school co-education (家校社共育), in the one registry.

Imported at the end of :mod:`shuangjian.stats.kpis`. Stock figures (supervisors in office, member
units, parent schools) are taken on the as-of date; flow figures (findings, activities, lessons
completed, publicity) over the period; the inspection figures describe the latest campaign that
started on or before the as-of date; admission figures the latest admission year not after the
as-of year. Sources: 湘教复字〔2023〕283号 (the seed document, "seed" below).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from shuangjian.regions.choices import RegionLevel

from .kpis import KPIS, Kpi, KpiContext, rate, register

SEED = "湘教复字〔2023〕283号"


# --- Social supervisors ---------------------------------------------------------------------------


def _supervisors(level: str | None):
    def records(ctx: KpiContext) -> QuerySet:
        from shuangjian.governance.selectors import supervisors_in_office

        return supervisors_in_office(as_of=ctx.as_of, user=ctx.user, region_code=ctx.region_code, level=level)

    return records


def _count(records):
    return lambda ctx: records(ctx).count()


for _level, _suffix, _label in (
    (None, "in_office", "在任社会监督员数"),
    ("PROVINCE", "province", "在任省级社会监督员数"),
    ("CITY", "city", "在任市级社会监督员数"),
    ("COUNTY", "county", "在任县级社会监督员数"),
):
    _records = _supervisors(_level)
    register(
        Kpi(
            f"governance.supervisors.{_suffix}",
            _label,
            "统计日在聘期内（聘期开始≤统计日≤聘期结束，且未在统计日前离任）的社会监督员人数"
            + ("。" if _level is None else f"，限{_label[2:4]}选聘。"),
            "人",
            ("governance",),
            _count(_records),
            f"{SEED}：“选聘103名省级校外培训社会监督员”",
            _records,
        )
    )


def _findings(ctx: KpiContext) -> QuerySet:
    from shuangjian.governance.selectors import findings_qs

    start, end = ctx.period
    return findings_qs(user=ctx.user, region_code=ctx.region_code, date_from=start, date_to=end)


def _tasks_done(ctx: KpiContext) -> QuerySet:
    from shuangjian.governance.models import SupervisionTask

    start, end = ctx.period
    return ctx.scoped(SupervisionTask).filter(status="DONE", completed_on__gte=start, completed_on__lte=end)


register(
    Kpi(
        "governance.supervision_tasks.done",
        "社会监督员完成督查任务数",
        "完成日期落在统计期间内的社会监督员督查任务件数。",
        "件",
        ("governance",),
        lambda ctx: _tasks_done(ctx).count(),
        "",
        _tasks_done,
    )
)
register(
    Kpi(
        "governance.findings.total",
        "社会监督员督查发现数",
        "提交时间落在统计期间内的社会监督员督查发现条数（每条即一条来源为“社会监督”的投诉举报线索）。",
        "条",
        ("governance", "complaints"),
        lambda ctx: _findings(ctx).count(),
        "",
        _findings,
    )
)
register(
    Kpi(
        "governance.findings.confirmed",
        "经核实的督查发现数",
        "统计期间内提交的督查发现中，对应线索经区县研判为有效的条数。",
        "条",
        ("governance", "complaints"),
        lambda ctx: _findings(ctx).filter(report__is_valid=True).count(),
        "",
        lambda ctx: _findings(ctx).filter(report__is_valid=True),
    )
)


# --- Coordination group --------------------------------------------------------------------------


def _units(ctx: KpiContext) -> QuerySet:
    from shuangjian.governance.selectors import coordination_units

    return coordination_units(as_of=ctx.as_of, user=ctx.user, region_code=ctx.region_code)


def _coordination_overdue(ctx: KpiContext) -> QuerySet:
    from shuangjian.governance.selectors import coordination_overdue

    return coordination_overdue(as_of=ctx.as_of, user=ctx.user, region_code=ctx.region_code)


register(
    Kpi(
        "governance.coordination.units",
        "“双减”协调小组成员单位数",
        "统计日在册的协调小组成员单位数（本区域及下级区域的协调小组合计；省级为24家省直单位）。",
        "家",
        ("governance",),
        lambda ctx: _units(ctx).count(),
        f"{SEED}：“24家省直单位为成员的‘双减’协调小组”",
        _units,
    )
)
register(
    Kpi(
        "governance.coordination.tasks_overdue",
        "逾期未办结交办任务数",
        "交办日期不晚于统计日、办理期限（交办后若干工作日）早于统计日、且统计日时尚未办结的协调小组交办任务件数。",
        "件",
        ("governance",),
        lambda ctx: _coordination_overdue(ctx).count(),
        "",
        _coordination_overdue,
    )
)


# --- Inspection and evaluation ---------------------------------------------------------------------


def _latest_campaign(ctx: KpiContext) -> Any:
    from shuangjian.governance.models import InspectionCampaign

    return ctx.memo(
        "gov:campaign",
        lambda: (
            InspectionCampaign.objects.filter(start_on__lte=ctx.as_of).order_by("-start_on", "-id").first()
        ),
    )


def _targets(level: str):
    def records(ctx: KpiContext) -> QuerySet:
        from shuangjian.governance.models import CampaignTarget

        campaign = _latest_campaign(ctx)
        qs = ctx.scoped(CampaignTarget).filter(region__level=level)
        return qs.filter(campaign=campaign) if campaign else qs.none()

    return records


_cities, _counties = _targets(RegionLevel.PREFECTURE), _targets(RegionLevel.COUNTY)
register(
    Kpi(
        "governance.inspection.cities",
        "实地督查市州数",
        "统计日前最近一次开始的履职评价实地督查活动覆盖的市州数。",
        "个",
        ("governance",),
        lambda ctx: _cities(ctx).count(),
        f"{SEED}：“去年6月……在14个市州、39个县市区开展实地督查”",
        _cities,
    )
)
register(
    Kpi(
        "governance.inspection.counties",
        "实地督查县市区数",
        "统计日前最近一次开始的履职评价实地督查活动覆盖的县市区数。",
        "个",
        ("governance",),
        lambda ctx: _counties(ctx).count(),
        f"{SEED}：“去年6月……在14个市州、39个县市区开展实地督查”",
        _counties,
    )
)


def _rectifications_overdue(ctx: KpiContext) -> QuerySet:
    from django.db.models import Q

    from shuangjian.governance.models import Rectification

    return (
        ctx.scoped(Rectification)
        .filter(assigned_on__lte=ctx.as_of, due_date__lt=ctx.as_of)
        .filter(Q(submitted_on__isnull=True) | Q(submitted_on__gt=ctx.as_of))
    )


register(
    Kpi(
        "governance.rectifications.overdue",
        "逾期未整改任务数",
        "整改期限早于统计日、统计日时尚未提交整改报告的整改任务件数。",
        "件",
        ("governance",),
        lambda ctx: _rectifications_overdue(ctx).count(),
        "",
        _rectifications_overdue,
    )
)


# --- Co-education -----------------------------------------------------------------------------


def _parent_schools(ctx: KpiContext) -> QuerySet:
    from shuangjian.coeducation.selectors import parent_schools_active

    return parent_schools_active(as_of=ctx.as_of, user=ctx.user, region_code=ctx.region_code)


def _activities(ctx: KpiContext, family_week_only: bool = False) -> QuerySet:
    from shuangjian.coeducation.selectors import activities_in_period

    start, end = ctx.period
    return activities_in_period(
        date_from=start,
        date_to=end,
        user=ctx.user,
        region_code=ctx.region_code,
        family_week_only=family_week_only,
    )


def _completions(ctx: KpiContext) -> QuerySet:
    from shuangjian.coeducation.selectors import completions_in_period

    start, end = ctx.period
    return completions_in_period(date_from=start, date_to=end, user=ctx.user, region_code=ctx.region_code)


register(
    Kpi(
        "coeducation.parent_schools",
        "家长学校数",
        "统计日已成立且未停办的家长学校所数（学校、社区举办）。",
        "所",
        ("coeducation",),
        lambda ctx: _parent_schools(ctx).count(),
        f"{SEED}：“建成家长学校1.2万余所”",
        _parent_schools,
    )
)
register(
    Kpi(
        "coeducation.activities",
        "共育活动场次",
        "活动日期落在统计期间内的家校社共育活动场次（讲座进校园/进社区/进家庭、专题家长会等）。",
        "场",
        ("coeducation",),
        lambda ctx: _activities(ctx).count(),
        SEED,
        _activities,
    )
)
register(
    Kpi(
        "coeducation.activity_participants",
        "共育活动参与人次",
        "统计期间内共育活动登记的参与人数之和。",
        "人次",
        ("coeducation",),
        lambda ctx: int(sum(_activities(ctx).values_list("participants", flat=True))),
        SEED,
    )
)
register(
    Kpi(
        "coeducation.family_week_activities",
        "家庭教育宣传周活动场次",
        "统计期间内属于家庭教育宣传周的共育活动场次。",
        "场",
        ("coeducation",),
        lambda ctx: _activities(ctx, True).count(),
        f"{SEED}：“启动首个家庭教育宣传周活动”",
        lambda ctx: _activities(ctx, True),
    )
)
register(
    Kpi(
        "coeducation.online_lessons_completed",
        "网上家长学校完成课时数",
        "完成时间落在统计期间内的网上家长学校课时完成次数（同一家长同一课时只计一次；按家长所选区县统计）。",
        "次",
        ("coeducation",),
        lambda ctx: _completions(ctx).count(),
        f"{SEED}：“打造网上家长学校”",
        _completions,
    )
)
register(
    Kpi(
        "coeducation.online_learners",
        "网上家长学校学习家长数",
        "统计期间内完成至少一个课时的匿名学习者数（浏览器匿名编号去重）。",
        "人",
        ("coeducation",),
        lambda ctx: _completions(ctx).values("learner_ref").distinct().count(),
        SEED,
    )
)


# --- Admissions against 掐尖 -------------------------------------------------------------------


def _admission_year(ctx: KpiContext) -> int | None:
    from django.db.models import Max

    from shuangjian.governance.models import AdmissionPlan

    return ctx.memo(
        "adm:year",
        lambda: AdmissionPlan.objects.filter(year__lte=ctx.as_of.year).aggregate(y=Max("year"))["y"],
    )


def _admission(ctx: KpiContext) -> dict[str, Any]:
    from shuangjian.governance.selectors import admission_figures

    year = _admission_year(ctx)
    if year is None:
        return {
            "schools": 0,
            "plan": 0,
            "allocated": 0,
            "cross_district": 0,
            "quota_share": None,
            "quota_admission_ratio": None,
        }
    return ctx.memo(
        "adm:figures", lambda: admission_figures(year=year, user=ctx.user, region_code=ctx.region_code)
    )


def _plans(ctx: KpiContext) -> QuerySet:
    from shuangjian.governance.selectors import admission_plans

    year = _admission_year(ctx) or 0
    return admission_plans(year=year, user=ctx.user, region_code=ctx.region_code)


def _shortfall_counties(ctx: KpiContext) -> int:
    from shuangjian.governance.selectors import admission_shortfalls

    year = _admission_year(ctx)
    return len(admission_shortfalls(year=year, user=ctx.user, region_code=ctx.region_code)) if year else 0


def _rule(key: str):
    def compute(ctx: KpiContext) -> float:
        from shuangjian.common.rules import rule_value

        return float(rule_value(key, ctx.region_code))

    return compute


_ADM = "统计日所在年度及以前最近一个招生年度的优质普通高中招生计划"
register(Kpi("admissions.year", "招生年度", f"{_ADM}所属年度。", "年", ("governance",), _admission_year))
register(
    Kpi(
        "admissions.schools",
        "优质普通高中数",
        f"{_ADM}涉及的学校数。",
        "所",
        ("governance",),
        lambda ctx: _admission(ctx)["schools"],
        "",
        _plans,
    )
)
register(
    Kpi(
        "admissions.quota_share",
        "优质普通高中指标生分配比例",
        f"{_ADM}中：指标生分配数之和 ÷ 招生计划数之和。",
        "比例",
        ("governance",),
        lambda ctx: _admission(ctx)["quota_share"],
        f"{SEED}：“指标生分配比例达50%”",
    )
)
register(
    Kpi(
        "admissions.quota_admission_ratio",
        "指标生整体录取比例",
        f"{_ADM}中已填报录取数的学校：指标生录取数之和 ÷ 指标生分配数之和（“整体录取比例”的理解待核实）。",
        "比例",
        ("governance",),
        lambda ctx: _admission(ctx)["quota_admission_ratio"],
        f"{SEED}：“整体录取比例不低于85%”",
    )
)
register(
    Kpi(
        "admissions.quota_share_goal",
        "指标生分配比例目标",
        "规则参数 admissions.quota_share_min（可按区域设置）。",
        "比例",
        ("governance",),
        _rule("admissions.quota_share_min"),
        f"{SEED}",
    )
)
register(
    Kpi(
        "admissions.quota_admission_ratio_goal",
        "指标生整体录取比例目标",
        "规则参数 admissions.quota_admission_ratio_min（可按区域设置）。",
        "比例",
        ("governance",),
        _rule("admissions.quota_admission_ratio_min"),
        f"{SEED}",
    )
)
register(
    Kpi(
        "admissions.cross_district",
        "跨区域招生人数",
        f"{_ADM}中登记的跨区域招生人数之和（应为0：杜绝跨区域争抢生源）。",
        "人",
        ("governance",),
        lambda ctx: _admission(ctx)["cross_district"],
        SEED,
        lambda ctx: _plans(ctx).filter(cross_district__gt=0),
    )
)
register(
    Kpi(
        "admissions.shortfall_counties",
        "招生指标未达标区县数",
        "指标生分配比例或录取比例低于目标，或存在跨区域招生的区县数。",
        "个",
        ("governance",),
        _shortfall_counties,
        SEED,
    )
)


# --- Publicity and a derived complaints rate used by the evaluation ----------------------------


def _publicity(ctx: KpiContext) -> dict[str, int]:
    from shuangjian.governance.selectors import publicity_counts

    start, end = ctx.period
    return publicity_counts(date_from=start, date_to=end, user=ctx.user, region_code=ctx.region_code)


register(
    Kpi(
        "governance.publicity.by_kind",
        "宣传活动（按形式）",
        "统计期间内登记的宣传活动数量（期/篇/条）按形式合计。",
        "条",
        ("governance",),
        _publicity,
        f"{SEED}：“双减”系列访谈、专刊、短视频、征文",
    )
)


def _closed_rate(ctx: KpiContext) -> float | None:
    return rate(KPIS["reports.closed"].compute(ctx), KPIS["reports.total"].compute(ctx))


if "reports.closed" in KPIS and "reports.closed_rate" not in KPIS:
    register(
        Kpi(
            "reports.closed_rate",
            "投诉举报办结率",
            "统计期间内受理的线索中已办结的比例：已办结线索数 ÷ 受理线索数。",
            "比例",
            ("complaints",),
            _closed_rate,
            "",
        )
    )
