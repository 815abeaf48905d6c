"""Writes of co-governance (协同治理): supervisors, their tasks and findings, the coordination group,
inspection campaigns, scores, rectification, admissions and publicity.

Every function is keyword-only, runs in one transaction and leaves a simple-history record with the
acting user and a Chinese change reason (``common.audit``). Refusals raise
:class:`GovernanceError` (a ``common.errors.DomainError``, Chinese message) or ``PermissionDenied``; nothing is written then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed

from shuangjian.common.audit import save_audited
from shuangjian.common.errors import DomainError
from shuangjian.common.rules import rule_value
from shuangjian.common.workdays import WorkdayCalendar
from shuangjian.regions.models import Region, RegionLevel

from .models import (
    LEVEL_OF_REGION,
    AdmissionPlan,
    CampaignTarget,
    CoordinationTask,
    CoordinationUnit,
    Finding,
    Indicator,
    IndicatorMethod,
    IndicatorSet,
    InspectionCampaign,
    InspectorScore,
    PublicityEvent,
    PublicityKind,
    Rectification,
    SupervisionTask,
    Supervisor,
    SupervisorField,
    TaskKind,
    TaskProgress,
    UnitDuty,
    UnitRole,
)


class GovernanceError(DomainError):
    """A refused co-governance step; ``str()`` is the Chinese reason."""


def _save(obj: Model, actor: Any, reason: str) -> None:
    """Validate, then save with the audit trail's user and reason (common.audit)."""
    obj.full_clean()
    save_audited(obj, user=actor, reason=reason)


def _fsm(obj: Model, method: str, label: str) -> None:
    try:
        getattr(obj, method)()
    except TransitionNotAllowed:
        raise GovernanceError(
            _("当前状态为“%(state)s”，不能%(action)s") % {"state": obj.get_status_display(), "action": label}  # type: ignore[attr-defined]
        ) from None


def _region(code: str) -> Region:
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise GovernanceError(_("区划代码“%(code)s”不存在") % {"code": code})
    return region


def _require_regulator_over(actor: Any, region: Region) -> None:
    """The actor must be a regulator (or superuser) whose region contains ``region``."""
    if actor is None or getattr(actor, "is_superuser", False):
        return
    if not (getattr(actor, "is_regulator", False) and actor.region and actor.region.contains(region.code)):
        raise PermissionDenied(_("只能处理本辖区的事项"))


def deadline(
    start: dt.date, working_days: int, calendar: WorkdayCalendar | None = None
) -> tuple[dt.date, str]:
    """(due date, warning): ``working_days`` working days after ``start`` (not counted), holidays and
    调休 from :class:`WorkdayCalendar`; the warning names years it had to guess (weekends only)."""
    calendar = calendar or WorkdayCalendar()
    due = calendar.add_working_days(start, working_days)
    years = [f"{y}年" for y in range(start.year, due.year + 1)]
    warning = "；".join(w for w in calendar.warnings if any(w.startswith(y) for y in years))
    return due, warning[:200]


# --- Supervisors (社会监督员) ----------------------------------------------------------------------


@transaction.atomic
def supervisor_appoint(
    *,
    actor: Any,
    number: str,
    name: str,
    region_code: str,
    term_start: dt.date,
    term_end: dt.date | None = None,
    field: str = SupervisorField.OFF_CAMPUS,
    work_unit: str = "",
    phone: str = "",
    source: str = "",
    username: str = "",
    password: str = "",
) -> Supervisor:
    """选聘: appoint a supervisor at the level of ``region_code`` (省 430000, a city, or a county).

    ``term_end`` defaults to ``term_start`` + ``governance.supervisor_term_years`` years − 1 day.
    With ``username``/``password`` a login with role 社会监督员 is issued. Raises GovernanceError
    (duplicate number, bad dates or field, username taken) or PermissionDenied (outside the actor's region).
    """
    from shuangjian.accounts.models import Role, User

    region = _region(region_code)
    _require_regulator_over(actor, region)
    if Supervisor.objects.filter(number=number).exists():
        raise GovernanceError(_("聘书编号“%(no)s”已存在") % {"no": number})
    if field not in SupervisorField.values:
        raise GovernanceError(_("监督领域无效"))
    if term_end is None:
        years = int(rule_value("governance.supervisor_term_years", region.code))
        try:
            term_end = term_start.replace(year=term_start.year + years) - dt.timedelta(days=1)
        except ValueError:  # 29 February
            term_end = term_start.replace(year=term_start.year + years, day=28)
    if term_end < term_start:
        raise GovernanceError(_("聘期结束日期不能早于开始日期"))
    user = None
    if username:
        if User.objects.filter(username=username).exists():
            raise GovernanceError(_("登录名“%(u)s”已被使用") % {"u": username})
        if len(password) < 10:
            raise GovernanceError(_("初始密码至少10位"))
        user = User(username=username, role=Role.SUPERVISOR, last_name=name, phone=phone)
        user.set_password(password)
        user.full_clean()
        save_audited(user, user=actor, reason=_("开通社会监督员账号"))
    supervisor = Supervisor(
        number=number,
        name=name,
        level=LEVEL_OF_REGION[region.level],
        region=region,
        field=field,
        work_unit=work_unit,
        phone=phone,
        term_start=term_start,
        term_end=term_end,
        source=source,
        user=user,
    )
    _save(supervisor, actor, _("选聘社会监督员"))
    return supervisor


@transaction.atomic
def supervisor_end(
    *, actor: Any, supervisor: Supervisor, ended_on: dt.date, reason: str, dismiss: bool = False
) -> Supervisor:
    """聘期届满 / 解聘 on ``ended_on`` with a reason; the login (if any) is deactivated."""
    _require_regulator_over(actor, supervisor.region)
    if not reason.strip():
        raise GovernanceError(_("请填写离任原因"))
    if ended_on < supervisor.term_start:
        raise GovernanceError(_("离任日期不能早于聘期开始"))
    supervisor = Supervisor.objects.select_for_update().get(pk=supervisor.pk)
    _fsm(supervisor, "dismiss" if dismiss else "end_term", _("解聘") if dismiss else _("办理离任"))
    supervisor.ended_on, supervisor.end_reason = ended_on, reason.strip()[:200]
    _save(supervisor, actor, (_("解聘：") if dismiss else _("聘期届满：")) + reason.strip())
    if supervisor.user is not None:
        user = supervisor.user
        user.is_active = False
        save_audited(user, user=actor, reason=_("社会监督员离任，停用账号"), update_fields=["is_active"])
    return supervisor


@transaction.atomic
def supervisor_renew(
    *, actor: Any, supervisor: Supervisor, number: str, term_start: dt.date, term_end: dt.date | None = None
) -> Supervisor:
    """续聘: a new term (new 聘书编号) linked to the previous one, which ends the day before
    ``term_start`` if still in office. The login moves to the new term."""
    _require_regulator_over(actor, supervisor.region)
    if hasattr(supervisor, "renewal"):
        raise GovernanceError(_("该聘期已续聘"))
    user = supervisor.user
    if supervisor.status == "IN_OFFICE":
        supervisor = Supervisor.objects.select_for_update().get(pk=supervisor.pk)
        supervisor.end_term()
        supervisor.ended_on = max(term_start, supervisor.term_start)
        supervisor.end_reason = _("续聘")
        supervisor.user = None
        _save(supervisor, actor, _("续聘，原聘期结束"))
    renewed = supervisor_appoint(
        actor=actor,
        number=number,
        name=supervisor.name,
        region_code=supervisor.region_id,
        term_start=term_start,
        term_end=term_end,
        field=supervisor.field,
        work_unit=supervisor.work_unit,
        phone=supervisor.phone,
        source=supervisor.source,
    )
    renewed.renewed_from = supervisor
    renewed.user = user
    if user is not None and not user.is_active:
        user.is_active = True
        save_audited(user, user=actor, reason=_("续聘，恢复账号"), update_fields=["is_active"])
    _save(renewed, actor, _("续聘"))
    return renewed


def supervisor_of(user: Any) -> Supervisor | None:
    """The supervisor record in office whose login is ``user`` (None for anyone else)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Supervisor.objects.filter(user=user, status="IN_OFFICE").select_related("region").first()


@transaction.atomic
def task_assign(
    *,
    actor: Any,
    supervisor: Supervisor,
    kind: str,
    title: str,
    county_code: str,
    instructions: str = "",
    institution: Any = None,
    school: Any = None,
    assigned_on: dt.date | None = None,
) -> SupervisionTask:
    """派发督查任务 to a supervisor in office for a county in the actor's region (and, for a city or
    county supervisor, in the supervisor's own region). Due in working days (rule data)."""
    county = _region(county_code)
    if county.level != RegionLevel.COUNTY:
        raise GovernanceError(_("督查区县须为区县级行政区划"))
    _require_regulator_over(actor, county)
    assigned_on = assigned_on or timezone.localdate()
    if not supervisor.in_office_on(assigned_on) or supervisor.status != "IN_OFFICE":
        raise GovernanceError(_("%(name)s 不在聘期内，不能派发任务") % {"name": supervisor.name})
    if not supervisor.region.contains(county.code):
        raise GovernanceError(_("督查区县不在该监督员的选聘区域内"))
    if kind not in TaskKind.values:
        raise GovernanceError(_("任务类型无效"))
    if not title.strip():
        raise GovernanceError(_("请填写任务名称"))
    for thing, label in ((institution, _("机构")), (school, _("学校"))):
        if thing is not None and thing.county_id != county.code:
            raise GovernanceError(_("所选%(what)s不在督查区县内") % {"what": label})
    days = int(rule_value("governance.supervisor_task_working_days", county.code))
    due, warning = deadline(assigned_on, days)
    task = SupervisionTask(
        supervisor=supervisor,
        kind=kind,
        title=title.strip(),
        instructions=instructions,
        county=county,
        institution=institution,
        school=school,
        assigned_by=actor if getattr(actor, "pk", None) else None,
        assigned_on=assigned_on,
        due_date=due,
        deadline_warning=warning,
    )
    _save(task, actor, _("派发督查任务"))
    return task


def _own_task(actor: Any, task: SupervisionTask) -> SupervisionTask:
    locked = SupervisionTask.objects.select_for_update().select_related("supervisor").get(pk=task.pk)
    if not (getattr(actor, "is_superuser", False) or locked.supervisor.user_id == getattr(actor, "pk", None)):
        raise PermissionDenied(_("只能办理派发给自己的任务"))
    return locked


@transaction.atomic
def task_complete(*, actor: Any, task: SupervisionTask, summary: str) -> SupervisionTask:
    """完成 (by the supervisor it was assigned to), with what was checked and found."""
    if not summary.strip():
        raise GovernanceError(_("请填写督查情况"))
    task = _own_task(actor, task)
    _fsm(task, "complete", _("完成"))
    task.completed_on, task.summary = timezone.localdate(), summary.strip()
    _save(task, actor, _("完成督查任务"))
    return task


@transaction.atomic
def task_cancel(*, actor: Any, task: SupervisionTask, reason: str) -> SupervisionTask:
    """撤销 by a regulator over the task's county, with a reason."""
    _require_regulator_over(actor, task.county)
    if not reason.strip():
        raise GovernanceError(_("请填写撤销原因"))
    task = SupervisionTask.objects.select_for_update().get(pk=task.pk)
    _fsm(task, "cancel", _("撤销"))
    _save(task, actor, _("撤销督查任务：") + reason.strip())
    return task


@transaction.atomic
def finding_file(
    *,
    actor: Any,
    supervisor: Supervisor,
    report_type: str,
    description: str,
    task: SupervisionTask | None = None,
    county_code: str | None = None,
    place: str = "",
    institution: Any = None,
    institution_text: str = "",
    photos: Sequence[Any] = (),
    received_at: dt.datetime | None = None,
) -> Finding:
    """A supervisor files a finding: a report in the 随手拍 flow (complaints ``report_create``, source
    社会监督, photos already through the complaints photo pipeline) routed to the task's county (or
    ``county_code``), linked to the task. Raises GovernanceError / ReportError / PermissionDenied."""
    from shuangjian.complaints.choices import Source
    from shuangjian.complaints.services import report_create

    if not (getattr(actor, "is_superuser", False) or supervisor.user_id == getattr(actor, "pk", None)):
        raise PermissionDenied(_("只能以本人身份提交督查发现"))
    if supervisor.status != "IN_OFFICE":
        raise GovernanceError(_("不在聘期内，不能提交督查发现"))
    if task is not None:
        if task.supervisor_id != supervisor.pk:
            raise PermissionDenied(_("只能办理派发给自己的任务"))
        if task.status != "ASSIGNED":
            raise GovernanceError(_("任务已%(s)s，不能再提交发现") % {"s": task.get_status_display()})
        county_code = task.county_id
        institution = institution or task.institution
    if not county_code:
        raise GovernanceError(_("请选择发现问题所在的区县"))
    if not supervisor.region.contains(county_code):
        raise GovernanceError(_("所选区县不在本人的监督区域内"))
    if not description.strip():
        raise GovernanceError(_("请描述发现的问题"))
    if task is not None:
        description = f"【{_('社会监督员督查')}·{task.title}】{description.strip()}"
    report, _code = report_create(
        source=Source.SUPERVISION,
        report_type=report_type,
        county_code=county_code,
        description=description,
        place=place,
        institution=institution,
        institution_text=institution_text,
        actor=actor,
        photos=photos,
        received_at=received_at,
        with_query_code=False,
    )
    finding = Finding(
        task=task,
        supervisor=supervisor,
        report=report,
        county_id=report.county_id,
        filed_at=report.received_at,
    )
    _save(finding, actor, _("社会监督员提交督查发现（转入投诉举报办理）"))
    return finding


# --- Coordination group (双减协调小组) ------------------------------------------------------------


@transaction.atomic
def unit_add(
    *,
    actor: Any,
    region_code: str,
    name: str,
    joined_on: dt.date,
    source: str,
    source_status: str = "FOUND",
    role: str = UnitRole.MEMBER,
    order: int = 0,
    duties: Sequence[tuple[str, str]] = (),
) -> CoordinationUnit:
    """Add a member unit to a region's coordination group, with its duties ``(text, source)``."""
    region = _region(region_code)
    _require_regulator_over(actor, region)
    if CoordinationUnit.objects.filter(region=region, name=name).exists():
        raise GovernanceError(_("“%(name)s”已是成员单位") % {"name": name})
    unit = CoordinationUnit(
        region=region,
        name=name.strip(),
        role=role,
        order=order,
        joined_on=joined_on,
        source=source,
        source_status=source_status,
    )
    _save(unit, actor, _("加入协调小组"))
    for text, duty_source in duties:
        duty_add(actor=actor, unit=unit, text=text, source=duty_source)
    return unit


@transaction.atomic
def unit_leave(*, actor: Any, unit: CoordinationUnit, left_on: dt.date, reason: str) -> CoordinationUnit:
    """A unit leaves the coordination group on ``left_on`` (its open tasks stay listed)."""
    _require_regulator_over(actor, unit.region)
    if unit.left_on is not None:
        raise GovernanceError(_("该单位已退出协调小组"))
    if not reason.strip():
        raise GovernanceError(_("请填写退出原因"))
    if left_on < unit.joined_on:
        raise GovernanceError(_("退出日期不能早于加入日期"))
    unit.left_on = left_on
    _save(unit, actor, _("退出协调小组：") + reason.strip())
    return unit


@transaction.atomic
def duty_add(*, actor: Any, unit: CoordinationUnit, text: str, source: str = "") -> UnitDuty:
    """Record one duty (职责) of a member unit."""
    _require_regulator_over(actor, unit.region)
    if not text.strip():
        raise GovernanceError(_("请填写职责"))
    duty = UnitDuty(unit=unit, text=text.strip()[:300], source=source)
    _save(duty, actor, _("登记成员单位职责"))
    return duty


@transaction.atomic
def coordination_task_assign(
    *,
    actor: Any,
    unit: CoordinationUnit,
    title: str,
    detail: str = "",
    working_days: int | None = None,
    assigned_on: dt.date | None = None,
) -> CoordinationTask:
    """交办 a task to a member unit, due ``working_days`` working days after ``assigned_on``
    (default rule ``governance.coordination_task_working_days``)."""
    _require_regulator_over(actor, unit.region)
    if unit.left_on is not None:
        raise GovernanceError(_("该单位已退出协调小组"))
    if not title.strip():
        raise GovernanceError(_("请填写任务"))
    assigned_on = assigned_on or timezone.localdate()
    days = (
        working_days
        if working_days is not None
        else int(rule_value("governance.coordination_task_working_days", unit.region_id))
    )
    if not 1 <= days <= 250:
        raise GovernanceError(_("办理时限应在1至250个工作日之间"))
    due, warning = deadline(assigned_on, days)
    task = CoordinationTask(
        unit=unit,
        title=title.strip(),
        detail=detail,
        assigned_on=assigned_on,
        working_days=days,
        due_date=due,
        deadline_warning=warning,
        assigned_by=actor if getattr(actor, "pk", None) else None,
    )
    _save(task, actor, _("交办任务"))
    return task


@transaction.atomic
def coordination_progress_report(
    *, actor: Any, task: CoordinationTask, percent: int, text: str, reported_on: dt.date | None = None
) -> TaskProgress:
    """进展报告 (0–100 %); 100 % closes the task (办结) on the report date."""
    _require_regulator_over(actor, task.unit.region)
    if not 0 <= percent <= 100:
        raise GovernanceError(_("完成进度应在0至100之间"))
    if not text.strip():
        raise GovernanceError(_("请填写进展情况"))
    task = CoordinationTask.objects.select_for_update().get(pk=task.pk)
    if task.status != "OPEN":
        raise GovernanceError(_("任务已办结"))
    reported_on = reported_on or timezone.localdate()
    progress = TaskProgress(
        task=task,
        percent=percent,
        text=text.strip(),
        reported_on=reported_on,
        reported_by=actor if getattr(actor, "pk", None) else None,
    )
    _save(progress, actor, _("报告进展 %(p)d%%") % {"p": percent})
    if percent == 100:
        task.complete()
        task.completed_on = reported_on
        _save(task, actor, _("办结"))
    return progress


# --- Inspection and evaluation (督查 / 履职评价) -------------------------------------------------


@transaction.atomic
def indicator_set_define(
    *, actor: Any, year: int, name: str, source: str, source_status: str, indicators: Sequence[dict[str, Any]]
) -> IndicatorSet:
    """Define (or leave unchanged) a year's indicator set: each indicator dict has code, name, weight,
    method (KPI / INSPECTOR), and for KPI ``kpi_id`` and ``target``. Weights must add up to 100."""
    if sum(int(i["weight"]) for i in indicators) != 100:
        raise GovernanceError(_("指标分值合计应为100"))
    existing = IndicatorSet.objects.filter(year=year).first()
    if existing is not None:
        return existing
    indicator_set = IndicatorSet(year=year, name=name, source=source, source_status=source_status)
    _save(indicator_set, actor, _("制定履职评价指标体系"))
    for item in indicators:
        method = item["method"]
        if method not in IndicatorMethod.values:
            raise GovernanceError(_("评分方式无效"))
        if method == IndicatorMethod.KPI and (not item.get("kpi_id") or not item.get("target")):
            raise GovernanceError(_("自动计算的指标须指定平台指标和目标值"))
        indicator = Indicator(
            indicator_set=indicator_set,
            code=item["code"],
            name=item["name"],
            weight=int(item["weight"]),
            method=method,
            kpi_id=item.get("kpi_id", ""),
            target=item.get("target"),
            guidance=item.get("guidance", ""),
        )
        _save(indicator, actor, _("制定评价指标"))
    return indicator_set


@transaction.atomic
def campaign_create(
    *,
    actor: Any,
    name: str,
    indicator_set: IndicatorSet,
    start_on: dt.date,
    end_on: dt.date,
    as_of: dt.date,
    period_from: dt.date,
    period_to: dt.date,
    organiser: str,
    region_codes: Sequence[str],
    source: str = "",
) -> InspectionCampaign:
    """Create an inspection campaign over cities and counties (``region_codes``, each within the
    actor's region, not the province itself)."""
    if end_on < start_on or period_to < period_from:
        raise GovernanceError(_("结束日期不能早于开始日期"))
    if InspectionCampaign.objects.filter(name=name).exists():
        raise GovernanceError(_("督查活动“%(name)s”已存在") % {"name": name})
    regions = []
    for code in dict.fromkeys(region_codes):
        region = _region(code)
        if region.level == RegionLevel.PROVINCE:
            raise GovernanceError(_("被督查地区应为市州或县市区"))
        _require_regulator_over(actor, region)
        regions.append(region)
    if not regions:
        raise GovernanceError(_("请至少选择一个被督查地区"))
    campaign = InspectionCampaign(
        name=name,
        indicator_set=indicator_set,
        start_on=start_on,
        end_on=end_on,
        as_of=as_of,
        period_from=period_from,
        period_to=period_to,
        organiser=organiser,
        source=source,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    _save(campaign, actor, _("创建督查活动"))
    for region in regions:
        target = CampaignTarget(campaign=campaign, region=region)
        _save(target, actor, _("确定被督查地区"))
    return campaign


@transaction.atomic
def score_record(
    *,
    actor: Any,
    target: CampaignTarget,
    indicator: Indicator,
    percent: int,
    finding: str,
    scored_on: dt.date | None = None,
) -> InspectorScore:
    """The inspection group scores an INSPECTOR indicator (0–100 % of its weight) with its finding;
    scoring again replaces the earlier score (audited)."""
    _require_regulator_over(actor, target.region)
    if getattr(actor, "region_id", None) == target.region_id and not actor.is_superuser:
        raise PermissionDenied(_("被督查地区不能为自己评分"))
    if (
        indicator.method != IndicatorMethod.INSPECTOR
        or indicator.indicator_set_id != target.campaign.indicator_set_id
    ):
        raise GovernanceError(_("该指标不由督查组评分"))
    if not 0 <= percent <= 100:
        raise GovernanceError(_("得分率应在0至100之间"))
    if not finding.strip():
        raise GovernanceError(_("请填写督查发现（评分依据）"))
    score = InspectorScore.objects.select_for_update().filter(target=target, indicator=indicator).first()
    score = score or InspectorScore(target=target, indicator=indicator)
    score.percent, score.finding = percent, finding.strip()
    score.inspector = actor if getattr(actor, "pk", None) else None
    score.scored_on = scored_on or timezone.localdate()
    _save(score, actor, _("督查评分"))
    return score


@transaction.atomic
def rectification_assign(
    *,
    actor: Any,
    target: CampaignTarget,
    issue: str,
    indicator: Indicator | None = None,
    assigned_on: dt.date | None = None,
    working_days: int | None = None,
) -> Rectification:
    """下达整改任务 to an inspected region, due in working days (rule ``governance.rectification_working_days``)."""
    _require_regulator_over(actor, target.region)
    if getattr(actor, "region_id", None) == target.region_id and not actor.is_superuser:
        raise PermissionDenied(_("整改任务由督查方下达"))
    if not issue.strip():
        raise GovernanceError(_("请填写问题"))
    assigned_on = assigned_on or timezone.localdate()
    days = working_days or int(rule_value("governance.rectification_working_days", target.region_id))
    due, warning = deadline(assigned_on, days)
    rectification = Rectification(
        target=target,
        indicator=indicator,
        issue=issue.strip(),
        assigned_on=assigned_on,
        due_date=due,
        deadline_warning=warning,
    )
    _save(rectification, actor, _("下达整改任务"))
    return rectification


@transaction.atomic
def rectification_submit(
    *, actor: Any, rectification: Rectification, report: str, submitted_on: dt.date | None = None
) -> Rectification:
    """The inspected region (its own regulators) reports the rectification → 待验收."""
    if actor is not None and not (actor.is_superuser or actor.region_id == rectification.target.region_id):
        raise PermissionDenied(_("整改报告由被督查地区提交"))
    if not report.strip():
        raise GovernanceError(_("请填写整改报告"))
    rectification = Rectification.objects.select_for_update().get(pk=rectification.pk)
    _fsm(rectification, "submit", _("提交整改报告"))
    rectification.report, rectification.submitted_on = report.strip(), submitted_on or timezone.localdate()
    _save(rectification, actor, _("提交整改报告"))
    return rectification


@transaction.atomic
def rectification_review(
    *, actor: Any, rectification: Rectification, accept: bool, note: str = ""
) -> Rectification:
    """验收 (accept) or send back (reject, with a note) by the inspecting level."""
    _require_regulator_over(actor, rectification.target.region)
    if getattr(actor, "region_id", None) == rectification.target.region_id and not actor.is_superuser:
        raise PermissionDenied(_("整改由督查方验收"))
    if not accept and not note.strip():
        raise GovernanceError(_("退回时请说明理由"))
    rectification = Rectification.objects.select_for_update().get(pk=rectification.pk)
    _fsm(rectification, "accept" if accept else "reject", _("验收"))
    if accept:
        rectification.accepted_on = timezone.localdate()
    _save(rectification, actor, _("验收通过") if accept else _("验收不通过：") + note.strip())
    return rectification


# --- Admissions and publicity ---------------------------------------------------------------------


@transaction.atomic
def publicity_record(
    *,
    actor: Any,
    region_code: str,
    kind: str,
    title: str,
    held_on: dt.date,
    count: int = 1,
    partner: str = "",
    source: str = "",
) -> PublicityEvent:
    """Record a publicity event (访谈, 专刊, 短视频, 征文 …) with its count."""
    region = _region(region_code)
    _require_regulator_over(actor, region)
    if kind not in PublicityKind.values:
        raise GovernanceError(_("宣传形式无效"))
    if count < 1:
        raise GovernanceError(_("数量应为正整数"))
    event = PublicityEvent(
        region=region,
        kind=kind,
        title=title.strip(),
        held_on=held_on,
        count=count,
        partner=partner,
        source=source,
    )
    _save(event, actor, _("登记宣传活动"))
    return event


def admission_plan_save(*, actor: Any, plan: AdmissionPlan, reason: str) -> AdmissionPlan:
    """Save an admission plan row (used by the importer inside its transaction)."""
    _require_regulator_over(actor, plan.county)
    _save(plan, actor, reason)
    return plan
