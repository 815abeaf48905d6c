"""Scoping coverage of the operations pages (see shuangjian.common.testing)."""

SCOPE_CASES: list = []
SCOPE_EXEMPT = {
    "ops:jobs": "provincial regulators only; shows the province-wide daily jobs, no region-scoped record",
    "ops:job_history": "provincial regulators only; run records of a province-wide job (test_jobs_page)",
}
