"""Vocabulary of schools (校内减负): school kinds, urban/rural, grade bands and exam kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SchoolKind(models.TextChoices):
    PRIMARY = "PRIMARY", _("小学")
    JUNIOR = "JUNIOR", _("初级中学")
    NINE_YEAR = "NINE_YEAR", _("九年一贯制学校")
    # Added for STEM education (issue 17): kindergartens and senior high schools are schools of the
    # registry too, but the compulsory-education rates (homework, exams, "5+2") never count them.
    KINDERGARTEN = "KINDERGARTEN", _("幼儿园")
    SENIOR = "SENIOR", _("高级中学")


class UrbanRural(models.TextChoices):
    """The urban–rural class (城乡分类) the Ministry's statistics use, from the 12-digit 统计用区划代码 of the
    school's village or community (国函〔2008〕60号): 111/112 → 城区, 121/122/123 → 镇区, 210/220 → 乡村."""

    URBAN = "URBAN", _("城区")
    TOWN = "TOWN", _("镇区")
    RURAL = "RURAL", _("乡村")


class GradeBand(models.TextChoices):
    """Bands of grades that share a rule (RULES.md §7): 1–2, 3–6 (primary), 7–9 (junior)."""

    G1_2 = "G1_2", _("小学一、二年级")
    G3_6 = "G3_6", _("小学三至六年级")
    G7_9 = "G7_9", _("初中")


class ExamKind(models.TextChoices):
    """Kinds of written exams a school registers (D11; RULES.md §7)."""

    FINAL = "FINAL", _("期末考试")
    MIDTERM = "MIDTERM", _("期中考试")
    MOCK = "MOCK", _("毕业年级模拟考试")
    OTHER = "OTHER", _("其他考试（月考、统考等）")
