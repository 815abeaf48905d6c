"""Enforcement (执法检查): campaigns (专项整治), inspections (检查) and cases (案件).

A :class:`Case` is of one of the kinds the department reports (the 2022 figures in shared/seed:
广告拆除, 整治违规培训行为, 取缔黑机构, 查处一对一等地下违规培训, 在职教师有偿补课, plus 违规收费), links
the reports (complaints.Report) and risk warnings (risk.RiskWarning) that led to it, names the
institution or — masked — the person concerned, cites legal bases (``enforcement.legal``, RULES.md
D8 with the UNCERTAIN articles labelled), records measures and penalties (fen) and its closure.
Lifecycle (django-fsm-2), audited with simple-history (user and reason on every change)::

    OPEN 已立案 → INVESTIGATING 调查取证 → DECIDED 已作出处理决定 → CLOSED 已结案
    OPEN / INVESTIGATING → REVOKED 撤销立案
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import transition
from simple_history.models import HistoricalRecords

from shuangjian.common.fsm import StateField
from shuangjian.common.scoping import ScopedQuerySet

from .choices import CaseKind, CaseState
from .choices import Measure as Measure  # re-exported: `from .models import Measure` elsewhere


class Campaign(models.Model):
    """A special campaign (专项整治, e.g. 暑期校外培训治理) over a region and a date range (both inclusive).

    ``region`` may be the province, a city or a county; a campaign is visible to the regulators of
    its region's subtree and of the regions above it (``selectors.campaigns_visible``).
    """

    name = models.CharField(_("名称"), max_length=200)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("范围"), on_delete=models.PROTECT, related_name="+"
    )
    start_on = models.DateField(_("开始日期"))
    end_on = models.DateField(_("结束日期"))
    focus = models.CharField(_("整治重点"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    scope_region_field = "region"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-start_on", "id"]
        verbose_name = _("专项整治")
        verbose_name_plural = _("专项整治")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_on__gte=models.F("start_on")), name="enf_campaign_dates"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Inspection(models.Model):
    """An inspection (检查) on a date in a county, of an institution or a place, within a campaign or not."""

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("专项整治"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    county = models.ForeignKey(
        "regions.Region", verbose_name=_("区县"), on_delete=models.PROTECT, related_name="+"
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("检查机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    place = models.CharField(_("检查地点"), max_length=300, blank=True)
    inspected_on = models.DateField(_("检查日期"), db_index=True)
    inspectors = models.CharField(_("检查人员"), max_length=200, blank=True)
    findings = models.TextField(_("检查发现"), blank=True)
    problem_found = models.BooleanField(_("发现问题"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    scope_region_field = "county"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-inspected_on", "-id"]
        verbose_name = _("检查")
        verbose_name_plural = _("检查")

    def __str__(self) -> str:
        return f"{self.inspected_on} {self.institution or self.place}"


class Case(models.Model):
    """A case (案件) handled by a county.

    - ``number``: 立案编号 ``JC-<county>-<year>-<seq>``.
    - the party: ``institution`` (registered) or ``party_name`` (an unregistered operator's name, or a
      person's name stored MASKED, e.g. 张** — never in full) and ``party_id_masked``.
    - ``legal_bases``: keys of ``enforcement.legal.LEGAL_BASES``; ``measures``: :class:`Measure` values.
    - money in fen: ``fine_fen`` (罚款), ``confiscated_fen`` (没收违法所得), ``refund_ordered_fen``.
    - ``ads_removed``: advertisements removed (拆除广告 cases); ``subjects_count``: institutions or
      persons dealt with in the case (1 unless one case covers several).
    """

    number = models.CharField(_("立案编号"), max_length=40, unique=True)
    kind = models.CharField(_("案件类型"), max_length=20, choices=CaseKind.choices, db_index=True)
    county = models.ForeignKey(
        "regions.Region", verbose_name=_("承办区县"), on_delete=models.PROTECT, related_name="+"
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("专项整治"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("来源检查"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("涉案机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    party_name = models.CharField(_("当事人（脱敏）"), max_length=200, blank=True)
    party_id_masked = models.CharField(_("当事人证件号（脱敏）"), max_length=24, blank=True)
    reports = models.ManyToManyField(
        "complaints.Report", verbose_name=_("来源线索"), blank=True, related_name="cases"
    )
    warnings = models.ManyToManyField(
        "risk.RiskWarning", verbose_name=_("来源预警"), blank=True, related_name="cases"
    )
    facts = models.TextField(_("案情"), blank=True)
    legal_bases = models.JSONField(_("法律依据"), default=list, blank=True)
    measures = models.JSONField(_("处理措施"), default=list, blank=True)
    fine_fen = models.BigIntegerField(_("罚款（分）"), default=0)
    confiscated_fen = models.BigIntegerField(_("没收违法所得（分）"), default=0)
    refund_ordered_fen = models.BigIntegerField(_("责令退费（分）"), default=0)
    ads_removed = models.PositiveIntegerField(_("拆除广告（条）"), default=0)
    subjects_count = models.PositiveIntegerField(_("涉及机构/人数"), default=1)
    state = StateField(
        _("状态"), max_length=14, choices=CaseState.choices, default=CaseState.OPEN, db_index=True
    )
    opened_on = models.DateField(_("立案日期"), db_index=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True, db_index=True)
    decision = models.TextField(_("处理决定"), blank=True)
    closure_note = models.TextField(_("结案说明"), blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    scope_region_field = "county"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fine_fen__gte=0, confiscated_fen__gte=0, refund_ordered_fen__gte=0),
                name="enf_case_money_nonneg",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()}"

    @property
    def party_label(self) -> str:
        if self.institution_id:
            return f"{self.institution.name}（{self.institution.credit_code}）"
        return self.party_name

    @property
    def is_open(self) -> bool:
        return self.state in (CaseState.OPEN, CaseState.INVESTIGATING, CaseState.DECIDED)

    @transition(field=state, source=CaseState.OPEN, target=CaseState.INVESTIGATING)
    def investigate(self) -> None:
        """调查取证."""

    @transition(field=state, source=[CaseState.OPEN, CaseState.INVESTIGATING], target=CaseState.DECIDED)
    def decide(self) -> None:
        """作出处理决定 (measures, penalties)."""

    @transition(field=state, source=CaseState.DECIDED, target=CaseState.CLOSED)
    def close(self) -> None:
        """结案."""

    @transition(field=state, source=[CaseState.OPEN, CaseState.INVESTIGATING], target=CaseState.REVOKED)
    def revoke(self) -> None:
        """撤销立案 (no violation established)."""
