"""Scoping coverage of the schools pages and endpoints (see shuangjian.common.testing), and test helpers."""

from __future__ import annotations

import itertools
from typing import Any

from shuangjian.common.testing import ScopeCase

_seq = itertools.count(1)


def make_school(
    county: Any, *, name: str | None = None, kind: str = "PRIMARY", classes_per_grade: int = 0, **fields: Any
):
    """A saved school in ``county`` (a Region or a code) with ``classes_per_grade`` classes in each grade."""
    from .models import School, SchoolClass

    code = county if isinstance(county, str) else county.code
    n = next(_seq)
    school = School.objects.create(
        code=f"T{code}{n:05d}", name=name or f"测试学校{code}-{n}", county_id=code, kind=kind, **fields
    )
    for grade in school.grades:
        for number in range(1, classes_per_grade + 1):
            SchoolClass.objects.create(school=school, grade=grade, number=number)
    return school


def _school(county):
    school = make_school(county, classes_per_grade=1)
    return {"pk": school.pk}, school.name


def _region(county):
    school = make_school(county)
    return {"code": county.code}, school.name


def _class(county):
    school = make_school(county, classes_per_grade=1)
    return {"pk": school.classes.first().pk}, school.name


SCOPE_CASES = [
    ScopeCase("schools:index", "list", _school),
    ScopeCase("schools:shortfalls", "list", _school),
    ScopeCase("schools:region", "detail", _region),
    ScopeCase("schools:region", "detail", _region, query="?format=xlsx"),
    ScopeCase("schools:school", "detail", _school),
    ScopeCase("schools:class", "detail", _class),
    ScopeCase("schools:api_rates", "detail", _region),
]
SCOPE_EXEMPT = {
    "schools:homework_publish": "school staff write their own classes only (foreign class 404, regulators 403: "
    "tests/test_views.py)",
    "schools:after_school_report": "form for the caller's own school (tests/test_views.py)",
    "schools:exam_register": "form for the caller's own school (tests/test_views.py)",
    "schools:class_public": "public page of one class behind an unguessable key; shows only published homework",
    "schools:template": "empty .xlsx template, no record",
    "schools:import": "upload form; every row checked against the uploader's scope (tests/test_importers.py)",
}
