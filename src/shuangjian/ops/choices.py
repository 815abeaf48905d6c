"""Vocabulary of the run records of scheduled jobs and background tasks."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    """State of one attempt of a daily job."""

    RUNNING = "RUNNING", _("运行中")
    SUCCEEDED = "SUCCEEDED", _("成功")
    FAILED = "FAILED", _("失败")


class RunTrigger(models.TextChoices):
    """What started the attempt."""

    SCHEDULE = "SCHEDULE", _("定时")
    CATCH_UP = "CATCH_UP", _("补跑")
    MANUAL = "MANUAL", _("手动")


class TaskStatus(models.TextChoices):
    """State of a background task."""

    QUEUED = "QUEUED", _("排队中")
    RUNNING = "RUNNING", _("进行中")
    SUCCEEDED = "SUCCEEDED", _("已完成")
    FAILED = "FAILED", _("失败")
