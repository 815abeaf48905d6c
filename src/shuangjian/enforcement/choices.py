"""Vocabulary of enforcement (执法检查): case kinds, measures and case states."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseKind(models.TextChoices):
    """案件类型 as reported by the department (2022 figures, shared/seed)."""

    ILLEGAL_SUBJECT = "ILLEGAL_SUBJECT", _("违规学科类培训")
    UNLICENSED = "UNLICENSED", _("取缔黑机构")
    UNDERGROUND = "UNDERGROUND", _("地下一对一等违规培训")
    TEACHER = "TEACHER", _("在职教师有偿补课")
    ADVERTISEMENT = "ADVERTISEMENT", _("拆除违规广告")
    ILLEGAL_CHARGING = "ILLEGAL_CHARGING", _("违规收费")


class Measure(models.TextChoices):
    """处理措施 and penalty types (D8 penalty types plus the usual administrative measures)."""

    WARNING = "WARNING", _("警告、通报批评")
    FINE = "FINE", _("罚款")
    CONFISCATE = "CONFISCATE", _("没收违法所得")
    STOP_ENROL = "STOP_ENROL", _("责令停止招生")
    STOP_OPERATING = "STOP_OPERATING", _("责令停止办学")
    REVOKE_LICENCE = "REVOKE_LICENCE", _("吊销许可证")
    RESTRICT_PRACTICE = "RESTRICT_PRACTICE", _("限制从业")
    REFUND = "REFUND", _("责令退还所收费用")
    RECTIFY = "RECTIFY", _("责令整改")
    BAN = "BAN", _("取缔")
    REMOVE_ADS = "REMOVE_ADS", _("拆除广告")
    DISCIPLINE = "DISCIPLINE", _("移送纪检/教师处分")
    TRANSFER_POLICE = "TRANSFER_POLICE", _("移送公安")


class CaseState(models.TextChoices):
    OPEN = "OPEN", _("已立案")
    INVESTIGATING = "INVESTIGATING", _("调查取证")
    DECIDED = "DECIDED", _("已作出处理决定")
    CLOSED = "CLOSED", _("已结案")
    REVOKED = "REVOKED", _("撤销立案")
