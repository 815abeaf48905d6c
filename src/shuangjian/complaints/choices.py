"""Vocabulary of reports and leads (DESIGN.md "Vocabulary" and "Reports and leads")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    """来源: the channel a report came in through (DESIGN.md import contract values)."""

    SNAPSHOT = "SNAPSHOT", _("随手拍")
    PHONE = "PHONE", _("电话")
    ONLINE = "ONLINE", _("网络")
    FORWARDED = "FORWARDED", _("部转")
    INSPECTION = "INSPECTION", _("督查")
    SUPERVISION = "SUPERVISION", _("社会监督")  # findings of social supervisors (governance area)


class ReportType(models.TextChoices):
    """类型: what the report is about (DESIGN.md import contract values, in that order)."""

    ILLEGAL_SUBJECT_TRAINING = "ILLEGAL_SUBJECT_TRAINING", _("违规学科类培训")
    TEACHER_PAID_TUTORING = "TEACHER_PAID_TUTORING", _("在职教师有偿补课")
    ILLEGAL_CHARGING = "ILLEGAL_CHARGING", _("违规收费")
    COLLAPSE = "COLLAPSE", _("爆雷")
    SMOKE = "SMOKE", _("冒烟")
    FALSE_ADVERTISING = "FALSE_ADVERTISING", _("虚假广告")
    SAFETY_HAZARD = "SAFETY_HAZARD", _("安全隐患")
    OTHER = "OTHER", _("其他")


#: Types that go straight to the institution's risk list and are flagged urgent (issue 5).
URGENT_TYPES = frozenset({ReportType.COLLAPSE, ReportType.SMOKE})


class Status(models.TextChoices):
    """办理状态 of a report: the states of its django-fsm-2 machine (see models.Report)."""

    NEW = "NEW", _("待签收")
    ACCEPTED = "ACCEPTED", _("已签收")
    HANDLING = "HANDLING", _("办理中")
    CLOSED = "CLOSED", _("已办结")
    MERGED = "MERGED", _("已并案")


OPEN_STATUSES = (Status.NEW, Status.ACCEPTED, Status.HANDLING)


class ActionKind(models.TextChoices):
    """处置措施 recorded while a lead is handled."""

    SITE_INSPECTION = "SITE_INSPECTION", _("现场检查")
    INTERVIEW = "INTERVIEW", _("约谈")
    RECTIFICATION_ORDER = "RECTIFICATION_ORDER", _("责令整改")
    CASE_OPENED = "CASE_OPENED", _("立案查处")
    OTHER = "OTHER", _("其他措施")


class EscalationLevel(models.IntegerChoices):
    """督办层级: where an overdue report has been escalated to."""

    NONE = 0, _("未升级")
    CITY = 1, _("市级督办")
    PROVINCE = 2, _("省级督办")


class RiskKind(models.TextChoices):
    """Kinds of risk flag raised from a report (爆雷 / 冒烟)."""

    COLLAPSE = "COLLAPSE", _("爆雷")
    SMOKE = "SMOKE", _("冒烟")


def label_to_value(choices: type[models.TextChoices]) -> dict[str, str]:
    """Chinese label → stored value, for imports and filters (e.g. "爆雷" → "COLLAPSE")."""
    return {str(label): value for value, label in choices.choices}
