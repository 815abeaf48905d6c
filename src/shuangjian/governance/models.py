"""Co-governance (协同治理): social supervisors and their tasks, the coordination group, government
inspection and performance evaluation, rectification, admissions against 掐尖, publicity.

State machines (django-fsm-2)::

    Supervisor      IN_OFFICE 在任 --end_term--> ENDED 聘期届满   --dismiss--> DISMISSED 解聘
    SupervisionTask ASSIGNED 已派发 --complete--> DONE 已完成     --cancel--> CANCELLED 已撤销
    CoordinationTask OPEN 办理中 --complete--> DONE 已办结
    Rectification   OPEN 整改中 --submit--> SUBMITTED 待验收 --accept--> ACCEPTED 已验收 (--reject--> OPEN)

Every model keeps a simple-history trail; services set ``_history_user`` and ``_change_reason``.
Region scoping: each model names the path to its region (``scope_region_field``); a provincial
record (a provincial supervisor, the provincial coordination group) sits on 430000 and is seen by
the province only.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import transition
from simple_history.models import HistoricalRecords

from shuangjian.common.fsm import StateField
from shuangjian.common.scoping import ScopedQuerySet
from shuangjian.common.text import mask_phone
from shuangjian.regions.models import RegionLevel

from .choices import (
    CoordinationStatus,
    IndicatorMethod,
    Level,
    PublicityKind,
    RectificationStatus,
    SupervisorField,
    SupervisorStatus,
    TaskKind,
    TaskStatus,
    UnitRole,
)

LEVEL_OF_REGION: dict[str, Level] = {
    RegionLevel.PROVINCE: Level.PROVINCE,
    RegionLevel.PREFECTURE: Level.CITY,
    RegionLevel.COUNTY: Level.COUNTY,
}


class Supervisor(models.Model):
    """A social supervisor (社会监督员) appointed (选聘) by a province, city or county.

    ``number`` (聘书编号) is the import key. In office on D: ``term_start ≤ D ≤ term_end`` and not
    ended before D (``ended_on`` empty or after D). ``renewed_from`` links a renewal (续聘) to the
    previous term. ``user`` is the supervisor's login (role 社会监督员), when one was issued.
    The phone is stored for contact and shown masked.
    """

    number = models.CharField(_("聘书编号"), max_length=40, unique=True)
    name = models.CharField(_("姓名"), max_length=50)
    level = models.CharField(_("选聘层级"), max_length=10, choices=Level.choices)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("选聘区域"), on_delete=models.PROTECT, related_name="supervisors"
    )
    field = models.CharField(
        _("监督领域"), max_length=12, choices=SupervisorField.choices, default=SupervisorField.OFF_CAMPUS
    )
    work_unit = models.CharField(_("工作单位/身份"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    term_start = models.DateField(_("聘期开始"))
    term_end = models.DateField(_("聘期结束"))
    status = StateField(
        _("状态"),
        max_length=10,
        choices=SupervisorStatus.choices,
        default=SupervisorStatus.IN_OFFICE,
        db_index=True,
    )
    ended_on = models.DateField(_("离任日期"), null=True, blank=True)
    end_reason = models.CharField(_("离任原因"), max_length=200, blank=True)
    renewed_from = models.OneToOneField(
        "self",
        verbose_name=_("续聘自"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewal",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervisor_profile",
    )
    source = models.CharField(_("选聘依据"), max_length=200, blank=True)
    import_fingerprint = models.CharField(_("导入指纹"), max_length=64, blank=True)
    history = HistoricalRecords(excluded_fields=["phone"])

    scope_region_field = "region"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["level", "number"]
        verbose_name = _("社会监督员")
        verbose_name_plural = _("社会监督员")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(term_end__gte=models.F("term_start")), name="supervisor_term_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.number}）"

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    def in_office_on(self, day: dt.date) -> bool:
        """Whether the supervisor is in office on ``day``."""
        return self.term_start <= day <= self.term_end and (self.ended_on is None or self.ended_on > day)

    @transition(field=status, source=SupervisorStatus.IN_OFFICE, target=SupervisorStatus.ENDED)
    def end_term(self) -> None:
        """聘期届满 (or ended early by the supervisor's own request)."""

    @transition(field=status, source=SupervisorStatus.IN_OFFICE, target=SupervisorStatus.DISMISSED)
    def dismiss(self) -> None:
        """解聘."""


class SupervisionTaskQuerySet(ScopedQuerySet):
    def overdue(self, today: dt.date) -> SupervisionTaskQuerySet:
        return self.filter(status=TaskStatus.ASSIGNED, due_date__lt=today)


class SupervisionTask(models.Model):
    """An inspection task (督查任务) assigned to a supervisor: 暗访 of an institution, a check of a
    school's homework publication … in one county (``county``, the scope). ``due_date`` is
    ``governance.supervisor_task_working_days`` working days after ``assigned_on``."""

    supervisor = models.ForeignKey(
        Supervisor, verbose_name=_("社会监督员"), on_delete=models.PROTECT, related_name="tasks"
    )
    kind = models.CharField(_("任务类型"), max_length=20, choices=TaskKind.choices)
    title = models.CharField(_("任务名称"), max_length=200)
    instructions = models.TextField(_("任务要求"), blank=True)
    county = models.ForeignKey(
        "regions.Region",
        verbose_name=_("督查区县"),
        on_delete=models.PROTECT,
        related_name="supervision_tasks",
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("督查机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervision_tasks",
    )
    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("督查学校"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervision_tasks",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("派发人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_supervision_tasks",
    )
    assigned_on = models.DateField(_("派发日期"))
    due_date = models.DateField(_("办理期限"), db_index=True)
    deadline_warning = models.CharField(_("期限计算提示"), max_length=200, blank=True)
    status = StateField(
        _("状态"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.ASSIGNED, db_index=True
    )
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    summary = models.TextField(_("督查情况"), blank=True)
    history = HistoricalRecords()

    scope_region_field = "county"
    objects = SupervisionTaskQuerySet.as_manager()

    class Meta:
        ordering = ["-assigned_on", "-id"]
        verbose_name = _("督查任务")
        verbose_name_plural = _("督查任务")

    def __str__(self) -> str:
        return self.title

    @transition(field=status, source=TaskStatus.ASSIGNED, target=TaskStatus.DONE)
    def complete(self) -> None:
        """完成: the supervisor reports what was found (findings are filed separately)."""

    @transition(field=status, source=TaskStatus.ASSIGNED, target=TaskStatus.CANCELLED)
    def cancel(self) -> None:
        """撤销 by the assigning regulator."""


class Finding(models.Model):
    """A supervisor's finding (督查发现): it IS a report in the 随手拍 flow (``report``, source 社会监督,
    photos through the complaints photo pipeline), linked back to the task and the supervisor.
    Confirmed when the county judged the report valid."""

    task = models.ForeignKey(
        SupervisionTask,
        verbose_name=_("督查任务"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
    )
    supervisor = models.ForeignKey(
        Supervisor, verbose_name=_("社会监督员"), on_delete=models.PROTECT, related_name="findings"
    )
    report = models.OneToOneField(
        "complaints.Report",
        verbose_name=_("举报线索"),
        on_delete=models.PROTECT,
        related_name="supervisor_finding",
    )
    county = models.ForeignKey(
        "regions.Region",
        verbose_name=_("承办区县"),
        on_delete=models.PROTECT,
        related_name="supervisor_findings",
    )
    filed_at = models.DateTimeField(_("提交时间"))
    history = HistoricalRecords()

    scope_region_field = "county"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-filed_at"]
        verbose_name = _("督查发现")
        verbose_name_plural = _("督查发现")

    def __str__(self) -> str:
        return f"{self.supervisor.name} → {self.report.number}"


# --- Coordination group (双减协调小组) ----------------------------------------------------------


class CoordinationUnit(models.Model):
    """A member unit (成员单位) of a region's 双减 coordination group (the province's has 24).

    ``source`` says where the unit's membership or duty is documented; ``source_status`` uses the
    RULES.md labels (FOUND where the seed document names the unit's 双减 role, UNCERTAIN where the
    membership is inferred from the national mechanism's members)."""

    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("协调小组所在区域"),
        on_delete=models.PROTECT,
        related_name="coordination_units",
    )
    name = models.CharField(_("单位名称"), max_length=100)
    role = models.CharField(_("角色"), max_length=8, choices=UnitRole.choices, default=UnitRole.MEMBER)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    joined_on = models.DateField(_("加入日期"))
    left_on = models.DateField(_("退出日期"), null=True, blank=True)
    source = models.CharField(_("依据"), max_length=300)
    source_status = models.CharField(_("依据状态"), max_length=20, default="FOUND")
    history = HistoricalRecords()

    scope_region_field = "region"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["region", "order", "id"]
        verbose_name = _("协调小组成员单位")
        verbose_name_plural = _("协调小组成员单位")
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="uniq_coordination_unit")]

    def __str__(self) -> str:
        return self.name


class UnitDuty(models.Model):
    """One duty (职责) of a member unit, with its source."""

    unit = models.ForeignKey(
        CoordinationUnit, verbose_name=_("成员单位"), on_delete=models.CASCADE, related_name="duties"
    )
    text = models.CharField(_("职责"), max_length=300)
    source = models.CharField(_("依据"), max_length=300, blank=True)
    history = HistoricalRecords()

    scope_region_field = "unit__region"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["unit", "id"]
        verbose_name = _("成员单位职责")
        verbose_name_plural = _("成员单位职责")

    def __str__(self) -> str:
        return self.text


class CoordinationTaskQuerySet(ScopedQuerySet):
    def overdue(self, today: dt.date) -> CoordinationTaskQuerySet:
        """Tasks not done by their deadline (as of ``today``: open and due before it)."""
        return self.filter(status=CoordinationStatus.OPEN, due_date__lt=today)


class CoordinationTask(models.Model):
    """A task the coordination group assigned (交办) to a member unit, due in working days."""

    unit = models.ForeignKey(
        CoordinationUnit, verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="tasks"
    )
    title = models.CharField(_("任务"), max_length=200)
    detail = models.TextField(_("任务要求"), blank=True)
    assigned_on = models.DateField(_("交办日期"))
    working_days = models.PositiveSmallIntegerField(_("办理时限（工作日）"))
    due_date = models.DateField(_("办理期限"), db_index=True)
    deadline_warning = models.CharField(_("期限计算提示"), max_length=200, blank=True)
    status = StateField(
        _("状态"),
        max_length=8,
        choices=CoordinationStatus.choices,
        default=CoordinationStatus.OPEN,
        db_index=True,
    )
    completed_on = models.DateField(_("办结日期"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("交办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    scope_region_field = "unit__region"
    objects = CoordinationTaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("协调小组交办任务")
        verbose_name_plural = _("协调小组交办任务")

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: dt.date) -> bool:
        return self.status == CoordinationStatus.OPEN and self.due_date < today

    @transition(field=status, source=CoordinationStatus.OPEN, target=CoordinationStatus.DONE)
    def complete(self) -> None:
        """办结."""


class TaskProgress(models.Model):
    """A progress report (进展报告) of a coordination task."""

    task = models.ForeignKey(
        CoordinationTask, verbose_name=_("交办任务"), on_delete=models.CASCADE, related_name="progress"
    )
    reported_on = models.DateField(_("报告日期"))
    percent = models.PositiveSmallIntegerField(_("完成进度（%）"))
    text = models.TextField(_("进展情况"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报告人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["reported_on", "id"]
        verbose_name = _("任务进展")
        verbose_name_plural = _("任务进展")

    def __str__(self) -> str:
        return f"{self.reported_on} {self.percent}%"


# --- Inspection and performance evaluation (督查 / 履职评价) -------------------------------------


class IndicatorSet(models.Model):
    """The evaluation indicator set (履职评价指标体系) of one year: rule data with its source."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    name = models.CharField(_("名称"), max_length=200)
    source = models.CharField(_("依据"), max_length=300)
    source_status = models.CharField(_("依据状态"), max_length=20, default="UNCERTAIN")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("履职评价指标体系")
        verbose_name_plural = _("履职评价指标体系")

    def __str__(self) -> str:
        return self.name

    @property
    def total_weight(self) -> int:
        return sum(i.weight for i in self.indicators.all())


class Indicator(models.Model):
    """One indicator: ``weight`` points; KPI indicators score ``weight × min(1, value ÷ target)`` from
    the platform KPI ``kpi_id`` of the evaluated region (computed in the stats layer,
    ``stats/evaluation.py``); INSPECTOR indicators are scored by the inspection group (0–100 % of
    the weight) with a written finding."""

    indicator_set = models.ForeignKey(
        IndicatorSet, verbose_name=_("指标体系"), on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField(_("编号"), max_length=10)
    name = models.CharField(_("指标"), max_length=200)
    weight = models.PositiveSmallIntegerField(_("分值"))
    method = models.CharField(_("评分方式"), max_length=10, choices=IndicatorMethod.choices)
    kpi_id = models.CharField(_("平台指标"), max_length=100, blank=True)
    target = models.FloatField(_("满分目标值"), null=True, blank=True)
    guidance = models.CharField(_("评分说明"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator_set", "code"]
        verbose_name = _("评价指标")
        verbose_name_plural = _("评价指标")
        constraints = [models.UniqueConstraint(fields=["indicator_set", "code"], name="uniq_indicator_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class InspectionCampaign(models.Model):
    """A field inspection (实地督查) of city and county governments under an indicator set."""

    name = models.CharField(_("名称"), max_length=200, unique=True)
    indicator_set = models.ForeignKey(
        IndicatorSet, verbose_name=_("指标体系"), on_delete=models.PROTECT, related_name="campaigns"
    )
    start_on = models.DateField(_("开始日期"))
    end_on = models.DateField(_("结束日期"))
    as_of = models.DateField(_("数据截至"), help_text=_("平台指标的统计日"))
    period_from = models.DateField(_("统计期间起"))
    period_to = models.DateField(_("统计期间止"))
    organiser = models.CharField(_("组织单位"), max_length=200)
    source = models.CharField(_("依据"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_on"]
        verbose_name = _("督查活动")
        verbose_name_plural = _("督查活动")

    def __str__(self) -> str:
        return self.name


class CampaignTarget(models.Model):
    """A city or county inspected in a campaign (被督查地区)."""

    campaign = models.ForeignKey(
        InspectionCampaign, verbose_name=_("督查活动"), on_delete=models.CASCADE, related_name="targets"
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("被督查地区"),
        on_delete=models.PROTECT,
        related_name="inspection_targets",
    )
    visited_on = models.DateField(_("实地督查日期"), null=True, blank=True)
    history = HistoricalRecords()

    scope_region_field = "region"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["campaign", "region"]
        verbose_name = _("被督查地区")
        verbose_name_plural = _("被督查地区")
        constraints = [models.UniqueConstraint(fields=["campaign", "region"], name="uniq_campaign_target")]

    def __str__(self) -> str:
        return f"{self.campaign.name} · {self.region.full_name}"


class InspectorScore(models.Model):
    """The inspection group's score of an INSPECTOR indicator for one target, with its finding."""

    target = models.ForeignKey(
        CampaignTarget, verbose_name=_("被督查地区"), on_delete=models.CASCADE, related_name="scores"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="+"
    )
    percent = models.PositiveSmallIntegerField(_("得分率（%）"))
    finding = models.TextField(_("督查发现"))
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评分人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    scored_on = models.DateField(_("评分日期"))
    history = HistoricalRecords()

    scope_region_field = "target__region"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("督查评分")
        verbose_name_plural = _("督查评分")
        constraints = [
            models.UniqueConstraint(fields=["target", "indicator"], name="uniq_inspector_score"),
            models.CheckConstraint(condition=models.Q(percent__lte=100), name="inspector_score_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.percent}%"

    @property
    def points(self) -> float:
        return round(self.indicator.weight * self.percent / 100, 2)


class RectificationQuerySet(ScopedQuerySet):
    def overdue(self, today: dt.date) -> RectificationQuerySet:
        return self.filter(status=RectificationStatus.OPEN, due_date__lt=today)


class Rectification(models.Model):
    """A rectification task (整改任务) from an inspection: the inspected region must fix ``issue`` by
    ``due_date`` (working days); the inspecting level accepts (验收) or sends it back."""

    target = models.ForeignKey(
        CampaignTarget, verbose_name=_("被督查地区"), on_delete=models.CASCADE, related_name="rectifications"
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("相关指标"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issue = models.TextField(_("问题"))
    assigned_on = models.DateField(_("下达日期"))
    due_date = models.DateField(_("整改期限"), db_index=True)
    deadline_warning = models.CharField(_("期限计算提示"), max_length=200, blank=True)
    status = StateField(
        _("状态"),
        max_length=10,
        choices=RectificationStatus.choices,
        default=RectificationStatus.OPEN,
        db_index=True,
    )
    report = models.TextField(_("整改报告"), blank=True)
    submitted_on = models.DateField(_("提交日期"), null=True, blank=True)
    accepted_on = models.DateField(_("验收日期"), null=True, blank=True)
    history = HistoricalRecords()

    scope_region_field = "target__region"
    objects = RectificationQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("整改任务")
        verbose_name_plural = _("整改任务")

    def __str__(self) -> str:
        return self.issue[:40]

    @transition(field=status, source=RectificationStatus.OPEN, target=RectificationStatus.SUBMITTED)
    def submit(self) -> None:
        """The inspected region reports its rectification."""

    @transition(field=status, source=RectificationStatus.SUBMITTED, target=RectificationStatus.ACCEPTED)
    def accept(self) -> None:
        """验收通过."""

    @transition(field=status, source=RectificationStatus.SUBMITTED, target=RectificationStatus.OPEN)
    def reject(self) -> None:
        """验收不通过: back to 整改中."""


# --- Admissions against 掐尖 (招生) -------------------------------------------------------------


class AdmissionPlan(models.Model):
    """One quality general high school's enrolment plan in a county and year (招生计划).

    ``quota_allocated`` (指标生): places allocated to the county's junior schools; ``quota_admitted``:
    指标生 actually admitted; ``cross_district`` (跨区域招生): students recruited from outside the
    school's district (should be 0: "杜绝跨区域争抢生源"). Key: (year, school_code)."""

    year = models.PositiveSmallIntegerField(_("年度"))
    county = models.ForeignKey(
        "regions.Region", verbose_name=_("所在区县"), on_delete=models.PROTECT, related_name="admission_plans"
    )
    school_code = models.CharField(_("学校标识码"), max_length=20)
    school_name = models.CharField(_("学校名称"), max_length=200)
    plan_total = models.PositiveIntegerField(_("招生计划数"))
    quota_allocated = models.PositiveIntegerField(_("指标生分配数"))
    quota_admitted = models.PositiveIntegerField(_("指标生录取数"), null=True, blank=True)
    cross_district = models.PositiveIntegerField(_("跨区域招生数"), default=0)
    import_fingerprint = models.CharField(_("导入指纹"), max_length=64, blank=True)
    history = HistoricalRecords()

    scope_region_field = "county"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["year", "county", "school_code"]
        verbose_name = _("优质普通高中招生计划")
        verbose_name_plural = _("优质普通高中招生计划")
        constraints = [
            models.UniqueConstraint(fields=["year", "school_code"], name="uniq_admission_plan"),
            models.CheckConstraint(
                condition=models.Q(quota_allocated__lte=models.F("plan_total")),
                name="admission_quota_within_plan",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.school_name}"

    @property
    def quota_share(self) -> float | None:
        return round(self.quota_allocated / self.plan_total, 4) if self.plan_total else None


# --- Publicity (舆论引导) -----------------------------------------------------------------------


class PublicityEvent(models.Model):
    """A publicity event (宣传活动) with its count (pieces, episodes, entries)."""

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("区域"), on_delete=models.PROTECT, related_name="publicity_events"
    )
    kind = models.CharField(_("形式"), max_length=16, choices=PublicityKind.choices)
    title = models.CharField(_("名称"), max_length=200)
    partner = models.CharField(_("合作媒体/单位"), max_length=200, blank=True)
    held_on = models.DateField(_("日期"))
    count = models.PositiveIntegerField(_("数量（期/篇/条）"), default=1)
    source = models.CharField(_("依据"), max_length=300, blank=True)
    history = HistoricalRecords()

    scope_region_field = "region"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "id"]
        verbose_name = _("宣传活动")
        verbose_name_plural = _("宣传活动")

    def __str__(self) -> str:
        return self.title
