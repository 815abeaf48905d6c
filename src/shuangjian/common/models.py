"""Shared records: policy parameters (rule data) and the extendable holiday calendar."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class RuleParameter(models.Model):
    """A policy parameter stored as data, editable by the provincial regulator.

    ``key`` names a parameter declared in :mod:`shuangjian.common.rules` (which also holds its
    default, unit and policy source). A row with ``region`` set overrides the value for that
    region's subtree (a city's guided price, a county's reserve ratio); the most specific region wins.
    """

    key = models.CharField(_("参数"), max_length=100, db_index=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("适用区域"), null=True, blank=True, on_delete=models.PROTECT
    )
    value = models.JSONField(_("取值"))
    source = models.CharField(_("政策依据"), max_length=300, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("规则参数")
        verbose_name_plural = _("规则参数")
        constraints = [
            models.UniqueConstraint(fields=["key", "region"], name="uniq_rule_key_region"),
            models.UniqueConstraint(
                fields=["key"], condition=models.Q(region__isnull=True), name="uniq_rule_key_global"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key}@{self.region_id or '全局'}={self.value}"


class CalendarDay(models.Model):
    """A day whose working status the regulator entered from the State Council's annual notice.

    Used for years the ``chinese-calendar`` package does not know yet (DESIGN.md: its data ends
    with the last published year) and to correct it. ``is_working_day`` False marks a holiday,
    True an adjusted working day (调休上班).
    """

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(_("是否工作日"))
    name = models.CharField(_("名称"), max_length=50, blank=True)
    source = models.CharField(_("依据"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")

    def __str__(self) -> str:
        return f"{self.date} {'上班' if self.is_working_day else '休息'} {self.name}"
