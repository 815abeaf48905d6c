"""Vocabulary of users (DESIGN.md "Users and their places"): the roles."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Roles of the platform. A regulator's role fixes the level of its region."""

    PROVINCE = "PROVINCE", _("省级监管")
    CITY = "CITY", _("市级监管")
    COUNTY = "COUNTY", _("县级监管")
    INSTITUTION = "INSTITUTION", _("机构")
    SCHOOL = "SCHOOL", _("学校")
    VOCATIONAL = "VOCATIONAL", _("职业院校")
    SUPERVISOR = "SUPERVISOR", _("社会监督员")
