"""The one scoping mechanism, checked for every registered page and API endpoint.

A URL pattern of the project that appears neither in an area's ``SCOPE_CASES`` nor in its
``SCOPE_EXEMPT`` makes ``test_every_view_is_covered`` fail with the list of uncovered names, so a
newly added view cannot escape the check.
"""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from shuangjian.common.testing import ScopeCase

COUNTY_A = "430102"  # 长沙市芙蓉区
COUNTY_B = "430405"  # 衡阳市珠晖区
SKIPPED_NAMESPACES = {"admin"}


def _registry() -> tuple[list[ScopeCase], dict[str, str]]:
    cases: list[ScopeCase] = []
    exempt: dict[str, str] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("shuangjian."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.testing")
        except ModuleNotFoundError:
            continue
        cases.extend(getattr(module, "SCOPE_CASES", []))
        exempt.update(getattr(module, "SCOPE_EXEMPT", {}))
    return cases, exempt


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


CASES, EXEMPT = _registry()


def test_every_view_is_covered():
    names = set(_url_names())
    covered = {c.url_name for c in CASES} | set(EXEMPT)
    uncovered = sorted(names - covered)
    assert not uncovered, f"views without a scoping case or exemption: {uncovered}"
    stale = sorted(covered - names)
    assert not stale, f"scoping registry names views that do not exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=[f"{c.url_name}-{c.kind}" for c in CASES])
def test_county_user_never_sees_another_county(case: ScopeCase, client, make_user):
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
