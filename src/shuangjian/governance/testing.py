"""Scoping coverage of the co-governance pages (see shuangjian.common.testing)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from shuangjian.common.testing import ScopeCase

_n = {"n": 0}


def _next() -> int:
    _n["n"] += 1
    return _n["n"]


def make_supervisor(county, **fields: Any):
    """A county-level supervisor in office in ``county`` (tests only)."""
    from .services import supervisor_appoint

    code = county if isinstance(county, str) else county.code
    n = _next()
    return supervisor_appoint(
        actor=None,
        number=fields.pop("number", f"T{code}{n:04d}"),
        name=fields.pop("name", f"范围测试监督员{code}{n}"),
        region_code=code,
        term_start=fields.pop("term_start", dt.date(2022, 1, 1)),
        term_end=fields.pop("term_end", dt.date(2099, 12, 31)),
        **fields,
    )


def _supervisor(county) -> tuple[dict[str, Any], str]:
    s = make_supervisor(county)
    return {"pk": s.pk}, s.number


def _task(county) -> tuple[dict[str, Any], str]:
    from .services import task_assign

    s = make_supervisor(county)
    task = task_assign(
        actor=None,
        supervisor=s,
        kind="INSTITUTION_VISIT",
        title=f"范围测试任务{county.code}",
        county_code=county.code,
    )
    return {"pk": task.pk}, task.title


def make_unit(county):
    from .services import unit_add

    return unit_add(
        actor=None,
        region_code=county.code,
        name=f"范围测试单位{county.code}{_next()}",
        joined_on=dt.date(2022, 1, 1),
        source="测试",
    )


def _unit(county) -> tuple[dict[str, Any], str]:
    unit = make_unit(county)
    return {"pk": unit.pk}, unit.name


def _coordination_task(county) -> tuple[dict[str, Any], str]:
    from .services import coordination_task_assign

    task = coordination_task_assign(
        actor=None,
        unit=make_unit(county),
        title=f"范围测试交办{county.code}",
        working_days=1,
        assigned_on=dt.date(2023, 1, 3),
    )
    return {"pk": task.pk}, task.title


def make_campaign(county, name: str | None = None):
    from .services import campaign_create, indicator_set_define

    indicator_set = indicator_set_define(
        actor=None,
        year=2000 + _next() % 90,
        name="测试指标",
        source="测试",
        source_status="UNCERTAIN",
        indicators=[
            {
                "code": "1",
                "name": "压减率",
                "weight": 60,
                "method": "KPI",
                "kpi_id": "institutions.offline_compulsory_subject.reduction_rate",
                "target": 0.8,
            },
            {"code": "2", "name": "督查组评分", "weight": 40, "method": "INSPECTOR"},
        ],
    )
    day = dt.date(2022, 6, 1)
    return campaign_create(
        actor=None,
        name=name or f"范围测试督查{county.code}{_next()}",
        indicator_set=indicator_set,
        start_on=day,
        end_on=day,
        as_of=day,
        period_from=dt.date(2022, 1, 1),
        period_to=day,
        organiser="测试",
        region_codes=[county.code],
    )


def _campaign(county) -> tuple[dict[str, Any], str]:
    campaign = make_campaign(county)
    return {"pk": campaign.pk}, campaign.name


def _target(county) -> tuple[dict[str, Any], str]:
    campaign = make_campaign(county)
    return {"pk": campaign.targets.get().pk}, campaign.name


def _admission(county) -> tuple[dict[str, Any], str]:
    from .models import AdmissionPlan

    plan = AdmissionPlan.objects.create(
        year=2022,
        county_id=county.code,
        school_code=f"H{county.code}{_next()}",
        school_name=f"范围测试高中{county.code}",
        plan_total=100,
        quota_allocated=50,
    )
    return {}, plan.school_name


def _publicity(county) -> tuple[dict[str, Any], str]:
    from .services import publicity_record

    event = publicity_record(
        actor=None,
        region_code=county.code,
        kind="INTERVIEW",
        title=f"范围测试访谈{county.code}",
        held_on=dt.date(2022, 6, 1),
    )
    return {}, event.title


SCOPE_CASES = [
    ScopeCase("governance:supervisors", "list", _supervisor),
    ScopeCase("governance:supervisor", "detail", _supervisor),
    ScopeCase("governance:task", "detail", _task),
    ScopeCase("governance:units", "list", _unit),
    ScopeCase("governance:unit", "detail", _unit),
    ScopeCase("governance:coordination_task", "detail", _coordination_task),
    ScopeCase("governance:coordination_overdue", "list", _coordination_task),
    ScopeCase("governance:campaigns", "list", _campaign),
    ScopeCase("governance:campaign", "detail", _campaign),
    ScopeCase("governance:target", "detail", _target),
    ScopeCase("governance:admissions", "list", _admission),
    ScopeCase("governance:publicity", "list", _publicity),
    ScopeCase("stats:evaluation", "list", _campaign),
    ScopeCase("stats:evaluation_target", "detail", _target),
]
SCOPE_EXEMPT = {
    "governance:index": "counts through visible_to / selectors(user=...) (tests/test_pages.py::test_index_is_scoped)",
    "governance:supervisor_new": "form; regions limited to the user's subtree, service refuses others (tests/test_supervisors.py)",
    "governance:my_tasks": "a supervisor's own tasks only; regulators 403 (tests/test_supervisors.py)",
    "governance:my_task": "a supervisor's own task only; another's 404 (tests/test_supervisors.py)",
    "governance:import": "upload form; every row must lie in the uploader's region (tests/test_imports.py)",
}
