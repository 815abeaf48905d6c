"""Scoping coverage of the cooperation pages (see shuangjian.common.testing), and test helpers."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from shuangjian.common.testing import ScopeCase, make_credit_code

_seq = itertools.count(1)
PREFIX = {"SECONDARY": "36", "ASSOCIATE": "41", "BACHELOR": "41"}


class SystemActor:
    """The platform itself (demo loader, tests): acts as a superuser, recorded without a user."""

    pk = None
    is_superuser = True
    is_regulator = True
    is_authenticated = True


SYSTEM = SystemActor()


def make_voc_school(county: Any, *, level: str = "ASSOCIATE", majors: tuple[str, ...] = ("460103",),
                    name: str | None = None):
    """A saved vocational school in ``county`` offering the catalogue majors ``majors`` (since 2015)."""
    from shuangjian.vocational.models import CatalogueItem, SchoolMajor, VocationalSchool

    code = county if isinstance(county, str) else county.code
    n = next(_seq)
    school = VocationalSchool.objects.create(
        code=f"{PREFIX[level]}439{n:05d}", name=name or f"测试职院{code}-{n}", county_id=code, level=level,
        sponsor="PUBLIC",
    )
    for major in majors:
        item = CatalogueItem.objects.get(code=major)
        SchoolMajor.objects.create(school=school, major=item, name=item.name, opened_year=2015)
    return school


def make_enterprise(county: str = "430102", name: str | None = None):
    from .models import Enterprise

    code = make_credit_code(county)
    return Enterprise.objects.create(credit_code=code, name=name or f"测试企业{code[-5:]}", county_id=county)


def make_programme(school: Any, *, kind: str = "APPRENTICESHIP", state: str = "APPROVED", students: int = 30,
                   major: str | None = None, signed_on: dt.date = dt.date(2022, 9, 1), enterprise: Any = None):
    from .models import Programme

    n = next(_seq)
    major_code = major or school.majors.first().major.code
    return Programme.objects.create(
        code=f"T{school.code}{n:04d}", kind=kind, school=school, major_code=major_code, major_name="测试专业",
        enterprise=enterprise or make_enterprise(school.county_id), entry_year=signed_on.year, students=students,
        agreement_signed_on=signed_on, state=state,
    )


SCOPE_CASES: list[ScopeCase] = []
SCOPE_EXEMPT: dict[str, str] = {}
