"""Scoping coverage of the statistics pages (see shuangjian.common.testing)."""

import datetime as dt

from shuangjian.common.testing import ScopeCase, make_institution


def _supervised_institution(county):
    from shuangjian.institutions.models import InstitutionEpisode

    institution = make_institution(county, fund_supervised=True)
    InstitutionEpisode.objects.create(
        institution=institution,
        category="SUBJECT",
        mode="OFFLINE",
        audiences="COMPULSORY",
        approved_on=dt.date(2020, 1, 1),
    )
    return {"kpi_id": "institutions.active"}, institution.credit_code


def _issue(county):
    from django.core.files.base import ContentFile

    from shuangjian.stats.models import WeeklyReportIssue

    issue = WeeklyReportIssue(region_id=county.code, week="2023-W22", number=20)
    issue.docx.save(f"{county.code}-2023-W22.docx", ContentFile(b"PK-test"), save=False)
    issue.save()
    return {"pk": issue.pk, "fmt": "docx"}, county.full_name


SCOPE_CASES = [
    ScopeCase("stats:records", "list", _supervised_institution, query="?as_of=2023-06-05"),
    ScopeCase("stats:weekly_archive", "list", _issue),
    ScopeCase("stats:weekly_file", "detail", _issue),
]
SCOPE_EXEMPT = {
    "stats:index": "figures through KpiContext(user=...) (tested in test_dashboard_scoping)",
    "stats:definitions": "definitions only, no records",
    "stats:weekly": "figures through KpiContext(user=...); foreign region 404 (test_weekly_page_scoping)",
    "stats:weekly_download": "same as stats:weekly (test_weekly_page_scoping)",
}
