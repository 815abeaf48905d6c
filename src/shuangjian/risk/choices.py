"""Vocabulary of risk early warning (风险预警): warning levels, warning and task states, outcomes and
escalation levels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WarningStatus(models.TextChoices):
    ACTIVE = "ACTIVE", _("有效")
    SUPERSEDED = "SUPERSEDED", _("已升级为更高等级")
    CLOSED = "CLOSED", _("已解除")


class TaskState(models.TextChoices):
    OPEN = "OPEN", _("待签收")
    ACKNOWLEDGED = "ACKNOWLEDGED", _("处置中")
    HANDLED = "HANDLED", _("已处置")
    CLOSED = "CLOSED", _("已关闭")


class TaskOutcome(models.TextChoices):
    RISK_CLEARED = "RISK_CLEARED", _("风险已排除")
    RECTIFIED = "RECTIFIED", _("已责令整改")
    CASE_OPENED = "CASE_OPENED", _("已立案查处")
    FUNDS_SECURED = "FUNDS_SECURED", _("已保全资金/协调退费")
    SUPERSEDED = "SUPERSEDED", _("预警已升级")
    OTHER = "OTHER", _("其他")


class EscalationLevel(models.IntegerChoices):
    NONE = 0, _("未升级")
    CITY = 1, _("市级督办")
    PROVINCE = 2, _("省级督办")


class Level(models.TextChoices):
    """预警等级, most severe first."""

    RED = "RED", _("红色")
    ORANGE = "ORANGE", _("橙色")
    YELLOW = "YELLOW", _("黄色")
    BLUE = "BLUE", _("蓝色")
