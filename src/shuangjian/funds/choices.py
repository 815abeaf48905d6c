"""Vocabulary of the prepaid-fee custody ledger (预收费资金监管): contract, account, event, transfer,
lesson, refund-request and violation-rule values."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContractStatus(models.TextChoices):
    OPEN = "OPEN", _("履约中")
    COMPLETED = "COMPLETED", _("已完成")
    REFUNDED = "REFUNDED", _("已退费")


class AccountKind(models.TextChoices):
    CUSTODY = "CUSTODY", _("托管账户")
    LIABILITY = "LIABILITY", _("合同预收费负债")
    RELEASED = "RELEASED", _("已划拨（结算）资金")
    REFUNDED = "REFUNDED", _("已退费")
    DISCHARGED = "DISCHARGED", _("合同负债核销")
    RESERVE = "RESERVE", _("风险保证金")
    OWN_FUNDS = "OWN_FUNDS", _("机构自有资金")


class EventKind(models.TextChoices):
    PAYMENT = "PAYMENT", _("缴费")
    CONSUMPTION = "CONSUMPTION", _("消课")
    REFUND = "REFUND", _("退费")
    RESERVE_DEPOSIT = "RESERVE_DEPOSIT", _("风险保证金缴存")
    CORRECTION = "CORRECTION", _("更正")


class EventSource(models.TextChoices):
    IMPORT = "IMPORT", _("托管银行流水导入")
    API = "API", _("接口")
    WEB = "WEB", _("页面")
    SYSTEM = "SYSTEM", _("系统")


class TransferKind(models.TextChoices):
    PAYMENT = "PAYMENT", _("缴费入托管")
    RELEASE_CASH = "RELEASE_CASH", _("消课划拨")
    RELEASE_DISCHARGE = "RELEASE_DISCHARGE", _("消课核销负债")
    REFUND_CASH = "REFUND_CASH", _("退费付出")
    REFUND_DISCHARGE = "REFUND_DISCHARGE", _("退费核销负债")
    RESERVE_DEPOSIT = "RESERVE_DEPOSIT", _("缴存风险保证金")
    CORRECTION = "CORRECTION", _("更正（冲销）")


class LessonStatus(models.TextChoices):
    PENDING = "PENDING", _("待家长确认")
    CONFIRMED = "CONFIRMED", _("家长已确认")
    AUTO_CONFIRMED = "AUTO_CONFIRMED", _("逾期自动确认")
    DISPUTED = "DISPUTED", _("家长有异议（暂停划拨）")
    VOIDED = "VOIDED", _("已作废")


class RefundRequestStatus(models.TextChoices):
    REQUESTED = "REQUESTED", _("待机构答复")
    APPROVED = "APPROVED", _("机构已同意")
    AUTO_APPROVED = "AUTO_APPROVED", _("逾期自动同意")
    REJECTED = "REJECTED", _("机构不同意")
    WITHDRAWN = "WITHDRAWN", _("已撤回")


class ViolationRule(models.TextChoices):
    HOURS = "HOURS", _("一次性收费超过课时上限")
    SPAN = "SPAN", _("一次性收费超过时间跨度上限")
    AMOUNT = "AMOUNT", _("一次性收费超过金额上限")
