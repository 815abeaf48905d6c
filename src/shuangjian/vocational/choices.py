"""Vocabulary of vocational education (职业教育): levels, sponsors, standard categories, designations,
integration modes, partnerships and catalogue item kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """办学层次. The catalogue's code families: 中职 61–79, 高职专科 41–59, 职业本科 21–39 (DESIGN.md)."""

    SECONDARY = "SECONDARY", _("中职")
    ASSOCIATE = "ASSOCIATE", _("高职专科")
    BACHELOR = "BACHELOR", _("职业本科")


class Sponsor(models.TextChoices):
    """举办者类型."""

    PUBLIC = "PUBLIC", _("公办")
    PRIVATE = "PRIVATE", _("民办")


class StandardCategory(models.TextChoices):
    """Which threshold set of the 达标 standard applies (S6: provinces set 艺术类 and 边远脱贫 sets)."""

    GENERAL = "GENERAL", _("一般类")
    ART = "ART", _("艺术类")
    REMOTE = "REMOTE", _("边远脱贫地区")
    TECHNICAL = "TECHNICAL", _("技工学校")


class DesignationKind(models.TextChoices):
    """Programme memberships a school may hold (issue 15; reference §3.1 "ProgrammeFlags")."""

    DOUBLE_EXCELLENCE = "DOUBLE_EXCELLENCE", _("省“双优”建设学校")
    CENTRE = "CENTRE", _("县级职教中心")
    CITY_TRAINING = "CITY_TRAINING", _("市级职业教育培训中心")
    COMPREHENSIVE_HIGH = "COMPREHENSIVE_HIGH", _("特色综合高中")
    INTEGRATION_PILOT = "INTEGRATION_PILOT", _("职普融通试点")


class IntegrationMode(models.TextChoices):
    """职普融通 pilot modes."""

    SCHOOL = "SCHOOL", _("学校融通")
    CLASS = "CLASS", _("班级融通")
    COURSE = "COURSE", _("课程融通")


class PartnershipKind(models.TextChoices):
    """贯通培养 kinds (reference §2.6: model both as a 贯通项目)."""

    FIVE_YEAR = "FIVE_YEAR", _("五年一贯制")
    SECONDARY_HIGHER = "SECONDARY_HIGHER", _("中高职贯通（3+2等）")
    HIGHER_BACHELOR = "HIGHER_BACHELOR", _("高职本科贯通")


class ItemKind(models.TextChoices):
    CATEGORY = "CATEGORY", _("专业大类")
    CLASS = "CLASS", _("专业类")
    MAJOR = "MAJOR", _("专业")
