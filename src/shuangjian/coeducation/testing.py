"""Scoping coverage of the co-education pages (see shuangjian.common.testing)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from shuangjian.common.testing import ScopeCase


def _parent_school(county) -> tuple[dict[str, Any], str]:
    from .models import ParentSchool

    school = ParentSchool.objects.create(
        code=f"PS{county.code}",
        name=f"范围测试家长学校{county.code}",
        kind="SCHOOL",
        county_id=county.code,
        established_on=dt.date(2020, 1, 1),
    )
    return {}, school.name


def _activity(county) -> tuple[dict[str, Any], str]:
    from .services import activity_record

    activity = activity_record(
        actor=None,
        county_code=county.code,
        kind="PARENT_MEETING",
        title=f"范围测试家长会{county.code}",
        held_on=dt.date(2023, 3, 1),
    )
    return {}, activity.title


def _completion(county) -> tuple[dict[str, Any], str]:
    from django.utils import timezone

    from .services import course_publish, lesson_complete

    course = course_publish(
        actor=None,
        slug=f"scope-{county.code}",
        title="范围测试课程",
        summary="",
        audience="",
        lessons=[("第一课", "内容", 5)],
    )
    lesson_complete(
        lesson=course.lessons.get(),
        learner_id="scope-learner-0123456789",
        county_code=county.code,
        completed_at=timezone.now(),
    )
    return {}, county.name


SCOPE_CASES = [
    ScopeCase("coeducation:parent_schools", "list", _parent_school),
    ScopeCase("coeducation:activities", "list", _activity),
    ScopeCase("coeducation:index", "list", _completion),
]
SCOPE_EXEMPT = {
    "coeducation:public_courses": "public page: published courses only, no region-scoped record",
    "coeducation:public_course": "public page: a published course and this browser's own completions",
    "coeducation:public_lesson": "public page: a published lesson; POST records an anonymous completion",
}
