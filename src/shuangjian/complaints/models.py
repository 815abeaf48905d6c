"""Public reports (随手拍 / 投诉举报), their handling and the risk flags they raise.

A :class:`Report` is routed to one county (``county``) and handled there through an explicit
django-fsm-2 state machine (``status``)::

    NEW 待签收 --acknowledge--> ACCEPTED 已签收 --judge(valid)--> HANDLING 办理中 --close--> CLOSED 已办结
      |                          `--judge(invalid)-----------------------------------> CLOSED
      `--merge--> MERGED 已并案 (linked to its first report; closes with it) --unmerge--> NEW

Every model keeps a simple-history trail; services set ``_history_user`` and ``_change_reason``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import transition
from simple_history.models import HistoricalRecords

from shuangjian.accounts.choices import Role
from shuangjian.common.fsm import StateField
from shuangjian.common.scoping import ScopedQuerySet
from shuangjian.common.text import mask_phone

from .choices import ActionKind, EscalationLevel, ReportType, RiskKind, Source, Status


class ReportQuerySet(ScopedQuerySet):
    """Scoped reports with the overdue predicates used by lists, the overdue page and escalation."""

    def open(self) -> ReportQuerySet:
        return self.filter(status__in=[Status.NEW, Status.ACCEPTED, Status.HANDLING])

    def overdue(self, today: dt.date) -> ReportQuerySet:
        """Open reports past their completion deadline, or still unacknowledged past ``ack_due``."""
        return self.open().filter(
            models.Q(due_date__lt=today) | models.Q(status=Status.NEW, ack_due__lt=today)
        )


class Report(models.Model):
    """A report from the public or another channel (投诉举报线索), keyed by its tracking number.

    - ``number`` (线索编号): the tracking number given to the reporter, or the id of an imported row.
    - ``query_code_hash``: a password hash of the private query code (查询码); the code itself is
      shown once and never stored.
    - ``received_at`` (受理时间) starts the deadlines: ``ack_due`` (签收期限) and ``due_date``
      (办结期限) are Shanghai dates, computed in working days from rule data (complaints.rules).
    - ``reporter_phone`` is stored in full but shown masked to everyone except the regulators of the
      handling county (:meth:`phone_for`).
    """

    number = models.CharField(_("线索编号"), max_length=40, unique=True)
    query_code_hash = models.CharField(_("查询码摘要"), max_length=200, blank=True)
    source = models.CharField(_("来源"), max_length=12, choices=Source.choices)
    report_type = models.CharField(_("类型"), max_length=30, choices=ReportType.choices, db_index=True)
    county = models.ForeignKey(
        "regions.Region", verbose_name=_("承办区县"), on_delete=models.PROTECT, related_name="reports"
    )
    place = models.CharField(_("地点"), max_length=200, blank=True)
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("被举报机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    institution_text = models.CharField(_("被举报机构（填写）"), max_length=200, blank=True)
    institution_credit_code = models.CharField(_("被举报机构信用代码"), max_length=18, blank=True)
    description = models.TextField(_("举报内容"), blank=True)
    reporter_phone = models.CharField(_("举报人电话"), max_length=20, blank=True)
    received_at = models.DateTimeField(_("受理时间"), db_index=True)
    ack_due = models.DateField(_("签收期限"))
    due_date = models.DateField(_("办结期限"), db_index=True)
    deadline_warning = models.CharField(_("期限计算提示"), max_length=200, blank=True)
    urgent = models.BooleanField(_("紧急"), default=False, db_index=True)
    status = StateField(_("办理状态"), default=Status.NEW, choices=Status.choices, db_index=True)
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    is_valid = models.BooleanField(_("是否有效线索"), null=True, blank=True)
    validity_reason = models.CharField(_("研判理由"), max_length=500, blank=True)
    judged_at = models.DateTimeField(_("研判时间"), null=True, blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_reports",
    )
    result = models.TextField(_("办理结果"), blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True, db_index=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("并入线索"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    duplicate_reason = models.CharField(_("并案理由"), max_length=200, blank=True)
    escalation_level = models.PositiveSmallIntegerField(
        _("督办层级"), choices=EscalationLevel.choices, default=EscalationLevel.NONE, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registered_reports",
    )
    imported = models.BooleanField(_("批量导入"), default=False)
    import_fingerprint = models.CharField(_("导入指纹"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    # The audit trail never copies the reporter's phone or the query-code hash (personal data).
    history = HistoricalRecords(excluded_fields=["reporter_phone", "query_code_hash"])

    scope_region_field = "county"
    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("投诉举报")
        verbose_name_plural = _("投诉举报")
        indexes = [models.Index(fields=["institution", "report_type", "received_at"])]

    def __str__(self) -> str:
        return f"{self.number} {self.get_report_type_display()}"

    # -- display ---------------------------------------------------------------------------------
    def phone_for(self, user) -> str:
        """The reporter's phone as ``user`` may see it: full for a regulator of the handling county
        (role 县级监管 bound to ``county``), masked (138****1234) for everyone else."""
        if (
            user is not None
            and getattr(user, "is_authenticated", False)
            and user.is_active
            and getattr(user, "role", None) == Role.COUNTY
            and user.region_id == self.county_id
        ):
            return self.reporter_phone
        return mask_phone(self.reporter_phone)

    @property
    def institution_label(self) -> str:
        if self.institution_id:
            return f"{self.institution.name}（{self.institution.credit_code}）"
        if self.institution_credit_code:
            return f"{self.institution_text or ''}（{self.institution_credit_code}）".strip()
        return self.institution_text

    @property
    def is_lead(self) -> bool:
        """线索 (DESIGN.md vocabulary): a report judged valid, or one forwarded from above (部转)."""
        return self.is_valid is True or (self.source == Source.FORWARDED and self.is_valid is not False)

    @property
    def is_open(self) -> bool:
        return self.status in (Status.NEW, Status.ACCEPTED, Status.HANDLING)

    def overdue_kind(self, today: dt.date) -> str:
        """ "" when not overdue on ``today``; else "签收逾期" or "办结逾期" (Chinese label)."""
        if not self.is_open:
            return ""
        if self.due_date < today:
            return str(_("办结逾期"))
        if self.status == Status.NEW and self.ack_due < today:
            return str(_("签收逾期"))
        return ""

    @property
    def closed_on_time(self) -> bool | None:
        """Closed within the completion deadline (Shanghai date of ``closed_at`` <= ``due_date``)."""
        if self.closed_at is None:
            return None
        return timezone.localdate(self.closed_at) <= self.due_date

    # -- state machine (django-fsm-2); services call these and save ------------------------------
    @transition(field=status, source=Status.NEW, target=Status.ACCEPTED)
    def acknowledge(self) -> None:
        """签收: the county takes the report on."""
        self.acknowledged_at = timezone.now()

    @transition(field=status, source=[Status.NEW, Status.ACCEPTED], target=Status.HANDLING)
    def judge_valid(self, reason: str) -> None:
        """研判为有效线索: handling starts."""
        if self.acknowledged_at is None:
            self.acknowledged_at = timezone.now()
        self.is_valid, self.validity_reason, self.judged_at = True, reason, timezone.now()

    @transition(field=status, source=[Status.NEW, Status.ACCEPTED], target=Status.CLOSED)
    def judge_invalid(self, reason: str) -> None:
        """研判为无效线索: closed at once, the reason is the result the reporter sees."""
        now = timezone.now()
        if self.acknowledged_at is None:
            self.acknowledged_at = now
        self.is_valid, self.validity_reason, self.judged_at = False, reason, now
        self.result = reason
        self.closed_at = now

    @transition(field=status, source=Status.HANDLING, target=Status.CLOSED)
    def close(self, result: str) -> None:
        """办结 with the result text shown to the reporter."""
        self.result = result
        self.closed_at = timezone.now()

    @transition(field=status, source=[Status.NEW, Status.ACCEPTED], target=Status.MERGED)
    def merge(self, primary: Report, reason: str) -> None:
        """并案: handled together with ``primary`` (the first report)."""
        self.duplicate_of = primary
        self.duplicate_reason = reason

    @transition(field=status, source=Status.MERGED, target=Status.NEW)
    def unmerge(self) -> None:
        """取消并案: back to the county's queue as a report of its own."""
        self.duplicate_of = None
        self.duplicate_reason = ""

    @transition(field=status, source=Status.MERGED, target=Status.CLOSED)
    def close_with_primary(self, primary: Report) -> None:
        """Closed together with the first report, inheriting its validity and result."""
        self.is_valid, self.validity_reason = primary.is_valid, primary.validity_reason
        self.judged_at = primary.judged_at
        self.result = primary.result
        self.closed_at = primary.closed_at or timezone.now()


def _photo_path(instance, filename: str) -> str:
    return f"complaints/photos/{filename}"


class ReportPhoto(models.Model):
    """A photo attached to a report: re-encoded JPEG without any metadata, plus a thumbnail.

    Files live under MEDIA_ROOT/complaints/photos/ and are served only through the scoped
    ``complaints:photo`` view (never as public media).
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("照片"), upload_to=_photo_path, max_length=200)
    thumbnail = models.FileField(_("缩略图"), upload_to=_photo_path, max_length=200)
    width = models.PositiveIntegerField(_("宽（像素）"))
    height = models.PositiveIntegerField(_("高（像素）"))
    size_bytes = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("摘要"), max_length=64)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    history = HistoricalRecords()

    scope_region_field = "report__county"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("举报照片")
        verbose_name_plural = _("举报照片")

    def __str__(self) -> str:
        return f"{self.report_id} #{self.pk}"


class PendingPhoto(models.Model):
    """A valid photo kept between submissions of the public form (when another file was refused).

    Owned by the browser session that uploaded it (``session_key``); attached to the report on a
    successful submission, or purged after a day (``complaints_purge_pending``).
    """

    token = models.CharField(max_length=32, unique=True)
    session_key = models.CharField(max_length=64, db_index=True)
    original_name = models.CharField(max_length=200)
    image = models.FileField(upload_to=_photo_path, max_length=200)
    thumbnail = models.FileField(upload_to=_photo_path, max_length=200)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size_bytes = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("暂存照片")
        verbose_name_plural = _("暂存照片")

    def __str__(self) -> str:
        return self.original_name


class ReportAction(models.Model):
    """A handling step (处置措施): site inspection, interview, order to rectify, case opened…

    ``institution`` links the step to the institution concerned (defaults to the report's);
    ``case_ref`` holds the case number (立案编号) when a case was opened.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(_("措施"), max_length=24, choices=ActionKind.choices)
    taken_on = models.DateField(_("日期"))
    note = models.TextField(_("情况说明"), max_length=2000)
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("涉及机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="report_actions",
    )
    case_ref = models.CharField(_("立案编号"), max_length=60, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    history = HistoricalRecords()

    scope_region_field = "report__county"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["taken_on", "id"]
        verbose_name = _("处置措施")
        verbose_name_plural = _("处置措施")

    def __str__(self) -> str:
        return f"{self.report_id} {self.get_kind_display()} {self.taken_on}"


class ReportEscalation(models.Model):
    """An escalation of an overdue report to the city (市级督办) or the province (省级督办).

    Unique per (report, level): running ``shuangjian complaints escalate`` again changes nothing.
    ``region`` is the city or province the report was escalated to.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="escalations")
    level = models.PositiveSmallIntegerField(_("督办层级"), choices=EscalationLevel.choices)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("督办单位"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("原因"), max_length=200)
    as_of = models.DateField(_("判定日期"))
    created_at = models.DateTimeField(_("升级时间"), auto_now_add=True)
    history = HistoricalRecords()

    scope_region_field = "report__county"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["report", "level"]
        verbose_name = _("逾期督办")
        verbose_name_plural = _("逾期督办")
        constraints = [models.UniqueConstraint(fields=["report", "level"], name="uniq_escalation_level")]

    def __str__(self) -> str:
        return f"{self.report_id} {self.get_level_display()}"


class RiskFlag(models.Model):
    """An entry on an institution's risk list raised by a 爆雷 or 冒烟 report (urgent).

    The risk area reads these through :func:`shuangjian.complaints.selectors.urgent_leads_for_institution`
    (or ``RiskFlag.objects.visible_to(user).filter(institution=…)``). ``institution`` is null when
    the report named an institution that is not in the registry (its name is in ``institution_text``).
    """

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="risk_flag")
    kind = models.CharField(_("风险类型"), max_length=10, choices=RiskKind.choices)
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaint_risk_flags",
    )
    institution_text = models.CharField(_("机构（填写）"), max_length=200, blank=True)
    county = models.ForeignKey(
        "regions.Region", verbose_name=_("区县"), on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(_("发现时间"), db_index=True)
    cleared_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    history = HistoricalRecords()

    scope_region_field = "county"
    scope_institution_field = None
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at"]
        verbose_name = _("风险线索")
        verbose_name_plural = _("风险线索")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.institution_text or self.institution_id}"
