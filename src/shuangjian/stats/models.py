"""The archive of weekly reports (每周专报) issued by each region."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from shuangjian.common.scoping import ScopedQuerySet


class WeeklyReportIssue(models.Model):
    """One issued weekly report of a region and ISO week, with its .docx and PDF files.

    Regenerating the same week replaces the files and keeps the number (第N期 derives from the week).
    """

    region = models.ForeignKey("regions.Region", verbose_name=_("区域"), on_delete=models.PROTECT)
    week = models.CharField(_("周次"), max_length=8)
    number = models.IntegerField(_("期数"))
    docx = models.FileField(_("Word 文件"), upload_to="weekly/", blank=True)
    pdf = models.FileField(_("PDF 文件"), upload_to="weekly/", blank=True)
    generated_at = models.DateTimeField(_("生成时间"), auto_now=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("生成人"), null=True, on_delete=models.SET_NULL
    )
    history = HistoricalRecords()

    scope_region_field = "region"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-week", "region"]
        verbose_name = _("每周专报")
        verbose_name_plural = _("每周专报")
        constraints = [models.UniqueConstraint(fields=["region", "week"], name="uniq_weekly_region_week")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.week} 第{self.number}期"
