"""Scoping coverage of the vocational pages (see shuangjian.common.testing), and test helpers."""

from __future__ import annotations

import itertools
from typing import Any

from shuangjian.common.testing import ScopeCase

_seq = itertools.count(1)


def make_vocational_school(
    county: Any, *, level: str = "SECONDARY", sponsor: str = "PUBLIC", name: str | None = None, **fields: Any
):
    """A saved vocational school in ``county`` (a Region or a code) with a valid 10-digit 学校标识码."""
    from .models import IDENTIFIER_TYPE, Level, VocationalSchool

    code = county if isinstance(county, str) else county.code
    n = next(_seq)
    school = VocationalSchool(
        code=f"{IDENTIFIER_TYPE[Level(level)]}43{n:06d}",
        name=name or f"测试职校{code}-{n}",
        county_id=code,
        level=level,
        sponsor=sponsor,
        **fields,
    )
    school.full_clean()
    school.save()
    return school


def _school(county):
    school = make_vocational_school(county)
    return {"pk": school.pk}, school.name


def _region(county):
    school = make_vocational_school(county)
    return {"code": county.code}, school.name


SCOPE_CASES: list[ScopeCase] = [
    ScopeCase("vocational:region", "detail", _region),
    ScopeCase("vocational:region", "detail", _region, query="?format=xlsx"),
    ScopeCase("vocational:school", "detail", _school),
    ScopeCase("vocational:shortfalls", "list", _school),
]
SCOPE_EXEMPT: dict[str, str] = {
    "vocational:index": "redirects to the caller's own region or school page",
    "vocational:rules": "rule parameters (thresholds and sources), no region-scoped record",
    "vocational:template": "empty .xlsx template, no record",
    "vocational:import": "upload form; every row checked against the uploader's scope (tests/test_views.py)",
}
