"""The one scoping mechanism, checked for every registered page and API endpoint.

A URL pattern of the project that appears neither in an area's ``SCOPE_CASES`` nor in its
``SCOPE_EXEMPT`` makes ``test_every_view_is_covered`` fail with the list of uncovered names, so a
newly added view cannot escape the check.

Query budgets (STYLE.md §10): the walk also counts the SQL queries of the owner's response to
every page and API endpoint (a repeated request, caches warm) and compares them with the committed
baseline of the case's app, ``<app>/tests/query_budgets.json``. A count above its budget fails.
``QUERY_BUDGETS_WRITE=1 pytest src/shuangjian/common/tests/test_scoping.py`` rewrites the measured
entries (``=max`` keeps the larger of the stored and measured counts: run it on SQLite and then on
PostgreSQL). A case without a budget yet is measured but not checked.
"""

from __future__ import annotations

import importlib
import json
import os
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from shuangjian.common.testing import ScopeCase

COUNTY_A = "430102"  # 长沙市芙蓉区
COUNTY_B = "430405"  # 衡阳市珠晖区
SKIPPED_NAMESPACES = {"admin"}


def _registry() -> tuple[list[ScopeCase], dict[str, str], list[str]]:
    """(cases, exemptions, the app label that registered each case)."""
    cases: list[ScopeCase] = []
    exempt: dict[str, str] = {}
    owners: list[str] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("shuangjian."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.testing")
        except ModuleNotFoundError:
            continue
        found = getattr(module, "SCOPE_CASES", [])
        cases.extend(found)
        owners.extend([config.label] * len(found))
        exempt.update(getattr(module, "SCOPE_EXEMPT", {}))
    return cases, exempt, owners


def _url_names(resolver: URLResolver | None = None, namespace: str = "") -> list[str]:
    resolver = resolver or get_resolver()
    names: list[str] = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names.extend(_url_names(entry, inner))
        elif isinstance(entry, URLPattern):
            if entry.name is None:
                raise AssertionError(f"URL pattern {entry.pattern} has no name; every view must be named")
            names.append(f"{namespace}{entry.name}")
    return names


CASES, EXEMPT, OWNERS = _registry()


def _case_ids(cases: list[ScopeCase]) -> list[str]:
    """``url_name-kind[-query]`` per case, numbered when the same one appears twice."""
    ids: list[str] = []
    for case in cases:
        base = f"{case.url_name}-{case.kind}" + (case.query if case.query else "")
        candidate, n = base, 1
        while candidate in ids:
            n += 1
            candidate = f"{base}#{n}"
        ids.append(candidate)
    return ids


CASE_IDS = _case_ids(CASES)
BUDGET_MODE = os.environ.get("QUERY_BUDGETS_WRITE", "")
MEASURED: dict[str, dict[str, int]] = {}  # app label → {case id: queries}


def budget_path(app_label: str) -> Path:
    """The committed query budgets of one app."""
    return Path(apps.get_app_config(app_label).path) / "tests" / "query_budgets.json"


def _budgets(app_label: str) -> dict[str, int]:
    path = budget_path(app_label)
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


@pytest.fixture(scope="module", autouse=True)
def _write_budgets():
    """With ``QUERY_BUDGETS_WRITE`` set, store what the walk measured once the module is done."""
    yield
    if not BUDGET_MODE:
        return
    for label, measured in MEASURED.items():
        stored = _budgets(label)
        for case_id, count in measured.items():
            stored[case_id] = max(count, stored.get(case_id, 0)) if BUDGET_MODE == "max" else count
        path = budget_path(label)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            json.dumps(dict(sorted(stored.items())), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )


def test_every_view_is_covered():
    names = set(_url_names())
    covered = {c.url_name for c in CASES} | set(EXEMPT)
    uncovered = sorted(names - covered)
    assert not uncovered, f"views without a scoping case or exemption: {uncovered}"
    stale = sorted(covered - names)
    assert not stale, f"scoping registry names views that do not exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("case", "owner", "case_id"),
    list(zip(CASES, OWNERS, CASE_IDS, strict=True)),
    ids=[f"{c.url_name}-{c.kind}" for c in CASES],
)
def test_county_user_never_sees_another_county(case: ScopeCase, owner: str, case_id: str, client, make_user):
    from shuangjian.regions.models import Region

    user_a = make_user("COUNTY", region=COUNTY_A)
    user_b = make_user("COUNTY", region=COUNTY_B)
    kwargs, marker = case.make(Region.objects.get(code=COUNTY_B))
    if case.kind == "detail":
        url = reverse(case.url_name, kwargs=kwargs)
    else:
        # A list page takes no record id, but some lists are parametrised (a KPI id, a week).
        try:
            url = reverse(case.url_name)
        except NoReverseMatch:
            url = reverse(case.url_name, kwargs=kwargs)
    url += case.query

    client.force_login(user_b)
    own = client.get(url)
    assert own.status_code == 200, f"{case.url_name}: the owning county must see its record"
    if case.kind == "list":
        assert marker in own.content.decode(), f"{case.url_name}: marker missing for the owner"
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
    assert again.status_code == 200
    MEASURED.setdefault(owner, {})[case_id] = len(queries)
    budget = _budgets(owner).get(case_id)
    if budget is not None and not BUDGET_MODE:
        assert len(queries) <= budget, (
            f"{case.url_name}: {len(queries)} queries, budget {budget} ({budget_path(owner)}); "
            f"if the growth is intended: QUERY_BUDGETS_WRITE=1 pytest {__file__}\n"
            + "\n".join(q["sql"][:200] for q in queries.captured_queries)
        )

    client.force_login(user_a)
    foreign = client.get(url)
    if case.kind == "detail":
        assert foreign.status_code == 404, f"{case.url_name}: another county's record must be 404"
    else:
        assert foreign.status_code == 200
        assert marker not in foreign.content.decode(), f"{case.url_name}: leaked another county's record"


@pytest.mark.django_db
def test_city_sees_its_counties_but_not_other_cities(make_user):
    from shuangjian.common.testing import make_institution
    from shuangjian.institutions.models import Institution

    in_changsha = make_institution(COUNTY_A)
    in_hengyang = make_institution(COUNTY_B)
    changsha = make_user("CITY", region="430100")
    province = make_user("PROVINCE", region="430000")
    visible = set(Institution.objects.visible_to(changsha))
    assert in_changsha in visible and in_hengyang not in visible
    assert {in_changsha, in_hengyang} <= set(Institution.objects.visible_to(province))


@pytest.mark.django_db
def test_institution_and_school_users_see_only_their_own(make_user):
    from shuangjian.common.testing import make_institution
    from shuangjian.institutions.models import Institution
    from shuangjian.schools.models import School

    mine = make_institution(COUNTY_A)
    other = make_institution(COUNTY_A)
    staff = make_user("INSTITUTION", institution=mine)
    assert list(Institution.objects.visible_to(staff)) == [mine]
    assert other not in Institution.objects.visible_to(staff)
    school = School.objects.create(code="S1", name="甲小学", county_id=COUNTY_A, kind="PRIMARY")
    teacher = make_user("SCHOOL", school=school)
    assert list(Institution.objects.visible_to(teacher)) == []
    assert list(School.objects.visible_to(teacher)) == [school]
    supervisor = make_user("SUPERVISOR")
    assert not Institution.objects.visible_to(supervisor).exists()


def test_scoping_filter_needs_no_join():
    from shuangjian.institutions.models import Institution

    sql = str(Institution.objects.in_prefix("4301").query)
    assert "JOIN" not in sql.upper()
