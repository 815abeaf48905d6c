"""Prepaid-fee custody ledger (预收费资金监管): contracts, the double-entry ledger, the online flow.

The ledger is double-entry and append-only (DESIGN.md "Fund events", issue 4):

- :class:`Account` — one per (kind, institution) and one prepaid-liability account per contract.
  Sign convention: a posting's ``amount_fen`` is positive for a debit, negative for a credit; an
  account's balance is the sum of its postings. Kinds and their normal balances:

  ============ ======================================= ======================================
  kind         Chinese                                 balance after payments P, releases R,
                                                       refunds F, reserve deposits D
  ============ ======================================= ======================================
  CUSTODY      托管账户 (institution, bank cash)        +(P − R − F)
  LIABILITY    合同预收费负债 (per contract)             −(P − R − F) of that contract
  RELEASED     已划拨（结算）资金 (institution)          +R   (paid out to the institution)
  REFUNDED     已退费 (institution)                     +F   (paid back to parents)
  DISCHARGED   合同负债核销 (institution)               −(R + F) (liability discharged)
  RESERVE      风险保证金 (institution)                 +D
  OWN_FUNDS    机构自有资金（保证金来源）(institution)    −D
  ============ ======================================= ======================================

- :class:`Transfer` — ``amount_fen`` (> 0) moved from its ``credit`` account to its ``debit``
  account (two different accounts). A payment is one transfer (custody ← liability); a release and
  a refund are two (the cash leg leaving custody, and the claim leg discharging the contract's
  liability). A correction is a new transfer reversing the one it references (``corrects``);
  nothing is ever updated or deleted.
- :class:`Posting` — the transfer's two sides, +a to the debit account and −a to the credit
  account, *derived* from the transfer row by a database view (``funds_posting``, issue 19 item 2):
  not stored twice, so a transfer cannot be unbalanced and the import writes one row per
  movement instead of three.
- :class:`FundEvent` — the idempotency record of every business operation (流水号 / idempotency
  key, the normalised content and its fingerprint, who posted it and from where).

Ledger rows refuse ``save()`` of an existing row, ``delete()`` and queryset ``update()`` /
``delete()``; the database refuses UPDATE (and DELETE on PostgreSQL) through triggers.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from shuangjian.common.scoping import ScopedQuerySet

from .choices import (
    AccountKind,
    ContractStatus,
    EventKind,
    EventSource,
    LessonStatus,
    RefundRequestStatus,
    TransferKind,
    ViolationRule,
)


class AppendOnlyError(RuntimeError):
    """An attempt to change or delete a ledger row (the ledger is append-only)."""


class AppendOnlyQuerySet(ScopedQuerySet):
    """A scoped queryset whose rows can be added but never updated or deleted."""

    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only: update() refused")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only: delete() refused")

    update.queryset_only = True  # type: ignore[attr-defined]
    delete.queryset_only = True  # type: ignore[attr-defined]


class AppendOnlyModel(models.Model):
    """Base of ledger rows: ``save()`` only inserts, ``delete()`` always raises."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(
                f"{type(self).__name__} #{self.pk} is append-only: corrections are new rows"
            )
        kwargs["force_insert"] = True
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} #{self.pk} is append-only: delete() refused")


# --- Contracts ------------------------------------------------------------------------------------
#: DESIGN.md's lower-case status names used by ``funds balances --json``.
STATUS_JSON = {
    ContractStatus.OPEN: "open",
    ContractStatus.COMPLETED: "completed",
    ContractStatus.REFUNDED: "refunded",
}


class Contract(models.Model):
    """A training contract (培训合同): one payment (缴费) of ``paid_fen`` for ``hours_total`` hours.

    The counters (hours consumed / pending, released, refunded) are a cache of the ledger kept by
    the services under a row lock; ``funds check`` verifies them against the postings. Status moves
    OPEN → COMPLETED (all hours consumed) or OPEN → REFUNDED (remaining balance refunded). The
    change history of a contract is its list of :class:`FundEvent` and :class:`Transfer` rows.
    ``verification_code`` (查询码) is handed to the parent with the receipt; with the contract
    number it opens the public balance page.
    """

    institution = models.ForeignKey(
        "institutions.Institution", verbose_name=_("机构"), on_delete=models.PROTECT, related_name="contracts"
    )
    county = models.ForeignKey(
        "regions.Region", verbose_name=_("所在区县"), on_delete=models.PROTECT, related_name="+"
    )
    contract_no = models.CharField(_("合同编号"), max_length=64)
    student_ref = models.CharField(_("学员编号"), max_length=64)
    training_item = models.CharField(_("培训项目"), max_length=200, blank=True)
    hours_total = models.DecimalField(_("购买课时"), max_digits=9, decimal_places=2)
    hours_consumed = models.DecimalField(_("已消课时"), max_digits=9, decimal_places=2, default=0)
    hours_pending = models.DecimalField(_("待确认课时"), max_digits=9, decimal_places=2, default=0)
    paid_fen = models.BigIntegerField(_("缴费金额（分）"))
    released_fen = models.BigIntegerField(_("已划拨（分）"), default=0)
    refunded_fen = models.BigIntegerField(_("已退费（分）"), default=0)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("服务截止日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ContractStatus.choices, default=ContractStatus.OPEN
    )
    verification_code = models.CharField(_("查询码"), max_length=12)
    opened_at = models.DateTimeField(_("缴费时间"))
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    scope_region_field = "county"
    scope_institution_field = "institution"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "contract_no"]
        verbose_name = _("培训合同")
        verbose_name_plural = _("培训合同")
        constraints = [
            models.UniqueConstraint(fields=["institution", "contract_no"], name="funds_contract_uniq_no"),
            models.CheckConstraint(condition=models.Q(paid_fen__gt=0), name="funds_contract_paid_pos"),
            models.CheckConstraint(condition=models.Q(hours_total__gt=0), name="funds_contract_hours_pos"),
            models.CheckConstraint(
                condition=models.Q(
                    released_fen__gte=0, refunded_fen__gte=0, hours_consumed__gte=0, hours_pending__gte=0
                ),
                name="funds_contract_counters_nonneg",
            ),
            models.CheckConstraint(
                condition=models.Q(released_fen__lte=models.F("paid_fen") - models.F("refunded_fen")),
                name="funds_contract_not_overdrawn",
            ),
            models.CheckConstraint(
                condition=models.Q(hours_consumed__lte=models.F("hours_total") - models.F("hours_pending")),
                name="funds_contract_hours_within",
            ),
        ]
        indexes = [models.Index(fields=["contract_no"]), models.Index(fields=["county", "status"])]

    def __str__(self) -> str:
        return f"{self.contract_no}"

    @property
    def balance_fen(self) -> int:
        """Remaining prepaid balance: paid − released − refunded (fen)."""
        return self.paid_fen - self.released_fen - self.refunded_fen

    @property
    def hours_remaining(self):
        return self.hours_total - self.hours_consumed - self.hours_pending


# --- Ledger ---------------------------------------------------------------------------------------
class Account(models.Model):
    """A ledger account: an institution-level account of ``kind``, or a contract's liability account.

    Balances are never stored: an account's balance is the sum of its postings (fen).
    """

    kind = models.CharField(_("科目"), max_length=12, choices=AccountKind.choices)
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("机构"),
        on_delete=models.PROTECT,
        related_name="fund_accounts",
    )
    contract = models.OneToOneField(
        Contract,
        verbose_name=_("合同"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="liability_account",
    )

    scope_region_field = "institution__county"
    scope_institution_field = "institution"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("账户")
        verbose_name_plural = _("账户")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "kind"],
                condition=models.Q(contract__isnull=True),
                name="funds_account_uniq_inst_kind",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="LIABILITY", contract__isnull=False)
                    | (~models.Q(kind="LIABILITY") & models.Q(contract__isnull=True))
                ),
                name="funds_account_liability_has_contract",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.contract_id or self.institution_id}"


#: The 类型 column of the fund-events file.
EVENT_KIND_BY_LABEL = {"缴费": EventKind.PAYMENT, "消课": EventKind.CONSUMPTION, "退费": EventKind.REFUND}


class FundEvent(AppendOnlyModel):
    """One business operation with its idempotency key (流水号).

    ``fingerprint`` is the SHA-1 of the normalised content (kind, time, credit code, contract number,
    student reference, amount, hours): the same key with the same fingerprint is a no-op, with a
    different one a conflict (DESIGN.md "Fund events"). Refused operations leave no event.
    """

    key = models.CharField(_("流水号"), max_length=64, unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=EventKind.choices)
    occurred_at = models.DateTimeField(_("发生时间"))
    # Not indexed on its own: events are found by key, by contract, or through their transfers.
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("机构"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    contract = models.ForeignKey(
        Contract,
        verbose_name=_("合同"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    student_ref = models.CharField(_("学员编号"), max_length=64, blank=True)
    amount_fen = models.BigIntegerField(_("金额（分）"), null=True, blank=True)
    hours = models.DecimalField(_("课时"), max_digits=9, decimal_places=2, null=True, blank=True)
    fingerprint = models.CharField(_("内容指纹"), max_length=40)
    source = models.CharField(_("来源"), max_length=8, choices=EventSource.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("记账时间"))

    scope_region_field = "institution__county"
    scope_institution_field = "institution"

    class Meta:
        ordering = ["occurred_at", "key"]
        verbose_name = _("资金流水")
        verbose_name_plural = _("资金流水")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_fen__isnull=True) | models.Q(amount_fen__gt=0),
                name="funds_event_amount_pos",
            ),
        ]

    def __str__(self) -> str:
        return self.key


class Transfer(AppendOnlyModel):
    """A movement of ``amount_fen`` (> 0, fen) from account ``credit`` to account ``debit`` (never
    the same account); its two postings, +a and −a, are derived from it (:class:`Posting`).

    ``contract`` is set for contract movements (so a contract's paid / released / refunded are sums
    of its transfers by kind). ``corrects`` points at the transfer a correction reverses.
    """

    # Not indexed: an event's transfers are read through their contract (indexed) or institution.
    event = models.ForeignKey(
        FundEvent,
        verbose_name=_("业务流水"),
        on_delete=models.PROTECT,
        related_name="transfers",
        db_index=False,
    )
    kind = models.CharField(_("类型"), max_length=20, choices=TransferKind.choices)
    # Covered by the (institution, kind) index below.
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("机构"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    contract = models.ForeignKey(
        Contract,
        verbose_name=_("合同"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers",
    )
    amount_fen = models.BigIntegerField(_("金额（分）"))
    # Not indexed: balances are aggregated over all transfers (check) or reached through the contract
    # or the institution.
    debit = models.ForeignKey(
        "Account", verbose_name=_("借方账户"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    credit = models.ForeignKey(
        "Account", verbose_name=_("贷方账户"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    occurred_at = models.DateTimeField(_("发生时间"))
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("更正对象"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrected_by",
        db_index=False,
    )

    scope_region_field = "institution__county"
    scope_institution_field = "institution"

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name = _("转账")
        verbose_name_plural = _("转账")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_fen__gt=0), name="funds_transfer_amount_pos"),
            models.CheckConstraint(
                condition=~models.Q(debit=models.F("credit")), name="funds_transfer_two_accounts"
            ),
            # A transfer is corrected at most once (a partial index: ordinary transfers cost nothing).
            models.UniqueConstraint(
                fields=["corrects"],
                condition=models.Q(corrects__isnull=False),
                name="funds_transfer_corrected_once",
            ),
        ]
        indexes = [models.Index(fields=["institution", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount_fen}"


class Posting(AppendOnlyModel):
    """One side of a transfer: ``amount_fen`` debited (> 0) or credited (< 0) to ``account``.

    Read-only, derived: rows of the database view ``funds_posting`` (migration 0003), two per
    transfer — id 2·t with +amount on its debit account, id 2·t+1 with −amount on its credit account.
    Written by nobody (an account's balance is still the sum of its postings); a transfer is
    balanced by construction."""

    transfer = models.ForeignKey(
        Transfer,
        verbose_name=_("转账"),
        on_delete=models.DO_NOTHING,
        related_name="postings",
        db_index=False,
        db_constraint=False,
    )
    account = models.ForeignKey(
        Account,
        verbose_name=_("账户"),
        on_delete=models.DO_NOTHING,
        related_name="postings",
        db_index=False,
        db_constraint=False,
    )
    amount_fen = models.BigIntegerField(_("金额（分）"))

    scope_region_field = "account__institution__county"
    scope_institution_field = "account__institution"

    class Meta:
        managed = False
        db_table = "funds_posting"
        verbose_name = _("分录")
        verbose_name_plural = _("分录")

    def __str__(self) -> str:
        return f"{self.account_id} {self.amount_fen:+d}"

    def save(self, *args, **kwargs):
        """Always ``AppendOnlyError``: postings are derived; write the :class:`Transfer`."""
        raise AppendOnlyError("Posting rows are derived from their transfer: write a Transfer")


# --- Online flow (national parent app, RULES.md §1.5) ----------------------------------------------
class Lesson(models.Model):
    """A lesson an institution recorded (课时确认): its release waits for the parent.

    Confirmed by the parent, or automatically once ``due_on`` (N working days after recording,
    rule ``funds.release.auto_confirm_working_days``) has passed; a dispute holds it until a
    regulator resolves it. Source: RULES.md §1.5 (D12 platform practice, FOUND secondary).
    """

    contract = models.ForeignKey(
        Contract, verbose_name=_("合同"), on_delete=models.PROTECT, related_name="lessons"
    )
    event = models.OneToOneField(
        FundEvent, verbose_name=_("登记流水"), on_delete=models.PROTECT, related_name="lesson"
    )
    hours = models.DecimalField(_("课时"), max_digits=9, decimal_places=2)
    status = models.CharField(
        _("状态"), max_length=16, choices=LessonStatus.choices, default=LessonStatus.PENDING
    )
    recorded_at = models.DateTimeField(_("上课时间"))
    due_on = models.DateField(_("自动确认日期"))
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    release_event = models.OneToOneField(
        FundEvent,
        verbose_name=_("划拨流水"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    dispute_reason = models.CharField(_("异议理由"), max_length=300, blank=True)
    history = HistoricalRecords()

    scope_region_field = "contract__county"
    scope_institution_field = "contract__institution"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["recorded_at", "id"]
        verbose_name = _("待确认课时")
        verbose_name_plural = _("待确认课时")

    def __str__(self) -> str:
        return f"{self.contract_id} {self.hours}"


class RefundRequest(models.Model):
    """A parent's refund request (退费申请): approved by the institution, or automatically once
    ``due_on`` (rule ``funds.refund.auto_approve_working_days``, 5 by default) has passed without an
    answer. Approval refunds the whole remaining balance. Source: RULES.md §1.5.
    """

    contract = models.ForeignKey(
        Contract, verbose_name=_("合同"), on_delete=models.PROTECT, related_name="refund_requests"
    )
    reason = models.CharField(_("退费理由"), max_length=300, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=RefundRequestStatus.choices, default=RefundRequestStatus.REQUESTED
    )
    requested_at = models.DateTimeField(_("申请时间"))
    due_on = models.DateField(_("自动同意日期"))
    decided_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answer = models.CharField(_("机构答复"), max_length=300, blank=True)
    refund_event = models.OneToOneField(
        FundEvent,
        verbose_name=_("退费流水"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    scope_region_field = "contract__county"
    scope_institution_field = "contract__institution"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("退费申请")
        verbose_name_plural = _("退费申请")
        constraints = [
            models.UniqueConstraint(
                fields=["contract"], condition=models.Q(status="REQUESTED"), name="funds_refundreq_one_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.status}"


# --- Violations -----------------------------------------------------------------------------------
class PrepaymentViolation(models.Model):
    """An over-limit prepayment (超期超额预收费) found when a payment was recorded.

    The payment itself is recorded (the money is at the bank); this record raises the violation
    against the institution for the county regulator. Sources: RULES.md §1.2 (3 months / 60 hours,
    D2 local implementations) and §1.3 (¥5,000 for non-subject training, D7).
    """

    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("机构"),
        on_delete=models.PROTECT,
        related_name="prepayment_violations",
    )
    county = models.ForeignKey(
        "regions.Region", verbose_name=_("所在区县"), on_delete=models.PROTECT, related_name="+"
    )
    contract = models.ForeignKey(
        Contract, verbose_name=_("合同"), on_delete=models.PROTECT, related_name="violations"
    )
    event = models.ForeignKey(
        FundEvent, verbose_name=_("缴费流水"), on_delete=models.PROTECT, related_name="violations"
    )
    rule = models.CharField(_("违反规则"), max_length=8, choices=ViolationRule.choices)
    detail = models.CharField(_("说明"), max_length=300)
    source = models.CharField(_("政策依据"), max_length=200)
    detected_at = models.DateTimeField(_("发现时间"))
    history = HistoricalRecords()

    scope_region_field = "county"
    scope_institution_field = "institution"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-detected_at", "id"]
        verbose_name = _("违规预收费")
        verbose_name_plural = _("违规预收费")
        constraints = [models.UniqueConstraint(fields=["event", "rule"], name="funds_violation_uniq")]

    def __str__(self) -> str:
        return f"{self.get_rule_display()} {self.contract_id}"
