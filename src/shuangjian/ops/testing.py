"""Scoping coverage of the operations pages (see shuangjian.common.testing)."""

from shuangjian.common.testing import ScopeCase


def _task(county):
    from shuangjian.ops.models import BackgroundTask

    task = BackgroundTask.objects.create(
        kind="import:institutions",
        title=f"导入机构名册：{county.code}-名册.csv",
        region=county,
        status="SUCCEEDED",
        result={"summary": "已导入"},
    )
    return {"pk": task.pk}, task.title


def _task_list(county):
    _kwargs, marker = _task(county)
    return {}, marker


SCOPE_CASES = [
    ScopeCase("ops:tasks", "list", _task_list),
    ScopeCase("ops:task", "detail", _task),
    ScopeCase("ops:task_progress", "detail", _task),
]
SCOPE_EXEMPT = {
    "ops:jobs": "provincial regulators only; shows the province-wide daily jobs, no region-scoped record",
    "ops:job_history": "provincial regulators only; run records of a province-wide job (test_jobs_page)",
    "ops:import": "upload form; the task it creates is scoped (ops:task); rows checked by the importer",
    "ops:weekly": "POST only; the region is checked by stats.selectors.region_for (404 outside the scope)",
    "ops:compliance_scan": "POST only; scans the regulator's own region (test_background)",
}
