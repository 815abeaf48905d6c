"""Vocabulary of STEM and science education (STEM教育): stages, carriers, resources, course states,
review steps, material kinds and research states."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """学段 of a course."""

    PRESCHOOL = "PRESCHOOL", _("学前")
    PRIMARY = "PRIMARY", _("小学")
    JUNIOR = "JUNIOR", _("初中")
    SENIOR = "SENIOR", _("高中")


class Carrier(models.TextChoices):
    """载体: how the course carries STEM (the four lines of part 二 of the seed document)."""

    SUBJECT = "SUBJECT", _("学科融合")
    CULTURE = "CULTURE", _("传统文化")
    TECHNOLOGY = "TECHNOLOGY", _("现代科技")
    PLAY = "PLAY", _("游戏活动")


class ResourceKind(models.TextChoices):
    """Kinds of outside resources a course uses."""

    SCIENCE_BASE = "SCIENCE_BASE", _("科普教育基地")
    MUSEUM = "MUSEUM", _("科技馆")
    ENTERPRISE = "ENTERPRISE", _("合作企业")
    UNIVERSITY = "UNIVERSITY", _("高校及科研院所")
    OTHER = "OTHER", _("其他")


class CourseState(models.TextChoices):
    REGISTERED = "REGISTERED", _("已登记")
    SUBMITTED = "SUBMITTED", _("待县级审核")
    RETURNED = "RETURNED", _("退回修改")
    COUNTY_PASSED = "COUNTY_PASSED", _("县级通过（待市级推荐）")
    CITY_RECOMMENDED = "CITY_RECOMMENDED", _("市级推荐（待省级认定）")
    RECOGNISED = "RECOGNISED", _("省级优秀STEM课程")
    STANDARD = "STANDARD", _("规范课程（未获推荐）")


class ReviewStep(models.TextChoices):
    SUBMIT = "SUBMIT", _("学校申报")
    COUNTY = "COUNTY", _("县级审核")
    CITY = "CITY", _("市级推荐")
    PROVINCE = "PROVINCE", _("省级认定")


class MaterialKind(models.TextChoices):
    PLAN = "PLAN", _("课程方案")
    LESSON = "LESSON", _("教学设计")
    PHOTO = "PHOTO", _("活动照片")


class ResearchState(models.TextChoices):
    APPLIED = "APPLIED", _("申请立项")
    APPROVED = "APPROVED", _("已立项")
    NOT_APPROVED = "NOT_APPROVED", _("未立项")
    MIDTERM_SUBMITTED = "MIDTERM_SUBMITTED", _("中期报告待审")
    MIDTERM_PASSED = "MIDTERM_PASSED", _("中期检查通过")
    CONCLUSION_SUBMITTED = "CONCLUSION_SUBMITTED", _("结题待审")
    CONCLUDED = "CONCLUDED", _("已结题")
