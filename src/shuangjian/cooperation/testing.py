"""Scoping coverage of the cooperation pages (see shuangjian.common.testing), and test helpers."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

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


def ensure_catalogue() -> None:
    """Reload the 2021 major catalogue when a transactional test flushed it (as migration 0002 does)."""
    from shuangjian.vocational.catalogue import read_catalogue
    from shuangjian.vocational.models import CatalogueItem

    if CatalogueItem.objects.exists():
        return
    ids: dict[str, int] = {}
    for entry in read_catalogue():
        item = CatalogueItem.objects.create(
            code=entry.code,
            name=entry.name,
            level=entry.level,
            kind=entry.kind,
            parent_id=ids.get(entry.parent) if entry.parent else None,
            national_control=entry.national_control,
        )
        ids[entry.code] = item.pk


def make_voc_school(
    county: Any, *, level: str = "ASSOCIATE", majors: tuple[str, ...] = ("460103",), name: str | None = None
):
    """A saved vocational school in ``county`` offering the catalogue majors ``majors`` (since 2015)."""
    from shuangjian.vocational.models import CatalogueItem, SchoolMajor, VocationalSchool

    ensure_catalogue()
    code = county if isinstance(county, str) else county.code
    n = next(_seq)
    school = VocationalSchool.objects.create(
        code=f"{PREFIX[level]}439{n:05d}",
        name=name or f"测试职院{code}-{n}",
        county_id=code,
        level=level,
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


def make_programme(
    school: Any,
    *,
    kind: str = "APPRENTICESHIP",
    state: str = "APPROVED",
    students: int = 30,
    major: str | None = None,
    signed_on: dt.date = dt.date(2022, 9, 1),
    enterprise: Any = None,
):
    from .models import Programme

    n = next(_seq)
    major_code = major or school.majors.first().major.code
    return Programme.objects.create(
        code=f"T{school.code}{n:04d}",
        kind=kind,
        school=school,
        major_code=major_code,
        major_name="测试专业",
        enterprise=enterprise or make_enterprise(school.county_id),
        entry_year=signed_on.year,
        students=students,
        agreement_signed_on=signed_on,
        state=state,
    )


def _programme(county):
    school = make_voc_school(county)
    p = make_programme(school)
    return {"pk": p.pk}, p.code


def _order_class(county):
    from .models import OrderClassOutcome

    school = make_voc_school(county)
    p = make_programme(school, kind="ORDER_CLASS")
    OrderClassOutcome.objects.create(
        programme=p,
        graduated_on=timezone.localdate() - dt.timedelta(days=10),
        graduates=40,
        hired_by_orderer=12,
        hired_elsewhere=28,
    )
    return {}, school.name


def _enterprise(county):
    e = make_enterprise(county.code, name=f"范围测试企业{county.code}")
    return {"pk": e.pk}, e.name


def _site(county):
    from .models import AssessmentSite, XCertificate

    school = make_voc_school(county)
    cert, _ = XCertificate.objects.get_or_create(
        name="范围测试证书", organisation="某评价组织", defaults={"levels": "JUNIOR"}
    )
    n = next(_seq)
    site = AssessmentSite.objects.create(
        code=f"ZD-T{n}",
        school=school,
        certificate=cert,
        levels="JUNIOR",
        state="APPROVED",
        approved_on=dt.date(2022, 1, 1),
    )
    return {"pk": site.pk}, site.code


def _session(county):
    from .models import AssessmentSession, AssessmentSite

    kwargs, code = _site(county)
    site = AssessmentSite.objects.get(pk=kwargs["pk"])
    AssessmentSession.objects.create(
        site=site, held_on=dt.date(2022, 5, 1), level="JUNIOR", candidates=10, passed=8
    )
    return {}, code


def _body(county):
    from .models import IndustryEducationBody

    b = IndustryEducationBody.objects.create(
        name=f"范围测试联合体{county.code}",
        kind="CONSORTIUM",
        level="PROVINCIAL",
        county=county,
        founded_on=dt.date(2023, 5, 1),
    )
    return {"pk": b.pk}, b.name


def _craftsman(county):
    from .models import CraftsmanRecognition

    n = next(_seq)
    CraftsmanRecognition.objects.create(
        person_name="张**",
        person_digest=f"d{n}",
        level="COUNTY",
        year=2022,
        field="焊接",
        employer=f"范围测试单位{county.code}",
        county=county,
    )
    return {}, f"范围测试单位{county.code}"


def _volume(county):
    from .models import TrainingVolume

    school = make_voc_school(county)
    TrainingVolume.objects.create(school=school, year=2022, subsidised=100, market=50)
    return {}, school.name


SCOPE_CASES = [
    ScopeCase("cooperation:programmes", "list", _programme),
    ScopeCase("cooperation:programme", "detail", _programme),
    ScopeCase("cooperation:placement", "list", _order_class, query="?by=school"),
    ScopeCase("cooperation:enterprises", "list", _enterprise),
    ScopeCase("cooperation:enterprise", "detail", _enterprise),
    ScopeCase("cooperation:sites", "list", _site),
    ScopeCase("cooperation:site", "detail", _site),
    ScopeCase("cooperation:sessions", "list", _session),
    ScopeCase("cooperation:bodies", "list", _body),
    ScopeCase("cooperation:body", "detail", _body),
    ScopeCase("cooperation:craftsmen", "list", _craftsman),
    ScopeCase("cooperation:volumes", "list", _volume),
]
SCOPE_EXEMPT = {
    "cooperation:index": "figures only, computed through KpiContext(user=…) (visible_to); tests/test_views.py",
    "cooperation:programme_create": "form for the caller's own school (职业院校 staff only; tests/test_views.py)",
    "cooperation:programme_action": "POST actions on a programme fetched through visible_to (foreign id 404: "
    "tests/test_views.py)",
    "cooperation:certificates": "the national 1+X certificate catalogue (public reference data); site counts "
    "through visible_to",
    "cooperation:site_apply": "form for the caller's own school (职业院校 staff only)",
}
