"""Schools (in-school burden reduction)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from shuangjian.common.scoping import ScopedQuerySet


class SchoolKind(models.TextChoices):
    PRIMARY = "PRIMARY", _("小学")
    JUNIOR = "JUNIOR", _("初级中学")
    NINE_YEAR = "NINE_YEAR", _("九年一贯制学校")


class School(models.Model):
    """A compulsory-education school in a county; ``is_furong`` marks the province's 芙蓉学校."""

    code = models.CharField(_("学校标识码"), max_length=20, unique=True)
    name = models.CharField(_("学校名称"), max_length=200)
    county = models.ForeignKey("regions.Region", verbose_name=_("所在区县"), on_delete=models.PROTECT)
    kind = models.CharField(_("学段类型"), max_length=10, choices=SchoolKind.choices)
    is_furong = models.BooleanField(_("芙蓉学校"), default=False)
    history = HistoricalRecords()

    scope_region_field = "county"
    scope_school_field = "pk"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("学校")
        verbose_name_plural = _("学校")

    def __str__(self) -> str:
        return self.name
