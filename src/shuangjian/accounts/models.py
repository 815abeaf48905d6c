"""Users and their roles (DESIGN.md "Users and their places")."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from shuangjian.regions.models import RegionLevel

from .choices import Role

REGULATOR_LEVEL = {
    Role.PROVINCE: RegionLevel.PROVINCE,
    Role.CITY: RegionLevel.PREFECTURE,
    Role.COUNTY: RegionLevel.COUNTY,
}


class User(AbstractUser):
    """A person who logs in: a regulator bound to one region, institution staff to one institution,
    school staff to one school, or a social supervisor.

    ``clean()`` refuses a regulator without a region of its role's level, and a binding that does
    not match the role (an institution user with a region, say).
    """

    role = models.CharField(_("角色"), max_length=12, choices=Role.choices, default=Role.SUPERVISOR)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所属区域"), null=True, blank=True, on_delete=models.PROTECT
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("所属机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff_users",
    )
    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("所属学校"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff_users",
    )
    vocational_school = models.ForeignKey(
        "vocational.VocationalSchool",
        verbose_name=_("所属职业院校"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff_users",
    )
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    @property
    def is_regulator(self) -> bool:
        """Province, city or county regulator."""
        return self.role in REGULATOR_LEVEL

    @property
    def is_provincial(self) -> bool:
        """Provincial regulator (or superuser): sets rule parameters, sees the audit trail."""
        return self.is_superuser or self.role == Role.PROVINCE

    def clean(self) -> None:
        super().clean()
        if self.is_regulator:
            if self.region is None:
                raise ValidationError({"region": _("监管用户必须指定所属区域")})
            if self.region.level != REGULATOR_LEVEL[Role(self.role)]:
                raise ValidationError({"region": _("所属区域的级别与角色不符")})
        if self.role == Role.INSTITUTION and self.institution_id is None:
            raise ValidationError({"institution": _("机构用户必须指定所属机构")})
        if self.role == Role.SCHOOL and self.school_id is None:
            raise ValidationError({"school": _("学校用户必须指定所属学校")})
        if self.role == Role.VOCATIONAL and self.vocational_school_id is None:
            raise ValidationError({"vocational_school": _("职业院校用户必须指定所属学校")})
        if self.role not in REGULATOR_LEVEL and self.region_id and not self.is_superuser:
            raise ValidationError({"region": _("只有监管用户可以绑定区域")})
