"""Vocabulary of administrative divisions (行政区划): the supervised levels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    """The three levels the platform supervises."""

    PROVINCE = "PROVINCE", _("省级")
    PREFECTURE = "PREFECTURE", _("地市级")
    COUNTY = "COUNTY", _("县级")
