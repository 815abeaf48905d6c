"""Vocabulary of co-governance (协同治理): levels, supervisors, tasks, coordination, indicators,
rectification and publicity."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """选聘层级 of a supervisor (and of a coordination group)."""

    PROVINCE = "PROVINCE", _("省级")
    CITY = "CITY", _("市级")
    COUNTY = "COUNTY", _("县级")


class SupervisorField(models.TextChoices):
    """监督领域."""

    OFF_CAMPUS = "OFF_CAMPUS", _("校外培训")
    IN_SCHOOL = "IN_SCHOOL", _("校内减负")
    GENERAL = "GENERAL", _("综合")


class SupervisorStatus(models.TextChoices):
    IN_OFFICE = "IN_OFFICE", _("在任")
    ENDED = "ENDED", _("聘期届满")
    DISMISSED = "DISMISSED", _("解聘")


class TaskKind(models.TextChoices):
    """督查任务类型."""

    INSTITUTION_VISIT = "INSTITUTION_VISIT", _("暗访校外培训机构")
    HOMEWORK_CHECK = "HOMEWORK_CHECK", _("检查学校作业公示")
    AFTER_SCHOOL_CHECK = "AFTER_SCHOOL_CHECK", _("检查课后服务")
    OTHER = "OTHER", _("其他")


class TaskStatus(models.TextChoices):
    ASSIGNED = "ASSIGNED", _("已派发")
    DONE = "DONE", _("已完成")
    CANCELLED = "CANCELLED", _("已撤销")


class UnitRole(models.TextChoices):
    LEAD = "LEAD", _("牵头单位")
    MEMBER = "MEMBER", _("成员单位")


class CoordinationStatus(models.TextChoices):
    OPEN = "OPEN", _("办理中")
    DONE = "DONE", _("已办结")


class IndicatorMethod(models.TextChoices):
    KPI = "KPI", _("平台数据自动计算")
    INSPECTOR = "INSPECTOR", _("督查组评分")


class RectificationStatus(models.TextChoices):
    OPEN = "OPEN", _("整改中")
    SUBMITTED = "SUBMITTED", _("待验收")
    ACCEPTED = "ACCEPTED", _("已验收")


class PublicityKind(models.TextChoices):
    INTERVIEW = "INTERVIEW", _("访谈")
    SPECIAL_ISSUE = "SPECIAL_ISSUE", _("专刊")
    SHORT_VIDEO = "SHORT_VIDEO", _("短视频")
    ESSAY = "ESSAY", _("征文")
    OPEN_LETTER = "OPEN_LETTER", _("公开信")
    OTHER = "OTHER", _("其他")
