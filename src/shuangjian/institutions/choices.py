"""Vocabulary of the registry (DESIGN.md "Vocabulary")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    SUBJECT = "SUBJECT", _("学科类")
    NON_SUBJECT = "NON_SUBJECT", _("非学科类")


class Mode(models.TextChoices):
    OFFLINE = "OFFLINE", _("线下")
    ONLINE = "ONLINE", _("线上")


class Audience(models.TextChoices):
    PRESCHOOL = "PRESCHOOL", _("学龄前")
    COMPULSORY = "COMPULSORY", _("义务教育")
    HIGH_SCHOOL = "HIGH_SCHOOL", _("普通高中")


class Nature(models.TextChoices):
    FOR_PROFIT = "FOR_PROFIT", _("营利性")
    NON_PROFIT = "NON_PROFIT", _("非营利性")


class EndReason(models.TextChoices):
    SUSPENDED = "SUSPENDED", _("停办")
    DEREGISTERED = "DEREGISTERED", _("注销")
    REVOKED = "REVOKED", _("吊销")
    TRANSFORMED = "TRANSFORMED", _("转型")
