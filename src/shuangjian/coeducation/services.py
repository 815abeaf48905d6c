"""Writes of co-education: activities, family-education weeks, online courses and lesson completions.

Keyword-only, one transaction each, audited through ``common.audit`` (user and a Chinese reason); refusals raise :class:`CoeducationError` with a Chinese message.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangjian.common.audit import save_audited
from shuangjian.common.errors import DomainError
from shuangjian.regions.models import Region, RegionLevel

from .models import (
    ActivityKind,
    FamilyWeek,
    LessonCompletion,
    OnlineCourse,
    OnlineLesson,
    ParentActivity,
    ParentSchool,
)


class CoeducationError(DomainError):
    """A refused co-education step; ``str()`` is the Chinese reason."""


def _save(obj: Model, actor: Any, reason: str) -> None:
    """Validate, then save with the audit trail's user and reason (common.audit)."""
    obj.full_clean()
    save_audited(obj, user=actor, reason=reason)


def _county(code: str) -> Region:
    county = Region.objects.filter(code=code, level=RegionLevel.COUNTY).first()
    if county is None:
        raise CoeducationError(_("“%(code)s”不是区县级行政区划代码") % {"code": code})
    return county


def _require_over(actor: Any, region: Region) -> None:
    if actor is None or actor.is_superuser:
        return
    if not (actor.is_regulator and actor.region and actor.region.contains(region.code)):
        raise PermissionDenied(_("只能登记本辖区的事项"))


@transaction.atomic
def activity_record(
    *,
    actor: Any,
    county_code: str,
    kind: str,
    title: str,
    held_on: dt.date,
    participants: int = 0,
    parent_school: ParentSchool | None = None,
    family_week: FamilyWeek | None = None,
) -> ParentActivity:
    """Record a co-education activity (讲座进校园/进社区/进家庭, 专题家长会 …) in a county."""
    county = _county(county_code)
    _require_over(actor, county)
    if kind not in ActivityKind.values:
        raise CoeducationError(_("活动形式无效"))
    if not title.strip():
        raise CoeducationError(_("请填写活动主题"))
    if participants < 0:
        raise CoeducationError(_("参与人数不能为负"))
    if parent_school is not None and parent_school.county_id != county.code:
        raise CoeducationError(_("家长学校不在该区县"))
    if family_week is not None and not family_week.start_on <= held_on <= family_week.end_on:
        raise CoeducationError(_("活动日期不在家庭教育宣传周内"))
    activity = ParentActivity(
        county=county,
        kind=kind,
        title=title.strip(),
        held_on=held_on,
        participants=participants,
        parent_school=parent_school,
        family_week=family_week,
    )
    _save(activity, actor, _("登记共育活动"))
    return activity


@transaction.atomic
def family_week_define(
    *, actor: Any, year: int, theme: str, start_on: dt.date, end_on: dt.date, source: str = ""
) -> FamilyWeek:
    """Define a year's family-education week (provincial)."""
    if actor is not None and not actor.is_provincial:
        raise PermissionDenied(_("家庭教育宣传周由省级设置"))
    if end_on < start_on:
        raise CoeducationError(_("结束日期不能早于开始日期"))
    week = FamilyWeek.objects.filter(year=year).first() or FamilyWeek(year=year)
    week.theme, week.start_on, week.end_on, week.source = theme, start_on, end_on, source
    _save(week, actor, _("设置家庭教育宣传周"))
    return week


@transaction.atomic
def course_publish(
    *,
    actor: Any,
    slug: str,
    title: str,
    summary: str,
    audience: str,
    lessons: list[tuple[str, str, int]],
    order: int = 0,
) -> OnlineCourse:
    """Publish (or leave unchanged) an online course with its lessons ``(title, body, minutes)``."""
    course = OnlineCourse.objects.filter(slug=slug).first()
    if course is not None:
        return course
    course = OnlineCourse(slug=slug, title=title, summary=summary, audience=audience, order=order)
    _save(course, actor, _("发布网上家长学校课程"))
    for number, (lesson_title, body, minutes) in enumerate(lessons, start=1):
        _save(
            OnlineLesson(course=course, order=number, title=lesson_title, body=body, minutes=minutes),
            actor,
            _("发布课时"),
        )
    return course


def new_learner_id() -> str:
    """A random id for a parent's browser (kept in a cookie; never stored as such)."""
    return secrets.token_urlsafe(24)


def learner_ref(learner_id: str) -> str:
    """The pseudonymous reference stored for a browser id: HMAC-SHA256 keyed with SECRET_KEY."""
    return hmac.new(
        settings.SECRET_KEY.encode(), f"learner:{learner_id}".encode(), hashlib.sha256
    ).hexdigest()


@transaction.atomic
def lesson_complete(
    *, lesson: OnlineLesson, learner_id: str, county_code: str, completed_at: dt.datetime | None = None
) -> tuple[LessonCompletion, bool]:
    """Record that a parent (``learner_id`` from their browser) completed ``lesson``; the county is
    the one the parent chose. Returns (completion, created); completing again changes nothing."""
    if not learner_id or len(learner_id) < 16:
        raise CoeducationError(_("学习记录无效，请刷新页面后重试"))
    if not lesson.course.published:
        raise CoeducationError(_("课程未发布"))
    county = _county(county_code)
    ref = learner_ref(learner_id)
    existing = LessonCompletion.objects.filter(lesson=lesson, learner_ref=ref).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            completion = LessonCompletion.objects.create(
                lesson=lesson, learner_ref=ref, county=county, completed_at=completed_at or timezone.now()
            )
    except IntegrityError:
        return LessonCompletion.objects.get(lesson=lesson, learner_ref=ref), False
    return completion, True
