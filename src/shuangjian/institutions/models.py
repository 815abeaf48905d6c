"""The registry of off-campus training institutions (校外培训机构)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from shuangjian.common.scoping import ScopedQuerySet

from .choices import Audience, Category, EndReason, Mode, Nature


class Institution(models.Model):
    """An institution, keyed by its unified social credit code (统一社会信用代码, GB 32100-2015).

    Its category/mode/audience history lives in :class:`InstitutionEpisode` rows.
    """

    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("机构名称"), max_length=200, db_index=True)
    county = models.ForeignKey(
        "regions.Region", verbose_name=_("所在区县"), on_delete=models.PROTECT, related_name="institutions"
    )
    address = models.CharField(_("地址"), max_length=300, blank=True)
    nature = models.CharField(_("办学性质"), max_length=12, choices=Nature.choices, blank=True)
    license_no = models.CharField(_("办学许可证号"), max_length=60, blank=True)
    fund_supervised = models.BooleanField(_("纳入资金监管"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    scope_region_field = "county"
    scope_institution_field = "pk"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["credit_code"]
        verbose_name = _("校外培训机构")
        verbose_name_plural = _("校外培训机构")

    def __str__(self) -> str:
        return self.name


class InstitutionEpisode(models.Model):
    """One category episode of an institution: what it was approved for, from when, until when.

    Active on date D when ``approved_on <= D`` and (``ended_on`` is null or ``ended_on > D``)
    (DESIGN.md, institutions file contract). ``audiences`` is a comma-separated list of
    :class:`Audience` values.
    """

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="episodes")
    category = models.CharField(_("培训类别"), max_length=12, choices=Category.choices)
    mode = models.CharField(_("培训形式"), max_length=8, choices=Mode.choices)
    audiences = models.CharField(_("服务对象"), max_length=60)
    approved_on = models.DateField(_("审批日期"))
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)
    end_reason = models.CharField(_("终止原因"), max_length=14, choices=EndReason.choices, blank=True)
    history = HistoricalRecords()

    scope_region_field = "institution__county"
    scope_institution_field = "institution"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["institution", "approved_on"]
        verbose_name = _("办学期间")
        verbose_name_plural = _("办学期间")
        constraints = [
            models.UniqueConstraint(fields=["institution", "category"], name="uniq_episode_category"),
        ]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.category} {self.approved_on}–{self.ended_on or ''}"

    @property
    def audience_list(self) -> list[str]:
        return [a for a in self.audiences.split(",") if a]

    def is_active_on(self, day: dt.date) -> bool:
        """Whether the episode is active on ``day`` (DESIGN.md rule)."""
        return self.approved_on <= day and (self.ended_on is None or self.ended_on > day)


__all__ = ["Audience", "Category", "EndReason", "Institution", "InstitutionEpisode", "Mode", "Nature"]
