"""Scoping coverage of this area's pages and endpoints (see shuangjian.common.testing)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from shuangjian.common.testing import ScopeCase


def _case(county) -> tuple[dict[str, Any], str]:
    from .services import case_open

    case = case_open(
        kind="UNDERGROUND",
        county_code=county.code,
        opened_on=timezone.localdate(),
        party_name="张三",
        party_is_person=True,
        facts="居民楼内一对一学科类培训",
    )
    return {"pk": case.pk}, case.number


def _campaign(county) -> tuple[dict[str, Any], str]:
    from .services import campaign_create

    today = timezone.localdate()
    campaign = campaign_create(
        name=f"范围测试专项{county.code}", region_code=county.code, start_on=today, end_on=today
    )
    return {"pk": campaign.pk}, campaign.name


def _inspection(county) -> tuple[dict[str, Any], str]:
    from .services import inspection_record

    inspection_record(
        county_code=county.code, inspected_on=timezone.localdate(), place=f"范围测试检查地点{county.code}"
    )
    return {}, f"范围测试检查地点{county.code}"


SCOPE_CASES = [
    ScopeCase("enforcement:inspections", "list", _inspection),
    ScopeCase("enforcement:index", "list", _case),
    ScopeCase("enforcement:case", "detail", _case),
    ScopeCase("enforcement:campaigns", "list", _campaign),
    ScopeCase("enforcement:campaign", "detail", _campaign),
    ScopeCase("enforcement:campaign_export", "detail", _campaign),
]
SCOPE_EXEMPT = {
    "enforcement:export": "xlsx of enforcement:index's scoped list (tests/test_pages.py::test_case_export_is_scoped)",
    "enforcement:case_create": "form; counties limited to the user's region, sources looked up through visible_to "
    "(tests/test_pages.py::test_case_create_refuses_foreign_sources)",
    "enforcement:inspection_create": "form; counties limited to the user's region, institution looked up through "
    "visible_to (tests/test_cases.py::test_inspection_page)",
    "enforcement:campaign_create": "form; regions limited to the user's subtree (tests/test_pages.py)",
}
