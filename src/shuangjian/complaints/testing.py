"""Scoping coverage of this area's pages and endpoints (see shuangjian.common.testing)."""

from __future__ import annotations

from typing import Any

from shuangjian.common.testing import ScopeCase


def _report(county) -> tuple[dict[str, Any], str]:
    from .choices import ReportType, Source
    from .services import report_create

    report, _code = report_create(
        source=Source.PHONE,
        report_type=ReportType.ILLEGAL_CHARGING,
        county_code=county.code,
        description=f"范围测试举报内容 {county.code}",
        with_query_code=False,
    )
    return {"pk": report.pk}, report.number


def _overdue_report(county) -> tuple[dict[str, Any], str]:
    import datetime as dt

    from django.utils import timezone

    from .choices import ReportType, Source
    from .services import report_create

    report, _code = report_create(
        source=Source.PHONE,
        report_type=ReportType.OTHER,
        county_code=county.code,
        description=f"逾期范围测试 {county.code}",
        with_query_code=False,
        received_at=timezone.now() - dt.timedelta(days=60),
    )
    return {}, report.number


def _photo(county) -> tuple[dict[str, Any], str]:
    from .choices import ReportType, Source
    from .photos import process_photo
    from .services import report_create
    from .tests.helpers import jpeg_bytes

    report, _code = report_create(
        source=Source.PHONE,
        report_type=ReportType.OTHER,
        county_code=county.code,
        description=f"照片范围测试 {county.code}",
        with_query_code=False,
        photos=[process_photo("a.jpg", jpeg_bytes())],
    )
    return {"pk": report.photos.get().pk, "size": "thumb"}, ""


SCOPE_CASES = [
    ScopeCase("complaints:index", "list", _report),
    ScopeCase("complaints:detail", "detail", _report),
    ScopeCase("complaints:overdue", "list", _overdue_report),
    ScopeCase("complaints:photo", "detail", _photo),
    ScopeCase("complaints:api-reports", "list", _report),
    ScopeCase("complaints:api-report", "detail", _report),
]
SCOPE_EXEMPT = {
    "complaints:export": "xlsx of complaints:index's scoped list (tested in tests/test_views.py::test_export_is_scoped)",
    "complaints:api-stats": "report_stats(user=...) through visible_to (tests/test_stats.py::test_stats_api_is_scoped)",
    "complaints:statistics": "aggregates through report_stats(user=...) (tested in tests/test_stats.py)",
    "complaints:register": "form; the county choices are limited to the user's region (tests/test_views.py)",
    "complaints:act": "POST-only handling steps through visible_to (tests/test_views.py::test_act_foreign_is_404)",
    "complaints:public_new": "public report form (no record shown)",
    "complaints:public_done": "the submitter's own receipt from its session",
    "complaints:public_track": "public; a report is shown only for its number + query code",
    "complaints:institution_search": "public registry data (name, credit code, county)",
    "complaints:public_resolve": "public address → county preview (region table only)",
    "complaints:public_pending_photo": "the session's own kept photo only",
}
