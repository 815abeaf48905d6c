"""Home–school–community co-education (家校社共育): parent schools (家长学校) and their activities, the
online parent school (网上家长学校: courses, lessons, anonymous completions) and the family-education
week (家庭教育宣传周).

A parent who completes an online lesson is known only by a pseudonymous learner reference: a keyed
SHA-256 digest of a random id kept in the parent's browser cookie (no name, phone or account), so
completions can be counted per county and de-duplicated per lesson without knowing who the parent is.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from shuangjian.common.scoping import ScopedQuerySet

from .choices import ActivityKind, ParentSchoolKind

KIND_WORDS = {
    "学校": ParentSchoolKind.SCHOOL,
    "学校家长学校": ParentSchoolKind.SCHOOL,
    "社区": ParentSchoolKind.COMMUNITY,
    "社区家长学校": ParentSchoolKind.COMMUNITY,
}


class ParentSchoolQuerySet(ScopedQuerySet):
    def active_on(self, day: dt.date) -> ParentSchoolQuerySet:
        """Parent schools established on or before ``day`` and not closed by then."""
        return self.filter(established_on__lte=day).filter(
            models.Q(closed_on__isnull=True) | models.Q(closed_on__gt=day)
        )


class ParentSchool(models.Model):
    """A parent school (家长学校) run by a school or a community in a county. Key ``code``."""

    code = models.CharField(_("家长学校编号"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=10, choices=ParentSchoolKind.choices)
    county = models.ForeignKey(
        "regions.Region", verbose_name=_("所在区县"), on_delete=models.PROTECT, related_name="parent_schools"
    )
    host = models.CharField(_("依托单位"), max_length=200, blank=True)
    established_on = models.DateField(_("成立日期"))
    closed_on = models.DateField(_("停办日期"), null=True, blank=True)
    import_fingerprint = models.CharField(_("导入指纹"), max_length=64, blank=True)
    history = HistoricalRecords()

    scope_region_field = "county"
    objects = ParentSchoolQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("家长学校")
        verbose_name_plural = _("家长学校")

    def __str__(self) -> str:
        return self.name


class FamilyWeek(models.Model):
    """A family-education week (家庭教育宣传周): its dates, theme and source."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    theme = models.CharField(_("主题"), max_length=200)
    start_on = models.DateField(_("开始日期"))
    end_on = models.DateField(_("结束日期"))
    source = models.CharField(_("依据"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("家庭教育宣传周")
        verbose_name_plural = _("家庭教育宣传周")

    def __str__(self) -> str:
        return f"{self.year}年家庭教育宣传周"


class ParentActivity(models.Model):
    """An activity of co-education: a lecture into schools/communities/homes, a themed parents'
    meeting …; optionally of a parent school and of a family-education week."""

    county = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所在区县"),
        on_delete=models.PROTECT,
        related_name="parent_activities",
    )
    parent_school = models.ForeignKey(
        ParentSchool,
        verbose_name=_("家长学校"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    family_week = models.ForeignKey(
        FamilyWeek,
        verbose_name=_("家庭教育宣传周"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    kind = models.CharField(_("形式"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("主题"), max_length=200)
    held_on = models.DateField(_("日期"), db_index=True)
    participants = models.PositiveIntegerField(_("参与人数"), default=0)
    history = HistoricalRecords()

    scope_region_field = "county"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "id"]
        verbose_name = _("共育活动")
        verbose_name_plural = _("共育活动")

    def __str__(self) -> str:
        return self.title


class OnlineCourse(models.Model):
    """A course of the online parent school (网上家长学校)."""

    slug = models.SlugField(_("标识"), max_length=60, unique=True)
    title = models.CharField(_("课程名称"), max_length=200)
    summary = models.TextField(_("简介"), blank=True)
    audience = models.CharField(_("适用家长"), max_length=100, blank=True)
    published = models.BooleanField(_("已发布"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("网上家长学校课程")
        verbose_name_plural = _("网上家长学校课程")

    def __str__(self) -> str:
        return self.title


class OnlineLesson(models.Model):
    """A lesson of a course: text (paragraphs) read on a phone, with an estimated reading time."""

    course = models.ForeignKey(
        OnlineCourse, verbose_name=_("课程"), on_delete=models.CASCADE, related_name="lessons"
    )
    order = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("课时名称"), max_length=200)
    body = models.TextField(_("内容"))
    minutes = models.PositiveSmallIntegerField(_("学习时长（分钟）"), default=10)
    history = HistoricalRecords()

    class Meta:
        ordering = ["course", "order"]
        verbose_name = _("网上家长学校课时")
        verbose_name_plural = _("网上家长学校课时")
        constraints = [models.UniqueConstraint(fields=["course", "order"], name="uniq_lesson_order")]

    def __str__(self) -> str:
        return self.title

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.split("\n") if p.strip()]


class LessonCompletion(models.Model):
    """A parent completed a lesson: only a pseudonymous learner reference and the county the parent
    chose are kept (counted per county). One row per (lesson, learner)."""

    lesson = models.ForeignKey(
        OnlineLesson, verbose_name=_("课时"), on_delete=models.PROTECT, related_name="completions"
    )
    learner_ref = models.CharField(_("学习者匿名编号"), max_length=64)
    county = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所在区县"),
        on_delete=models.PROTECT,
        related_name="lesson_completions",
    )
    completed_at = models.DateTimeField(_("完成时间"), db_index=True)

    scope_region_field = "county"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-completed_at"]
        verbose_name = _("课时完成记录")
        verbose_name_plural = _("课时完成记录")
        constraints = [
            models.UniqueConstraint(fields=["lesson", "learner_ref"], name="uniq_lesson_completion")
        ]

    def __str__(self) -> str:
        return f"{self.lesson_id} @ {self.county_id}"
