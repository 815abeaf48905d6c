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


class KpiSnapshot(models.Model):
    """The figures of one region for one as-of date and period, computed ahead of the page (指标快照).

    ``values`` maps KPI ids to their values exactly as :func:`shuangjian.stats.kpis.compute_kpis`
    returns them (counts, fen, fractions 0–1, small dicts), for the ids computed so far. They are
    the figures a regulator of the region (or above it) sees: a regulator's scope is a region
    subtree, so they do not depend on which regulator looks.

    ``computed_at`` is when the computation started. The snapshot holds while no
    :class:`RecordChange` of its region came after that moment. Derived data: no history rows (the
    records behind each figure carry their own).
    """

    region = models.ForeignKey("regions.Region", verbose_name=_("区域"), on_delete=models.CASCADE)
    as_of = models.DateField(_("统计日"))
    date_from = models.DateField(_("期间起"))
    date_to = models.DateField(_("期间止"))
    values = models.JSONField(_("指标值"), default=dict)
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("指标快照")
        verbose_name_plural = _("指标快照")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "as_of", "date_from", "date_to"], name="uniq_kpi_snapshot_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.as_of} [{self.date_from}–{self.date_to}]"


class RecordChange(models.Model):
    """A write to records behind the statistics (记录变动): which county, city and province it
    touched, or ``everything``. Rows are only inserted, in the writer's own transaction (a rolled
    back write leaves none, and writers never wait on each other); the snapshot job prunes the ones
    older than every snapshot. A record held at city level has no county; at province level, only
    the province."""

    at = models.DateTimeField(_("时间"), db_index=True)
    county = models.CharField(_("县级区划"), max_length=6, blank=True, default="")
    city = models.CharField(_("市级区划"), max_length=6, blank=True, default="")
    province = models.CharField(_("省级区划"), max_length=6, blank=True, default="")
    everything = models.BooleanField(_("全部区域"), default=False)

    class Meta:
        verbose_name = _("记录变动")
        verbose_name_plural = _("记录变动")
        indexes = [
            models.Index(fields=["county", "at"], name="stats_change_county_at"),
            models.Index(fields=["city", "at"], name="stats_change_city_at"),
            models.Index(fields=["province", "at"], name="stats_change_province_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.county or self.city or self.province or '全部'}"
