"""Scoping coverage of the STEM pages (see shuangjian.common.testing) and builders for the tests."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from shuangjian.common.testing import ScopeCase

_seq = itertools.count(1)

PLAN = {
    "objectives": "了解二十四节气与物候、天文的关系，能用数据描述节气变化",
    "problem": "怎样为学校种植园制作一份节气农事日历并验证它？",
    "activities": "观察记录日影长度；测量气温并制作折线图；设计并制作圭表模型；分组展示",
    "evaluation": "过程性评价（观察记录、作品）与表现性评价（展示答辩）相结合",
    "safety": "户外观测避开正午强光；使用刻刀、热熔胶时教师全程指导并佩戴手套",
}


def course_input(name: str | None = None, **overrides: Any):
    """A complete CourseInput (plan meets the default standard) for a primary school."""
    from .services import CourseInput

    values: dict[str, Any] = dict(
        name=name or f"测试课程{next(_seq)}",
        stage="PRIMARY",
        carrier="SUBJECT",
        anchor_subject="语文",
        subjects=["数学", "科学", "美术"],
        hours=16,
        start_on=dt.date(2026, 9, 1),
        grades="四至六年级",
        teachers="张老师",
        pupils=40,
        **PLAN,
    )
    values.update(overrides)
    return CourseInput(**values)


def make_course(
    county: Any, *, school=None, with_plan_file: bool = True, state: str | None = None, **overrides: Any
):
    """A saved course at a new primary school in ``county`` (code or Region); plan file attached."""
    from shuangjian.institutions.testing import TINY_PDF
    from shuangjian.schools.testing import make_school

    from .models import StemCourse
    from .services import course_register, material_add

    code = county if isinstance(county, str) else county.code
    school = school or make_school(code, students=500)
    course = course_register(actor=None, school=school, data=course_input(**overrides))
    if with_plan_file:
        material_add(actor=None, course=course, kind="PLAN", filename="课程方案.pdf", data=TINY_PDF)
    if state:
        StemCourse.objects.filter(pk=course.pk).update(state=state)
        course.refresh_from_db()
    return course


def _course(county):
    course = make_course(county)
    return {"pk": course.pk}, course.name


def _material(county):
    course = make_course(county)
    return {"pk": course.materials.first().pk}, course.name


def _region(county):
    course = make_course(county)
    return {"code": county.code}, course.school.name


def _research(county):
    from shuangjian.schools.testing import make_school

    from .services import research_apply

    project = research_apply(
        actor=None,
        school=make_school(county.code, kind="KINDERGARTEN"),
        title=f"幼儿园STEM课题{next(_seq)}",
        stage="PRESCHOOL",
        lead="李老师",
    )
    return {"pk": project.pk}, project.title


def _entry(county):
    from .services import competition_upsert, entry_record

    course = make_course(county)
    competition = competition_upsert(actor=None, name="测试赛事", year=2021)
    entry = entry_record(
        actor=None,
        competition=competition,
        school=course.school,
        title=f"参赛作品{next(_seq)}",
        course=course,
        group="小学组",
        group_rank=1,
    )
    return {"pk": competition.pk}, entry.title


def _pending(county):
    course = make_course(county, state="SUBMITTED")
    return {}, course.name


SCOPE_CASES = [
    ScopeCase("stem:index", "list", _region),
    ScopeCase("stem:region", "detail", _region),
    ScopeCase("stem:region", "detail", _region, query="?format=xlsx"),
    ScopeCase("stem:courses", "list", _course),
    ScopeCase("stem:course", "detail", _course),
    ScopeCase("stem:material", "detail", _material),
    ScopeCase("stem:reviews", "list", _pending),
    ScopeCase("stem:research_list", "list", _research),
    ScopeCase("stem:research", "detail", _research),
    ScopeCase("stem:competitions", "list", _entry),
    ScopeCase("stem:competition", "list", _entry),
]
SCOPE_EXEMPT = {
    "stem:course_new": "form for the caller's own school (tests/test_views.py)",
    "stem:course_edit": "form for the course's own school staff; course fetched through visible_to (foreign 404, "
    "regulators 403: tests/test_views.py)",
    "stem:course_submit": "POST action on a course fetched through visible_to (tests/test_views.py)",
    "stem:course_review": "POST action on a course fetched through visible_to (tests/test_views.py)",
    "stem:material_upload": "POST action on a course fetched through visible_to (tests/test_views.py)",
    "stem:research_new": "form for the caller's own school (tests/test_views.py)",
    "stem:research_action": "POST action on a project fetched through visible_to (tests/test_views.py)",
    "stem:import": "upload form; every row checked against the uploader's scope (tests/test_importers.py)",
    "stem:template": "empty .xlsx template, no record",
    "stem:library": "public library: recognised courses only, which are public by design",
    "stem:library_course": "public page of a recognised course (others 404: tests/test_views.py)",
    "stem:library_material": "public file of a rights-cleared material of a recognised course",
    "stem:library_adopt": "POST: a school adopts a recognised (public) course (tests/test_views.py)",
}
