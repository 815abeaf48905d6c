"""The vocational registry's models: the shipped catalogue, identifiers, scoping by role."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from shuangjian.vocational.catalogue import PUBLISHED_MAJOR_COUNTS, read_catalogue
from shuangjian.vocational.models import (
    AnnualReturn,
    CatalogueItem,
    SchoolMajor,
    VocationalSchool,
    category_family,
    level_of_code,
)
from shuangjian.vocational.testing import make_vocational_school


def test_catalogue_file_has_the_published_counts_per_level():
    entries = read_catalogue()
    majors = [e for e in entries if e.kind == "MAJOR"]
    for level, count in PUBLISHED_MAJOR_COUNTS.items():
        assert sum(1 for e in majors if e.level == level) == count
    assert len(majors) == 1349
    for level in PUBLISHED_MAJOR_COUNTS:
        assert len({e.code for e in entries if e.level == level and e.kind == "CATEGORY"}) == 19
    # every major's prefix family matches its file's level and its parent class exists
    codes = {e.code for e in entries}
    for e in majors:
        assert level_of_code(e.code) == e.level
        assert e.parent in codes
    assert len(codes) == len(entries)


@pytest.mark.django_db
def test_catalogue_loaded_by_migration():
    assert CatalogueItem.objects.filter(kind="MAJOR").count() == 1349
    item = CatalogueItem.objects.get(code="710204")
    assert item.name == "数字媒体技术应用" and item.level == "SECONDARY"
    assert item.parent.code == "7102" and item.parent.parent.name == "电子与信息大类"
    assert CatalogueItem.objects.get(code="520101K").national_control
    assert category_family("710204") == category_family("510204") == category_family("310204") == 11


@pytest.mark.django_db
def test_identifier_must_match_level():
    school = VocationalSchool(
        code="4143000001", name="x", county_id="430102", level="SECONDARY", sponsor="PUBLIC"
    )
    with pytest.raises(ValidationError) as info:
        school.full_clean()
    assert "36" in str(info.value)
    school.code = "36430001"
    with pytest.raises(ValidationError):
        school.full_clean()


@pytest.mark.django_db
def test_vocational_staff_see_only_their_school(make_user):
    mine = make_vocational_school("430102")
    other = make_vocational_school("430102")
    AnnualReturn.objects.create(school=mine, year=2022, name=mine.name, students=100, teachers=10)
    AnnualReturn.objects.create(school=other, year=2022, name=other.name, students=100, teachers=10)
    staff = make_user("vocational", vocational_school=mine)
    assert list(VocationalSchool.objects.visible_to(staff)) == [mine]
    assert [r.school for r in AnnualReturn.objects.visible_to(staff)] == [mine]
    county_b = make_user("county", region="430405")
    assert not VocationalSchool.objects.visible_to(county_b).exists()
    county_a = make_user("county", region="430102")
    assert VocationalSchool.objects.visible_to(county_a).count() == 2


@pytest.mark.django_db
def test_vocational_role_requires_a_school(make_user):
    with pytest.raises(ValidationError):
        make_user("vocational")


@pytest.mark.django_db
def test_school_open_and_major_offered():
    school = make_vocational_school("430102", founded_on=dt.date(2010, 9, 1), closed_on=dt.date(2023, 1, 1))
    assert school.is_open_on(dt.date(2022, 12, 31)) and not school.is_open_on(dt.date(2023, 1, 1))
    major = SchoolMajor.objects.create(
        school=school,
        major=CatalogueItem.objects.get(code="660103"),
        name="数控技术应用",
        opened_year=2015,
        stopped_year=2021,
    )
    assert major.is_offered_in(2020) and not major.is_offered_in(2021)
