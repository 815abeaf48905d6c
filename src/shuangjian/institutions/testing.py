"""Scoping coverage of the registry's pages and endpoints (see shuangjian.common.testing)."""

from shuangjian.common.testing import ScopeCase, make_institution


def _institution(county):
    institution = make_institution(county)
    return {"pk": institution.pk}, institution.credit_code


SCOPE_CASES = [
    ScopeCase("institutions:index", "list", _institution),
    ScopeCase("institutions:detail", "detail", _institution),
]
SCOPE_EXEMPT: dict[str, str] = {}
