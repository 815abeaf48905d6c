"""Scoping coverage of this area's pages and endpoints (see shuangjian.common.testing)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from shuangjian.common.testing import ScopeCase


def _warned(county) -> tuple[Any, Any]:
    """An institution in ``county`` with an assessment, a red warning and its task (crafted inputs)."""
    from shuangjian.common.testing import make_institution
    from shuangjian.common.workdays import WorkdayCalendar

    from .scoring import SignalInputs, params_default, score
    from .services import ScanSummary, _apply

    inst = make_institution(county, name=f"风险范围测试机构{county.code}")
    result = score(SignalInputs(collapse_reports=1, smoke_reports=3), params_default())
    warning = _apply(inst, timezone.localdate(), result, WorkdayCalendar(), ScanSummary())
    return inst, warning


def _board(county) -> tuple[dict[str, Any], str]:
    inst, _warning = _warned(county)
    return {}, inst.name


def _institution(county) -> tuple[dict[str, Any], str]:
    inst, _warning = _warned(county)
    return {"pk": inst.pk}, inst.name


def _task(county) -> tuple[dict[str, Any], str]:
    inst, warning = _warned(county)
    return {"pk": warning.task.pk}, inst.name


SCOPE_CASES = [
    ScopeCase("risk:index", "list", _board),
    ScopeCase("risk:institution", "detail", _institution),
    ScopeCase("risk:tasks", "list", _task),
    ScopeCase("risk:task", "detail", _task),
]
SCOPE_EXEMPT: dict[str, str] = {}
