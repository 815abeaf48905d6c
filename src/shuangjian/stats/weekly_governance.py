"""The weekly report's co-governance section (issue 18): figures from the KPI registry, the
coordination group's overdue tasks listed one by one, and the counties short of the admission goals."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .kpis import KPIS, KpiContext, compute_kpis

TITLE = "八、协同治理与家校共育"
IDS = [
    "governance.supervisors.in_office",
    "governance.supervisors.province",
    "governance.supervision_tasks.done",
    "governance.findings.total",
    "governance.findings.confirmed",
    "governance.coordination.units",
    "governance.coordination.tasks_overdue",
    "governance.rectifications.overdue",
    "coeducation.parent_schools",
    "coeducation.activities",
    "coeducation.family_week_activities",
    "coeducation.online_lessons_completed",
    "admissions.quota_share",
    "admissions.quota_admission_ratio",
    "admissions.cross_district",
    "governance.publicity.by_kind",
]


def governance_section(*, monday: dt.date, sunday: dt.date, region_code: str, user: Any) -> Any:
    """A :class:`~shuangjian.stats.weekly.Section` for the week ``monday``..``sunday``."""
    from shuangjian.governance.selectors import admission_shortfalls, coordination_overdue

    from .weekly import Section, Table, _fmt

    section = Section(TITLE)
    ctx = KpiContext(as_of=sunday, date_from=monday, date_to=sunday, region_code=region_code, user=user)
    ids = [k for k in IDS if k in KPIS]
    values = compute_kpis(ctx, ids)
    rows = []
    for k in ids:
        if isinstance(values[k], dict):
            section.tables.append(
                Table(KPIS[k].name, ["类别", "数量"], [[a, b] for a, b in values[k].items()])
            )
        else:
            rows.append([KPIS[k].name, _fmt(k, values[k]), KPIS[k].definition])
    section.tables.insert(0, Table("主要指标", ["指标", "本周", "口径"], rows))
    overdue = list(
        coordination_overdue(as_of=sunday, user=user, region_code=region_code).order_by("due_date", "pk")
    )
    if overdue:
        section.tables.append(
            Table(
                "逾期未办结的协调小组交办任务",
                ["承办单位", "任务", "交办日期", "办理期限", "逾期（天）"],
                [
                    [
                        t.unit.name,
                        t.title,
                        t.assigned_on.isoformat(),
                        t.due_date.isoformat(),
                        (sunday - t.due_date).days,
                    ]
                    for t in overdue
                ],
            )
        )
    else:
        section.paragraphs.append("本周无逾期未办结的协调小组交办任务。")
    year = values.get("admissions.year") or compute_kpis(ctx, ["admissions.year"])["admissions.year"]
    if year:
        short = admission_shortfalls(year=year, user=user, region_code=region_code)
        if short:
            section.tables.append(
                Table(
                    f"{year}年招生未达标区县",
                    ["区县", "问题"],
                    [[s["name"], "；".join(s["problems"])] for s in short],
                )
            )
    return section
