"""Risk early warning (风险预警, 爆雷 / 冒烟): scores, snapshots, warnings and their handling tasks.

- :class:`RiskAssessment` — the current score of an institution with its explanation (one row each).
- :class:`RiskSnapshot` — the score on a date (one per institution and day; the trend chart).
- :class:`RiskWarning` — a warning of level 红/橙/黄/蓝 raised by a scan; it opens a
  :class:`WarningTask` (预警处置任务) for the county, with a deadline in working days.
- :class:`TaskEscalation` — an ignored task escalated to the city, then the province.

Weights, thresholds and deadlines are rule data (``risk.rules``, local policy: RULES.md §8).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import transition
from simple_history.models import HistoricalRecords

from shuangjian.common.fsm import StateField
from shuangjian.common.scoping import ScopedQuerySet

from .choices import EscalationLevel, TaskOutcome, TaskState, WarningStatus
from .scoring import LEVEL_RANK, Level


class RiskAssessment(models.Model):
    """The latest risk score of an institution (0–100), its level and the signals that fired.

    ``explanation``: list of {key, title, value, threshold, severity, points} (scoring.FiredSignal).
    """

    institution = models.OneToOneField(
        "institutions.Institution",
        verbose_name=_("机构"),
        on_delete=models.CASCADE,
        related_name="risk_assessment",
    )
    county = models.ForeignKey(
        "regions.Region", verbose_name=_("所在区县"), on_delete=models.PROTECT, related_name="+"
    )
    as_of = models.DateField(_("评估日期"))
    score = models.FloatField(_("风险分"))
    level = models.CharField(
        _("预警等级"), max_length=8, choices=Level.choices, blank=True, default="", db_index=True
    )
    explanation = models.JSONField(_("评分说明"), default=list)
    computed_at = models.DateTimeField(_("计算时间"), auto_now=True)

    scope_region_field = "county"
    scope_institution_field = "institution"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-score", "institution_id"]
        verbose_name = _("风险评估")
        verbose_name_plural = _("风险评估")

    def __str__(self) -> str:
        return f"{self.institution_id} {self.score}"


class RiskSnapshot(models.Model):
    """The score of an institution on a date (one row per institution and date; re-scans overwrite).

    A scan stores no row for an institution that scores 0 and scored 0 before: a missing date in
    the series means 0 (see selectors.trend).
    """

    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("机构"),
        on_delete=models.CASCADE,
        related_name="risk_snapshots",
    )
    county = models.ForeignKey(
        "regions.Region", verbose_name=_("所在区县"), on_delete=models.PROTECT, related_name="+"
    )
    as_of = models.DateField(_("评估日期"))
    score = models.FloatField(_("风险分"))
    level = models.CharField(_("预警等级"), max_length=8, choices=Level.choices, blank=True, default="")
    explanation = models.JSONField(_("评分说明"), default=list)

    scope_region_field = "county"
    scope_institution_field = "institution"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["institution", "as_of"]
        verbose_name = _("风险分快照")
        verbose_name_plural = _("风险分快照")
        constraints = [
            models.UniqueConstraint(fields=["institution", "as_of"], name="risk_snapshot_uniq_day")
        ]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.as_of} {self.score}"


class RiskPeerBaseline(models.Model):
    """Peer-group median ratios computed by a scan (signals.peer_baselines), reused by single rescoring.

    ``data``: {"category:SUBJECT": {"hours": m, "pay": m}, "county:430102": {"refund": m}, …}. Province-wide
    aggregates of medians only (no institution is identifiable), hence not region-scoped.
    """

    as_of = models.DateField(_("计算日期"), unique=True)
    data = models.JSONField(_("同类机构基准"), default=dict)

    class Meta:
        ordering = ["-as_of"]
        verbose_name = _("同类机构基准")
        verbose_name_plural = _("同类机构基准")

    def __str__(self) -> str:
        return str(self.as_of)


class RiskWarning(models.Model):
    """A warning (风险预警) raised on ``raised_on`` at ``level`` with the score and explanation then.

    At most one ACTIVE warning per institution: a scan at a higher level supersedes it with a new
    warning; the same or a lower level changes nothing (idempotent). Closing its task closes it; for ``risk.task.quiet_days``
    after that, a scan at the same or a lower level raises nothing new.
    """

    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("机构"),
        on_delete=models.PROTECT,
        related_name="risk_warnings",
    )
    county = models.ForeignKey(
        "regions.Region", verbose_name=_("所在区县"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("预警等级"), max_length=8, choices=Level.choices, db_index=True)
    score = models.FloatField(_("风险分"))
    explanation = models.JSONField(_("评分说明"), default=list)
    raised_on = models.DateField(_("预警日期"), db_index=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=WarningStatus.choices, default=WarningStatus.ACTIVE
    )
    closed_on = models.DateField(_("解除/升级日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    history = HistoricalRecords()

    scope_region_field = "county"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_on", "-id"]
        verbose_name = _("风险预警")
        verbose_name_plural = _("风险预警")
        constraints = [
            models.UniqueConstraint(
                fields=["institution"], condition=models.Q(status="ACTIVE"), name="risk_warning_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution} {self.get_level_display()}预警 {self.raised_on}"

    @property
    def rank(self) -> int:
        return LEVEL_RANK[self.level]


class WarningTask(models.Model):
    """A warning-handling task (预警处置任务) for the county of the institution.

    States (django-fsm-2): 待签收 OPEN → 处置中 ACKNOWLEDGED → 已处置 HANDLED → 已关闭 CLOSED;
    OPEN/ACKNOWLEDGED → CLOSED directly when the warning is superseded. ``due_on``: deadline in
    working days by level (rule ``risk.task.deadline.*``). A task neither handled nor closed by
    ``due_on`` is escalated to the city, and ``risk.task.escalate_province_after`` working days
    later to the province (``escalation_level``; :class:`TaskEscalation` rows).
    """

    warning = models.OneToOneField(
        RiskWarning, verbose_name=_("预警"), on_delete=models.PROTECT, related_name="task"
    )
    county = models.ForeignKey(
        "regions.Region", verbose_name=_("承办区县"), on_delete=models.PROTECT, related_name="+"
    )
    state = StateField(
        _("状态"), max_length=14, choices=TaskState.choices, default=TaskState.OPEN, db_index=True
    )
    due_on = models.DateField(_("处置期限"), db_index=True)
    deadline_warning = models.CharField(_("期限计算提示"), max_length=200, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    handled_at = models.DateTimeField(_("处置时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    outcome = models.CharField(_("处置结果"), max_length=16, choices=TaskOutcome.choices, blank=True)
    note = models.TextField(_("处置情况"), blank=True)
    escalation_level = models.PositiveSmallIntegerField(
        _("督办层级"), choices=EscalationLevel.choices, default=EscalationLevel.NONE
    )
    history = HistoricalRecords()

    scope_region_field = "county"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("预警处置任务")
        verbose_name_plural = _("预警处置任务")

    def __str__(self) -> str:
        return f"{self.warning} {self.get_state_display()}"

    @property
    def is_open(self) -> bool:
        return self.state in (TaskState.OPEN, TaskState.ACKNOWLEDGED)

    def is_overdue(self, today) -> bool:
        return self.is_open and self.due_on < today

    @transition(field=state, source=TaskState.OPEN, target=TaskState.ACKNOWLEDGED)
    def acknowledge(self) -> None:
        """签收: the county takes the task on."""

    @transition(field=state, source=[TaskState.OPEN, TaskState.ACKNOWLEDGED], target=TaskState.HANDLED)
    def handle(self) -> None:
        """处置完毕, with an outcome and a note."""

    @transition(field=state, source=TaskState.HANDLED, target=TaskState.CLOSED)
    def close(self) -> None:
        """关闭 after review (the warning is lifted)."""

    @transition(field=state, source=[TaskState.OPEN, TaskState.ACKNOWLEDGED], target=TaskState.CLOSED)
    def supersede(self) -> None:
        """Closed because a higher-level warning replaced it."""


class TaskEscalation(models.Model):
    """An ignored task escalated to the city (市级督办) or the province (省级督办); unique per level."""

    task = models.ForeignKey(WarningTask, on_delete=models.CASCADE, related_name="escalations")
    level = models.PositiveSmallIntegerField(_("督办层级"), choices=EscalationLevel.choices)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("督办单位"), on_delete=models.PROTECT, related_name="+"
    )
    as_of = models.DateField(_("判定日期"))
    reason = models.CharField(_("原因"), max_length=200)
    created_at = models.DateTimeField(_("升级时间"), auto_now_add=True)
    history = HistoricalRecords()

    scope_region_field = "task__county"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["task", "level"]
        verbose_name = _("预警督办")
        verbose_name_plural = _("预警督办")
        constraints = [models.UniqueConstraint(fields=["task", "level"], name="risk_escalation_uniq_level")]

    def __str__(self) -> str:
        return f"{self.task_id} {self.get_level_display()}"
