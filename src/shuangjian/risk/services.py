"""Writes of the risk area: rescoring, warnings and their tasks, escalation.

:func:`risk_rescore` runs after a relevant event: a payment, a refund request and a 爆雷/冒烟
report through the receivers this area connects to the funds and complaints models
(:mod:`.receivers`, ``transaction.on_commit``); a 违规收费 case from enforcement, which calls it. ``shuangjian risk scan`` calls :func:`risk_scan` (one transaction per
institution, idempotent for a date); ``shuangjian risk escalate`` calls :func:`tasks_escalate`.
Rule data: ``risk.rules`` (local policy, RULES.md §8).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuangjian.common.audit import audit
from shuangjian.common.errors import DomainError
from shuangjian.common.rules import rule_value
from shuangjian.common.workdays import WorkdayCalendar

from .models import (
    EscalationLevel,
    RiskAssessment,
    RiskPeerBaseline,
    RiskSnapshot,
    RiskWarning,
    TaskEscalation,
    TaskOutcome,
    TaskState,
    WarningStatus,
    WarningTask,
)
from .scoring import LEVEL_RANK, LEVEL_SHORT, Assessment, Level, params_for, score
from .signals import DbSource, SignalSource, apply_peer_baselines, gather, peer_baselines

#: Institution statuses in which it no longer trains (停办 and the final ones); such an institution is
#: scored only while it still owes prepaid lessons (a closure holding parents' money is the case this
#: area exists for).
FINAL_STATUSES = ("SUSPENDED", "DEREGISTERED", "REVOKED", "BANNED")

TASK_ERROR = "该任务当前状态为“{state}”，不能{action}"


class TaskError(DomainError):
    """A task transition that the task's state does not allow (Chinese message)."""

    code = "task_refused"


@dataclass
class ScanSummary:
    """What a scan did: institutions scored, warnings raised (by level), tasks superseded."""

    scored: int = 0
    warnings: dict[str, int] = field(default_factory=dict)
    superseded: int = 0
    calendar_warnings: list[str] = field(default_factory=list)


def _deadline(level: str, county_code: str, day: dt.date, calendar: WorkdayCalendar) -> dt.date:
    days = int(rule_value(f"risk.task.deadline.{str(level).lower()}", county_code))
    return calendar.add_working_days(day, days)


def _apply(
    institution: Any,
    day: dt.date,
    result: Assessment,
    calendar: WorkdayCalendar,
    summary: ScanSummary,
    actor: Any = None,
) -> RiskWarning | None:
    """Store the assessment and snapshot; raise or supersede the warning. Returns a new warning or None."""
    explanation = result.explanation()
    previous = RiskAssessment.objects.filter(institution=institution).values_list("score", flat=True).first()
    RiskAssessment.objects.update_or_create(
        institution=institution,
        defaults={
            "county_id": institution.county_id,
            "as_of": day,
            "score": result.score,
            "level": result.level,
            "explanation": explanation,
        },
    )
    # A quiet institution that was already quiet gets no new snapshot (the trend reads a gap as 0):
    # most institutions score 0 on most days, and a row per institution and day would be noise.
    if result.score > 0 or previous is None or previous > 0:
        RiskSnapshot.objects.update_or_create(
            institution=institution,
            as_of=day,
            defaults={
                "county_id": institution.county_id,
                "score": result.score,
                "level": result.level,
                "explanation": explanation,
            },
        )
    summary.scored += 1
    if not result.level:
        return None
    active = (
        RiskWarning.objects.select_for_update()
        .filter(institution=institution, status=WarningStatus.ACTIVE)
        .first()
    )
    if active is not None and LEVEL_RANK[active.level] >= LEVEL_RANK[result.level]:
        return None  # same or lower level: the open warning stands (idempotent)
    if active is None:
        quiet = int(rule_value("risk.task.quiet_days", institution.county_id))
        lifted = (
            RiskWarning.objects.filter(
                institution=institution,
                status=WarningStatus.CLOSED,
                closed_on__gte=day - dt.timedelta(days=quiet),
            )
            .order_by("-closed_on")
            .first()
        )
        if lifted is not None and LEVEL_RANK[lifted.level] >= LEVEL_RANK[result.level]:
            return None  # lifted recently after handling: only a higher level warns again
    reason = _("风险扫描：风险分{score}，{level}预警").format(
        score=result.score, level=LEVEL_SHORT[result.level]
    )
    if active is not None:
        active.status, active.closed_on = WarningStatus.SUPERSEDED, day
        audit(active, user=actor, reason=_("升级为{level}预警").format(level=LEVEL_SHORT[result.level]))
        active.save()
        task = getattr(active, "task", None)
        if task is not None and task.is_open:
            task.supersede()
            task.outcome, task.closed_at = TaskOutcome.SUPERSEDED, timezone.now()
            audit(task, user=actor, reason=_("预警升级，转入新任务"))
            task.save()
            summary.superseded += 1
    warning = RiskWarning(
        institution=institution,
        county_id=institution.county_id,
        level=result.level,
        score=result.score,
        explanation=explanation,
        raised_on=day,
    )
    audit(warning, user=actor, reason=reason)
    warning.save()
    task = WarningTask(
        warning=warning,
        county_id=institution.county_id,
        due_on=_deadline(result.level, institution.county_id, day, calendar),
    )
    task.deadline_warning = "；".join(calendar.warnings)
    audit(task, user=actor, reason=reason)
    task.save()
    summary.warnings[result.level] = summary.warnings.get(result.level, 0) + 1
    return warning


def _should_score(institution: Any, liability: int) -> bool:
    return institution.status not in FINAL_STATUSES or liability > 0


def _category(institution: Any) -> str:
    return institution.category or "UNKNOWN"


def _baselines_for(day: dt.date) -> dict:
    row = RiskPeerBaseline.objects.filter(as_of__lte=day).order_by("-as_of").first()
    return row.data if row is not None else {}


def risk_rescore(
    *,
    institution_id: int,
    as_of: dt.date | None = None,
    source: SignalSource | None = None,
    actor: Any = None,
    calendar: WorkdayCalendar | None = None,
    summary: ScanSummary | None = None,
    baselines: dict | None = None,
    inputs: Any = None,
    params: dict[str, dict[str, float]] | None = None,
) -> Assessment | None:
    """Recompute one institution's score on ``as_of`` (today, Shanghai) in one transaction.

    Stores the assessment and the day's snapshot (a re-run overwrites the same day), raises a
    warning with its task when the level reaches blue or above and exceeds the active warning's
    level. Peer baselines: ``baselines`` or those stored by the latest scan on or before ``as_of``.
    Returns the assessment, or None for a closed institution that owes nothing.
    """
    from shuangjian.institutions.models import Institution

    day = as_of or timezone.localdate()
    source = source or DbSource()
    calendar = calendar or WorkdayCalendar()
    summary = summary if summary is not None else ScanSummary()
    baselines = baselines if baselines is not None else _baselines_for(day)
    with transaction.atomic():
        institution = Institution.objects.select_for_update().get(pk=institution_id)
        item = inputs if inputs is not None else gather(source, institution.pk, day)
        if not _should_score(institution, item.liability_fen):
            return None
        apply_peer_baselines(item, baselines, _category(institution), institution.county_id)
        if params is None:
            params = {}
        if institution.county_id not in params:  # one rule lookup per county and scan
            params[institution.county_id] = params_for(institution.county_id)
        result = score(item, params[institution.county_id])
        _apply(institution, day, result, calendar, summary, actor)
    return result


def risk_scan(
    *,
    as_of: dt.date | None = None,
    region_code: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ScanSummary:
    """Score every institution (of ``region_code``'s subtree) on ``as_of``.

    Two passes, as the backtest does: gather every institution's inputs and compute the peer
    baselines of the day (stored for later single rescoring; a regional scan keeps the province's
    baselines when they exist), then score and store each institution in its own transaction.
    Idempotent: a second scan of the same day overwrites the same snapshot and raises nothing new.
    """
    from shuangjian.institutions.models import Institution

    day = as_of or timezone.localdate()
    summary = ScanSummary()
    calendar = WorkdayCalendar()
    source = DbSource()
    from django.db.models import Exists, OuterRef, Q

    from shuangjian.funds.models import Contract

    owing = Contract.objects.filter(institution=OuterRef("pk"), status="OPEN")
    rows = list(
        Institution.objects.in_region(region_code)
        .filter(~Q(status__in=FINAL_STATUSES) | Exists(owing))
        .order_by("pk")
        .values_list("pk", "category", "county_id")
    )
    source.prefetch([pk for pk, _c, _county in rows], day)
    inputs = {pk: gather(source, pk, day) for pk, _c, _county in rows}
    groups = {pk: (category or "UNKNOWN", county) for pk, category, county in rows}
    if region_code and RiskPeerBaseline.objects.filter(as_of=day).exists():
        baselines = RiskPeerBaseline.objects.get(as_of=day).data
    else:
        baselines = peer_baselines(inputs, groups)
        RiskPeerBaseline.objects.update_or_create(as_of=day, defaults={"data": baselines})
    params: dict[str, dict[str, float]] = {}
    for n, pk in enumerate(inputs, 1):
        risk_rescore(
            institution_id=pk,
            as_of=day,
            source=source,
            calendar=calendar,
            summary=summary,
            baselines=baselines,
            inputs=inputs[pk],
            params=params,
        )
        if progress and (n % 200 == 0 or n == len(rows)):
            progress(n, len(rows))
    summary.calendar_warnings = list(calendar.warnings)
    return summary


# --- tasks --------------------------------------------------------------------------------------------
def _transition(task: WarningTask, method: str, action: str) -> None:
    try:
        getattr(task, method)()
    except Exception as exc:  # django_fsm.TransitionNotAllowed
        raise TaskError(TASK_ERROR.format(state=task.get_state_display(), action=action)) from exc


def _locked_task(task_id: int) -> WarningTask:
    return WarningTask.objects.select_for_update().get(pk=task_id)


@transaction.atomic
def task_acknowledge(*, task_id: int, actor: Any) -> WarningTask:
    """签收: OPEN → ACKNOWLEDGED, the actor becomes the assignee. Raises TaskError otherwise."""
    task = _locked_task(task_id)
    _transition(task, "acknowledge", _("签收"))
    task.acknowledged_at, task.assignee = timezone.now(), actor
    audit(task, user=actor, reason=_("签收预警处置任务"))
    task.save()
    return task


@transaction.atomic
def task_handle(*, task_id: int, actor: Any, outcome: str, note: str) -> WarningTask:
    """处置: OPEN/ACKNOWLEDGED → HANDLED with an outcome (TaskOutcome) and a note (required)."""
    if outcome not in TaskOutcome.values or outcome == TaskOutcome.SUPERSEDED:
        raise TaskError(_("处置结果无效"))
    if not (note or "").strip():
        raise TaskError(_("请填写处置情况"))
    task = _locked_task(task_id)
    _transition(task, "handle", _("登记处置结果"))
    task.outcome, task.note, task.handled_at = outcome, note.strip(), timezone.now()
    if task.assignee_id is None:
        task.assignee = actor
    audit(task, user=actor, reason=_("登记处置结果：{o}").format(o=TaskOutcome(outcome).label))
    task.save()
    return task


@transaction.atomic
def task_close(*, task_id: int, actor: Any, note: str = "") -> WarningTask:
    """关闭: HANDLED → CLOSED; the warning is lifted (status CLOSED)."""
    task = _locked_task(task_id)
    _transition(task, "close", _("关闭"))
    task.closed_at = timezone.now()
    if note:
        task.note = f"{task.note}\n{note}".strip()
    audit(task, user=actor, reason=_("审核关闭预警处置任务"))
    task.save()
    warning = RiskWarning.objects.select_for_update().get(pk=task.warning_id)
    if warning.status == WarningStatus.ACTIVE:
        warning.status, warning.closed_on = WarningStatus.CLOSED, timezone.localdate()
        audit(warning, user=actor, reason=_("处置任务已关闭，预警解除"))
        warning.save()
    return task


@dataclass
class EscalationSummary:
    city: int = 0
    province: int = 0


def tasks_escalate(*, as_of: dt.date | None = None) -> EscalationSummary:
    """Escalate ignored tasks: open past ``due_on`` → city; open ``risk.task.escalate_province_after``
    working days past ``due_on`` → province. Idempotent (one TaskEscalation per task and level)."""
    from shuangjian.regions.models import Region

    day = as_of or timezone.localdate()
    calendar = WorkdayCalendar()
    summary = EscalationSummary()
    open_states = [TaskState.OPEN, TaskState.ACKNOWLEDGED]
    ids = list(WarningTask.objects.filter(state__in=open_states, due_on__lt=day).values_list("pk", flat=True))
    for pk in ids:
        with transaction.atomic():
            task = WarningTask.objects.select_for_update().select_related("county").get(pk=pk)
            if task.state not in open_states:
                continue
            late = calendar.working_days_between(task.due_on, day)
            targets = [(EscalationLevel.CITY, task.county.parent_id or task.county_id)]
            if late >= int(rule_value("risk.task.escalate_province_after", task.county_id)):
                targets.append((EscalationLevel.PROVINCE, task.county_id[:2] + "0000"))
            for level, region_code in targets:
                if task.escalation_level >= level:
                    continue
                region = Region.objects.filter(code=region_code).first() or task.county
                TaskEscalation.objects.create(
                    task=task,
                    level=level,
                    region=region,
                    as_of=day,
                    reason=_("处置期限{due}已过{n}个工作日").format(due=task.due_on.isoformat(), n=late),
                )
                task.escalation_level = level
                audit(
                    task, user=None, reason=_("逾期未处置，升级为{l}").format(l=EscalationLevel(level).label)
                )
                task.save()
                if level == EscalationLevel.CITY:
                    summary.city += 1
                else:
                    summary.province += 1
    return summary


__all__ = [
    "Level",
    "ScanSummary",
    "TaskError",
    "risk_rescore",
    "risk_scan",
    "task_acknowledge",
    "task_close",
    "task_handle",
    "tasks_escalate",
]
