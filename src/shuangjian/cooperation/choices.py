"""Choices of the school–enterprise cooperation area (校企合作), as named constants."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgrammeKind(models.TextChoices):
    """项目类型 of DESIGN.md "School–enterprise programmes"."""

    APPRENTICESHIP = "APPRENTICESHIP", _("学徒制")
    ORDER_CLASS = "ORDER_CLASS", _("订单班")


class FilingState(models.TextChoices):
    """States of a programme's filing (备案) with the education department.

    草稿 → 待审核 → 已备案 (approved; annual reports are filed in this state) → 已结业 (completed);
    待审核 → 退回修改 (returned with reasons) → 待审核 again.
    """

    DRAFT = "DRAFT", _("草稿")
    SUBMITTED = "SUBMITTED", _("待审核")
    RETURNED = "RETURNED", _("退回修改")
    APPROVED = "APPROVED", _("已备案")
    COMPLETED = "COMPLETED", _("已结业")


#: Filing states in which a programme counts in the statistics (filed with the department).
COUNTED_STATES = (FilingState.APPROVED, FilingState.COMPLETED)


class AgreementKind(models.TextChoices):
    SCHOOL_ENTERPRISE = "SCHOOL_ENTERPRISE", _("校企合作协议")
    TRIPARTITE = "TRIPARTITE", _("校企生（监护人）三方协议")


class MentorSide(models.TextChoices):
    """双导师: the school mentor (校内导师) and the enterprise mentor (企业导师)."""

    SCHOOL = "SCHOOL", _("校内导师")
    ENTERPRISE = "ENTERPRISE", _("企业导师")


class PeriodPlace(models.TextChoices):
    """Where a 工学交替 period is spent."""

    SCHOOL = "SCHOOL", _("在校学习")
    ENTERPRISE = "ENTERPRISE", _("企业岗位培养")


class Outcome(models.TextChoices):
    """An order-class graduate's outcome."""

    HIRED_BY_ORDERER = "HIRED_BY_ORDERER", _("订单企业录用")
    HIRED_ELSEWHERE = "HIRED_ELSEWHERE", _("其他单位就业")
    FURTHER_STUDY = "FURTHER_STUDY", _("升学")
    OTHER = "OTHER", _("其他")


class XLevel(models.TextChoices):
    """Levels of a vocational skill level certificate (职业技能等级证书, 1+X)."""

    JUNIOR = "JUNIOR", _("初级")
    INTERMEDIATE = "INTERMEDIATE", _("中级")
    SENIOR = "SENIOR", _("高级")


X_LEVEL_BY_LABEL = {"初级": XLevel.JUNIOR, "中级": XLevel.INTERMEDIATE, "高级": XLevel.SENIOR}


class SiteState(models.TextChoices):
    """A 1+X assessment site (考核站点): 申请中 → 已批准 / 不予批准; 已批准 → 已撤销."""

    APPLIED = "APPLIED", _("申请中")
    APPROVED = "APPROVED", _("已批准")
    REJECTED = "REJECTED", _("不予批准")
    REVOKED = "REVOKED", _("已撤销")


class BodyKind(models.TextChoices):
    """Industry–education bodies (产教融合平台)."""

    CONSORTIUM = "CONSORTIUM", _("市域产教联合体")
    COMMUNITY = "COMMUNITY", _("行业产教融合共同体")
    PRACTICE_CENTRE = "PRACTICE_CENTRE", _("产教融合实践中心")


class BodyLevel(models.TextChoices):
    NATIONAL = "NATIONAL", _("国家级")
    PROVINCIAL = "PROVINCIAL", _("省级")
    CITY = "CITY", _("市级")


class MemberRole(models.TextChoices):
    LEAD_ENTERPRISE = "LEAD_ENTERPRISE", _("牵头企业")
    LEAD_UNIVERSITY = "LEAD_UNIVERSITY", _("牵头高校")
    LEAD_SCHOOL = "LEAD_SCHOOL", _("牵头职业学校")
    MEMBER = "MEMBER", _("成员单位")


class CraftsmanLevel(models.TextChoices):
    """The four-level craftsman system (四级工匠培育体系) of the seed document."""

    NATIONAL = "NATIONAL", _("大国工匠")
    PROVINCE = "PROVINCE", _("湖湘工匠")
    CITY = "CITY", _("市州工匠")
    COUNTY = "COUNTY", _("县级工匠")


class IeStatus(models.TextChoices):
    """产教融合型企业 status (S14: 先建后认): in the reserve pool, recognised, withdrawn."""

    NONE = "", _("无")
    POOL = "POOL", _("入库培育")
    RECOGNISED = "RECOGNISED", _("已认定")
    WITHDRAWN = "WITHDRAWN", _("已退出")
