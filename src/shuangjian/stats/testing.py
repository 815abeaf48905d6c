"""Scoping coverage of the statistics pages (see shuangjian.common.testing)."""

import datetime as dt

from shuangjian.common.testing import ScopeCase, make_institution


def _supervised_institution(county):
    from shuangjian.institutions.models import InstitutionEpisode

    institution = make_institution(county, fund_supervised=True)
    InstitutionEpisode.objects.create(
        institution=institution, category="SUBJECT", mode="OFFLINE", audiences="COMPULSORY",
        approved_on=dt.date(2020, 1, 1),
    )
    return {"kpi_id": "institutions.active"}, institution.credit_code


SCOPE_CASES = [
    ScopeCase("stats:records", "list", _supervised_institution, query="?as_of=2023-06-05"),
]
SCOPE_EXEMPT = {
    "stats:index": "figures through KpiContext(user=...) (tested in test_dashboard_scoping)",
    "stats:definitions": "definitions only, no records",
}
