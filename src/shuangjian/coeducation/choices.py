"""Vocabulary of home–school–community co-education (家校社共育): parent schools and their activities."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ParentSchoolKind(models.TextChoices):
    SCHOOL = "SCHOOL", _("学校家长学校")
    COMMUNITY = "COMMUNITY", _("社区家长学校")


class ActivityKind(models.TextChoices):
    LECTURE_SCHOOL = "LECTURE_SCHOOL", _("讲座进校园")
    LECTURE_COMMUNITY = "LECTURE_COMMUNITY", _("讲座进社区")
    LECTURE_HOME = "LECTURE_HOME", _("讲座进家庭")
    PARENT_MEETING = "PARENT_MEETING", _("专题家长会")
    OTHER = "OTHER", _("其他")
