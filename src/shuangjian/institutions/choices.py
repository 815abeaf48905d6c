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


class Status(models.TextChoices):
    """Lifecycle of an institution (see models.Institution for the allowed transitions)."""

    APPLYING = "APPLYING", _("申请中")
    LICENSED = "LICENSED", _("已审批")
    RECTIFYING = "RECTIFYING", _("整改中")
    SUSPENDED = "SUSPENDED", _("停办")
    DEREGISTERED = "DEREGISTERED", _("注销")
    REVOKED = "REVOKED", _("吊销")
    BANNED = "BANNED", _("无证取缔")


class StaffRole(models.TextChoices):
    TEACHER = "TEACHER", _("教学人员")
    RESEARCH = "RESEARCH", _("教研人员")
    OTHER = "OTHER", _("其他人员")


class BackgroundCheck(models.TextChoices):
    PENDING = "PENDING", _("未核查")
    PASSED = "PASSED", _("核查通过")
    FAILED = "FAILED", _("核查未通过")


class Grade(models.TextChoices):
    """Grades a training item is meant for (适用年级)."""

    PRESCHOOL = "PRE", _("学龄前")
    G1 = "G1", _("一年级")
    G2 = "G2", _("二年级")
    G3 = "G3", _("三年级")
    G4 = "G4", _("四年级")
    G5 = "G5", _("五年级")
    G6 = "G6", _("六年级")
    G7 = "G7", _("初一")
    G8 = "G8", _("初二")
    G9 = "G9", _("初三")
    G10 = "G10", _("高一")
    G11 = "G11", _("高二")
    G12 = "G12", _("高三")


COMPULSORY_GRADES = {f"G{i}" for i in range(1, 10)}
HIGH_SCHOOL_GRADES = {"G10", "G11", "G12"}


class ClassSize(models.TextChoices):
    """Class-size bands of the Hunan guided price (D13): <10, 10–35, >35 pupils."""

    SMALL = "SMALL", _("10人以下")
    MEDIUM = "MEDIUM", _("10-35人")
    LARGE = "LARGE", _("35人以上")


class ItemStatus(models.TextChoices):
    DRAFT = "DRAFT", _("待审核")
    APPROVED = "APPROVED", _("已核准")
    WITHDRAWN = "WITHDRAWN", _("已下架")


class ApplicationState(models.TextChoices):
    SUBMITTED = "SUBMITTED", _("待审核")
    CHANGES_REQUESTED = "CHANGES_REQUESTED", _("需补正")
    APPROVED = "APPROVED", _("已批准")
    REJECTED = "REJECTED", _("不予批准")


class MaterialKind(models.TextChoices):
    CHARTER = "CHARTER", _("机构章程")
    SITE_PROOF = "SITE_PROOF", _("场所证明（产权或租赁）")
    FIRE_SAFETY = "FIRE_SAFETY", _("消防安全证明")
    STAFF_LIST = "STAFF_LIST", _("从业人员名册及资格证明")
    FUND_PROOF = "FUND_PROOF", _("资金监管承诺或协议")
    OTHER = "OTHER", _("其他材料")


class ViolationStatus(models.TextChoices):
    OPEN = "OPEN", _("未处理")
    RESOLVED = "RESOLVED", _("已处理")
