"""The registry of off-campus training institutions (校外培训机构).

Institution (with its lifecycle state machine), its category episodes, sites (办学场所),
practitioners (从业人员), training items (培训项目) and their scheduled sessions, licensing
applications (办学许可申请) with their materials, and the generic Violation record (违规记录)
that the compliance scan and other areas (funds) write.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import transition
from simple_history.models import HistoricalRecords

from shuangjian.common.fsm import StateField
from shuangjian.common.scoping import ScopedQuerySet
from shuangjian.common.text import fen_to_yuan_text

from .choices import (
    ApplicationState,
    Audience,
    BackgroundCheck,
    Category,
    ClassSize,
    EndReason,
    Grade,
    ItemStatus,
    MaterialKind,
    Mode,
    Nature,
    StaffRole,
    Status,
    ViolationStatus,
)

#: Statuses in which an institution holds a valid licence and may train.
OPERATING = (Status.LICENSED, Status.RECTIFYING)
#: Statuses that end the institution's life (no transition leaves them).
FINAL = (Status.DEREGISTERED, Status.REVOKED, Status.BANNED)


def _can_transform(instance: Any) -> bool:
    return instance.category == Category.SUBJECT


def _is_for_profit(instance: Any) -> bool:
    return instance.nature == Nature.FOR_PROFIT


class Institution(models.Model):
    """An institution, keyed by its unified social credit code (统一社会信用代码, GB 32100-2015).

    Lifecycle (``status``, django-fsm-2; every transition goes through
    :mod:`shuangjian.institutions.services`, which audits it with user and reason):

    - 申请中 APPLYING → 已审批 LICENSED (``approve``, a licence number is issued)
    - 已审批 → 整改中 RECTIFYING (``order_rectification``) → 已审批 (``finish_rectification``)
    - 已审批/整改中 → 停办 SUSPENDED (``suspend``); 已审批/整改中/停办 → 注销 DEREGISTERED
      (``deregister``) or 吊销 REVOKED (``revoke``)
    - 已审批/整改中 → 已审批 with category NON_SUBJECT (``transform``, 转型: subject → non-subject)
    - ``convert_to_non_profit`` (营转非): nature FOR_PROFIT → NON_PROFIT, date recorded
    - BANNED (无证取缔) is set when an unlicensed operator is recorded as closed (黑名单).

    ``category``/``mode``/``audiences`` describe the current episode; the dated history lives in
    :class:`InstitutionEpisode` rows.
    """

    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("机构名称"), max_length=200, db_index=True)
    county = models.ForeignKey(
        "regions.Region", verbose_name=_("所在区县"), on_delete=models.PROTECT, related_name="institutions"
    )
    address = models.CharField(_("地址"), max_length=300, blank=True)
    nature = models.CharField(_("办学性质"), max_length=12, choices=Nature.choices, blank=True)
    license_no = models.CharField(_("办学许可证号"), max_length=60, blank=True)
    fund_supervised = models.BooleanField(_("纳入资金监管"), default=False)
    status = StateField(
        _("状态"), max_length=14, choices=Status.choices, default=Status.LICENSED, db_index=True
    )
    category = models.CharField(
        _("培训类别"), max_length=12, choices=Category.choices, blank=True, default=""
    )
    mode = models.CharField(_("培训形式"), max_length=8, choices=Mode.choices, blank=True, default="")
    audiences = models.CharField(_("服务对象"), max_length=60, blank=True, default="")
    license_valid_until = models.DateField(_("许可证有效期至"), null=True, blank=True)
    non_profit_converted_on = models.DateField(_("营转非日期"), null=True, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True, default="")
    status_changed_on = models.DateField(_("状态变更日期"), null=True, blank=True)
    status_reason = models.CharField(_("状态变更原因"), max_length=300, blank=True, default="")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    scope_region_field = "county"
    scope_institution_field = "pk"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["credit_code"]
        verbose_name = _("校外培训机构")
        verbose_name_plural = _("校外培训机构")

    def __str__(self) -> str:
        return self.name

    @property
    def audience_list(self) -> list[str]:
        return [a for a in self.audiences.split(",") if a]

    @property
    def audience_labels(self) -> str:
        return "、".join(str(Audience(a).label) for a in self.audience_list if a in Audience.values)

    @property
    def is_operating(self) -> bool:
        return self.status in OPERATING

    # --- lifecycle transitions (call them through services, never directly from views) -------
    @transition(field=status, source=Status.APPLYING, target=Status.LICENSED)
    def approve(self) -> None:
        """申请中 → 已审批."""

    @transition(field=status, source=Status.LICENSED, target=Status.RECTIFYING)
    def order_rectification(self) -> None:
        """已审批 → 整改中."""

    @transition(field=status, source=Status.RECTIFYING, target=Status.LICENSED)
    def finish_rectification(self) -> None:
        """整改中 → 已审批."""

    @transition(field=status, source=[Status.LICENSED, Status.RECTIFYING], target=Status.SUSPENDED)
    def suspend(self) -> None:
        """已审批/整改中 → 停办."""

    @transition(
        field=status,
        source=[Status.LICENSED, Status.RECTIFYING, Status.SUSPENDED],
        target=Status.DEREGISTERED,
    )
    def deregister(self) -> None:
        """→ 注销."""

    @transition(
        field=status, source=[Status.LICENSED, Status.RECTIFYING, Status.SUSPENDED], target=Status.REVOKED
    )
    def revoke(self) -> None:
        """→ 吊销."""

    @transition(
        field=status,
        source=[Status.LICENSED, Status.RECTIFYING],
        target=Status.LICENSED,
        conditions=[_can_transform],
    )
    def transform(self) -> None:
        """转型: subject → non-subject; the service ends one episode and opens another."""

    @transition(
        field=status,
        source=[Status.APPLYING, Status.LICENSED, Status.RECTIFYING],
        target=None,
        conditions=[_is_for_profit],
    )
    def convert_to_non_profit(self) -> None:
        """营转非: nature FOR_PROFIT → NON_PROFIT (state unchanged)."""

    @transition(field=status, source=[Status.APPLYING], target=Status.BANNED)
    def ban_unlicensed(self) -> None:
        """An unlicensed operator closed by the regulator (无证取缔, 黑名单)."""


class InstitutionEpisode(models.Model):
    """One category episode of an institution: what it was approved for, from when, until when.

    Active on date D when ``approved_on <= D`` and (``ended_on`` is null or ``ended_on > D``)
    (DESIGN.md, institutions file contract). ``audiences`` is a comma-separated list of
    :class:`Audience` values.
    """

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="episodes")
    category = models.CharField(_("培训类别"), max_length=12, choices=Category.choices)
    mode = models.CharField(_("培训形式"), max_length=8, choices=Mode.choices)
    audiences = models.CharField(_("服务对象"), max_length=60)
    approved_on = models.DateField(_("审批日期"))
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)
    end_reason = models.CharField(_("终止原因"), max_length=14, choices=EndReason.choices, blank=True)
    license_no = models.CharField(_("办学许可证号"), max_length=60, blank=True, default="")
    history = HistoricalRecords()

    scope_region_field = "institution__county"
    scope_institution_field = "institution"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["institution", "approved_on"]
        verbose_name = _("办学期间")
        verbose_name_plural = _("办学期间")
        constraints = [
            models.UniqueConstraint(fields=["institution", "category"], name="uniq_episode_category"),
        ]
        indexes = [models.Index(fields=["category", "approved_on", "ended_on"], name="episode_active_idx")]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.category} {self.approved_on}–{self.ended_on or ''}"

    @property
    def audience_list(self) -> list[str]:
        return [a for a in self.audiences.split(",") if a]

    @property
    def audience_labels(self) -> str:
        return "、".join(str(Audience(a).label) for a in self.audience_list if a in Audience.values)

    def is_active_on(self, day: dt.date) -> bool:
        """Whether the episode is active on ``day`` (DESIGN.md rule)."""
        return self.approved_on <= day and (self.ended_on is None or self.ended_on > day)


class InstitutionProfile(models.Model):
    """The registered particulars (登记事项) of an institution during part of one episode.

    The registry file gives, per episode, the institution's 机构名称, 区县, 办学性质 and
    纳入资金监管 *during that episode* (DESIGN.md "Institutions"): an institution that turned to
    non-subject training (转型) usually re-registered under a new name, and its supervision status
    may change with the new business. Each episode therefore has one or more profiles: the first
    starts on the episode's ``approved_on``; a rename (机构更名) or a supervision change recorded
    later — through the pages, or a later registry export — starts another on its date.

    ``valid_from`` ≤ D < ``valid_to`` (``valid_to`` null: until the episode ends) says which profile
    of an episode is in force on D; the values of an institution on D are those of the profile in
    force on D of an episode active on D (:func:`shuangjian.institutions.selectors.values_on`).
    ``Institution.name`` / ``county`` / ``nature`` / ``fund_supervised`` hold the current values
    (kept in step by the services and the importer). An episode without any profile (records made
    before profiles existed) falls back to the institution's own fields.
    """

    episode = models.ForeignKey(InstitutionEpisode, on_delete=models.CASCADE, related_name="profiles")
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="profiles")
    valid_from = models.DateField(_("起始日期"))
    valid_to = models.DateField(_("截止日期"), null=True, blank=True)
    name = models.CharField(_("机构名称"), max_length=200, db_index=True)
    county = models.ForeignKey(
        "regions.Region", verbose_name=_("所在区县"), on_delete=models.PROTECT, related_name="+"
    )
    nature = models.CharField(_("办学性质"), max_length=12, choices=Nature.choices, blank=True, default="")
    fund_supervised = models.BooleanField(_("纳入资金监管"), default=False)
    history = HistoricalRecords()

    scope_region_field = "institution__county"
    scope_institution_field = "institution"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["institution", "valid_from", "id"]
        verbose_name = _("登记事项")
        verbose_name_plural = _("登记事项")
        constraints = [
            models.UniqueConstraint(fields=["episode", "valid_from"], name="uniq_profile_start"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gt=models.F("valid_from")),
                name="profile_to_after_from",
            ),
        ]
        indexes = [models.Index(fields=["episode", "valid_from", "valid_to"], name="profile_in_force_idx")]

    def __str__(self) -> str:
        return f"{self.name} {self.valid_from}–{self.valid_to or ''}"

    def is_in_force_on(self, day: dt.date) -> bool:
        """Whether this profile is in force on ``day`` (the episode's own dates not considered)."""
        return self.valid_from <= day and (self.valid_to is None or self.valid_to > day)


class Site(models.Model):
    """A teaching site (办学场所): address, floor area in m², capacity (pupils at one time)."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="sites")
    address = models.CharField(_("场所地址"), max_length=300)
    floor_area_m2 = models.DecimalField(_("建筑面积（平方米）"), max_digits=9, decimal_places=2)
    capacity = models.PositiveIntegerField(_("同时容纳人数"))
    fire_safety_ok = models.BooleanField(_("消防验收合格"), default=False)
    history = HistoricalRecords()

    scope_region_field = "institution__county"
    scope_institution_field = "institution"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["institution", "id"]
        verbose_name = _("办学场所")
        verbose_name_plural = _("办学场所")

    def __str__(self) -> str:
        return self.address


class Practitioner(models.Model):
    """A practitioner (从业人员) of an institution (D4).

    The ID number is never stored in full: ``id_number_masked`` (430102********1234) for display
    and ``id_number_digest`` (keyed SHA-256) to recognise the same person across institutions.
    """

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="practitioners")
    name = models.CharField(_("姓名"), max_length=50)
    id_number_masked = models.CharField(_("身份证号（脱敏）"), max_length=20)
    id_number_digest = models.CharField(max_length=64, db_index=True, editable=False)
    role = models.CharField(_("岗位"), max_length=10, choices=StaffRole.choices, default=StaffRole.TEACHER)
    subject = models.CharField(_("任教科目"), max_length=50, blank=True)
    teaches_subject_training = models.BooleanField(_("从事学科类培训"), default=False)
    teacher_certificate = models.CharField(_("教师资格证号"), max_length=40, blank=True)
    professional_certificate = models.CharField(_("专业能力证明"), max_length=100, blank=True)
    in_service_teacher = models.BooleanField(_("中小学在职教师"), default=False)
    background_check = models.CharField(
        _("背景核查"), max_length=8, choices=BackgroundCheck.choices, default=BackgroundCheck.PENDING
    )
    active = models.BooleanField(_("在职"), default=True)
    history = HistoricalRecords()

    scope_region_field = "institution__county"
    scope_institution_field = "institution"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["institution", "name"]
        verbose_name = _("从业人员")
        verbose_name_plural = _("从业人员")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "id_number_digest"], name="uniq_practitioner_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.id_number_masked}）"


class TrainingItem(models.Model):
    """A training item (培训项目): what is taught, to whom, how long, at what price per class hour.

    ``price_per_hour_fen``: fen per pupil per class hour (元/课时·人次, D13). ``class_minutes``:
    length of one class hour. ``grades``: comma-separated :class:`Grade` values. ``category`` is
    what the institution declared; ``classified_category``/``disguised``/``classification_reasons``
    are the classifier's verdict (RULES.md §4, D3).
    """

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="items")
    name = models.CharField(_("项目名称"), max_length=200)
    description = models.TextField(_("项目简介"), blank=True)
    category = models.CharField(_("申报类别"), max_length=12, choices=Category.choices)
    subject_area = models.CharField(_("学科/领域"), max_length=50, blank=True)
    grades = models.CharField(_("适用年级"), max_length=80)
    mode = models.CharField(_("培训形式"), max_length=8, choices=Mode.choices, default=Mode.OFFLINE)
    class_size = models.CharField(
        _("班型"), max_length=8, choices=ClassSize.choices, default=ClassSize.MEDIUM
    )
    class_minutes = models.PositiveIntegerField(_("每课时时长（分钟）"))
    total_hours = models.PositiveIntegerField(_("总课时"))
    price_per_hour_fen = models.PositiveIntegerField(_("每课时价格（分）"))
    status = models.CharField(_("状态"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.DRAFT)
    classified_category = models.CharField(_("鉴别类别"), max_length=12, choices=Category.choices, blank=True)
    disguised = models.BooleanField(_("疑似隐形变异学科类培训"), default=False)
    classification_reasons = models.JSONField(_("鉴别理由"), default=list, blank=True)
    history = HistoricalRecords()

    scope_region_field = "institution__county"
    scope_institution_field = "institution"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["institution", "name"]
        verbose_name = _("培训项目")
        verbose_name_plural = _("培训项目")

    def __str__(self) -> str:
        return self.name

    @property
    def grade_list(self) -> list[str]:
        return [g for g in self.grades.split(",") if g]

    @property
    def grade_labels(self) -> str:
        return "、".join(str(Grade(g).label) for g in self.grade_list if g in Grade.values)

    @property
    def price_text(self) -> str:
        return fen_to_yuan_text(self.price_per_hour_fen)

    @property
    def effective_category(self) -> str:
        """The stricter of the declared and the classified category (subject wins)."""
        if Category.SUBJECT in (self.category, self.classified_category):
            return Category.SUBJECT
        return Category.NON_SUBJECT


class TrainingSession(models.Model):
    """A scheduled session (排课) of a training item: Shanghai date, start and end time."""

    item = models.ForeignKey(TrainingItem, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("日期"))
    start = models.TimeField(_("开始时间"))
    end = models.TimeField(_("结束时间"))
    practitioner = models.ForeignKey(
        Practitioner,
        verbose_name=_("授课人员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
    )
    history = HistoricalRecords()

    scope_region_field = "item__institution__county"
    scope_institution_field = "item__institution"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["item", "date", "start"]
        verbose_name = _("排课")
        verbose_name_plural = _("排课")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="session_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.date} {self.start:%H:%M}-{self.end:%H:%M}"

    @property
    def minutes(self) -> int:
        start = dt.datetime.combine(self.date, self.start)
        end = dt.datetime.combine(self.date, self.end)
        return int((end - start).total_seconds() // 60)


class LicenseApplication(models.Model):
    """An application for a school-running licence (办学许可申请) filed by institution staff.

    States (django-fsm-2): 待审核 SUBMITTED → 需补正 CHANGES_REQUESTED → (resubmit) 待审核 →
    已批准 APPROVED (licence number issued, institution 申请中 → 已审批) or 不予批准 REJECTED
    (with a reason the applicant sees). ``due_on`` is the review deadline in working days
    (rule ``institutions.review_deadline_workdays``).
    """

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="applications")
    category = models.CharField(_("申请培训类别"), max_length=12, choices=Category.choices)
    mode = models.CharField(_("培训形式"), max_length=8, choices=Mode.choices)
    audiences = models.CharField(_("服务对象"), max_length=60)
    description = models.TextField(_("申请说明"), blank=True)
    state = StateField(
        _("状态"), max_length=20, choices=ApplicationState.choices, default=ApplicationState.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("提交时间"))
    due_on = models.DateField(_("办理期限"))
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_reason = models.TextField(_("审核意见"), blank=True)
    license_no = models.CharField(_("核发许可证号"), max_length=60, blank=True)
    history = HistoricalRecords()

    scope_region_field = "institution__county"
    scope_institution_field = "institution"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("办学许可申请")
        verbose_name_plural = _("办学许可申请")

    def __str__(self) -> str:
        return f"{self.institution} {self.get_category_display()} {self.get_state_display()}"

    @property
    def audience_labels(self) -> str:
        return "、".join(str(Audience(a).label) for a in self.audiences.split(",") if a in Audience.values)

    @transition(field=state, source=ApplicationState.SUBMITTED, target=ApplicationState.CHANGES_REQUESTED)
    def request_changes(self) -> None:
        """待审核 → 需补正."""

    @transition(field=state, source=ApplicationState.CHANGES_REQUESTED, target=ApplicationState.SUBMITTED)
    def resubmit(self) -> None:
        """需补正 → 待审核."""

    @transition(field=state, source=ApplicationState.SUBMITTED, target=ApplicationState.APPROVED)
    def approve(self) -> None:
        """待审核 → 已批准."""

    @transition(
        field=state,
        source=[ApplicationState.SUBMITTED, ApplicationState.CHANGES_REQUESTED],
        target=ApplicationState.REJECTED,
    )
    def reject(self) -> None:
        """→ 不予批准."""


def material_upload_to(instance: ApplicationMaterial, filename: str) -> str:
    """Stored under MEDIA_ROOT/licensing/<application id>/<random>.<ext> (never the user's name)."""
    import secrets

    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"licensing/{instance.application_id}/{secrets.token_hex(12)}.{ext}"


class ApplicationMaterial(models.Model):
    """An uploaded material of a licence application (PDF, JPEG or PNG, checked by content)."""

    application = models.ForeignKey(LicenseApplication, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(_("材料类型"), max_length=12, choices=MaterialKind.choices)
    file = models.FileField(_("文件"), upload_to=material_upload_to, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=40)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    history = HistoricalRecords()

    scope_region_field = "application__institution__county"
    scope_institution_field = "application__institution"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["application", "kind"]
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")

    def __str__(self) -> str:
        return self.original_name


class Violation(models.Model):
    """A detected violation (违规记录) of an institution, by any area.

    ``rule_id`` names the rule (e.g. ``TIME-HOLIDAY`` from the compliance engine, or a funds rule
    such as ``FUNDS-OVER-LIMIT``); ``evidence`` is a JSON object with the facts; ``fingerprint``
    distinguishes several findings of one rule at one institution (a session id, a contract no),
    so re-running a check updates instead of duplicating. ``source`` says which area wrote it
    (``compliance``, ``funds`` …). Write through :func:`services.violation_record`.
    """

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="violations")
    rule_id = models.CharField(_("规则编号"), max_length=40, db_index=True)
    title = models.CharField(_("违规事项"), max_length=200)
    evidence = models.JSONField(_("证据"), default=dict, blank=True)
    fingerprint = models.CharField(max_length=120, default="", blank=True)
    source = models.CharField(_("来源"), max_length=20, default="compliance")
    policy_source = models.CharField(_("政策依据"), max_length=300, blank=True, default="")
    detected_at = models.DateTimeField(_("发现时间"))
    status = models.CharField(
        _("状态"), max_length=10, choices=ViolationStatus.choices, default=ViolationStatus.OPEN
    )
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    resolution = models.CharField(_("处理说明"), max_length=300, blank=True, default="")
    history = HistoricalRecords()

    scope_region_field = "institution__county"
    scope_institution_field = "institution"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-detected_at", "id"]
        verbose_name = _("违规记录")
        verbose_name_plural = _("违规记录")
        indexes = [
            models.Index(fields=["source", "rule_id", "institution", "fingerprint"], name="violation_key_idx")
        ]

    def __str__(self) -> str:
        return f"{self.institution} {self.rule_id} {self.title}"


__all__ = [
    "ApplicationMaterial",
    "Audience",
    "Category",
    "EndReason",
    "Institution",
    "InstitutionEpisode",
    "InstitutionProfile",
    "LicenseApplication",
    "Mode",
    "Nature",
    "Practitioner",
    "Site",
    "Status",
    "TrainingItem",
    "TrainingSession",
    "Violation",
]
