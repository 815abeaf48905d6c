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
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from shuangjian.common.audit import audit
from shuangjian.common.errors import DomainError
from shuangjian.common.rules import RuleBook, rule_value
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


def _deadline(
    level: str, county_code: str, day: dt.date, calendar: WorkdayCalendar, book: RuleBook
) -> dt.date:
    days = int(book.value(f"risk.task.deadline.{str(level).lower()}", county_code))
    return calendar.add_working_days(day, days)


@dataclass
class Scored:
    """One institution's assessment on a day, waiting to be stored by :func:`_store`."""

    institution_id: int
    county_id: str
    result: Assessment


#: Rows per INSERT / UPDATE statement of the bulk writes (well under SQLite's variable limit).
BATCH = 500
#: Institutions stored per transaction by a scan: a fixed number of statements each.
SCAN_CHUNK = 2000


def _store(
    items: list[Scored],
    day: dt.date,
    calendar: WorkdayCalendar,
    summary: ScanSummary,
    book: RuleBook,
    actor: Any = None,
) -> list[RiskWarning]:
    """Store the assessments and snapshots of ``items`` on ``day``; raise or supersede warnings.

    Runs inside the caller's transaction with a fixed number of statements whatever the number of
    items: the previous scores (one query), the assessments and the day's snapshots as upserts
    (``INSERT … ON CONFLICT DO UPDATE``, batches of :data:`BATCH`), and for the items at blue or
    above: the institutions locked in primary-key order, their active and recently lifted warnings
    (two queries), superseded warnings and tasks updated with their history rows, new warnings and
    tasks created with theirs (``common.audit`` reasons; ``actor`` or no user). Rules:

    - a quiet institution that was already quiet gets no new snapshot (the trend reads a gap as 0);
    - the same or a lower level than the active warning changes nothing (idempotent);
    - within ``risk.task.quiet_days`` after a warning was lifted, only a higher level warns again;
    - a higher level supersedes the active warning and closes its open task.

    Returns the new warnings.
    """
    from shuangjian.institutions.models import Institution

    if not items:
        return []
    ids = [item.institution_id for item in items]
    previous = dict(
        RiskAssessment.objects.filter(institution_id__in=ids).values_list("institution_id", "score")
    )
    now = timezone.now()
    assessments, snapshots = [], []
    for item in items:
        fields = {
            "institution_id": item.institution_id,
            "county_id": item.county_id,
            "as_of": day,
            "score": item.result.score,
            "level": item.result.level,
            "explanation": item.result.explanation(),
        }
        assessments.append(RiskAssessment(**fields, computed_at=now))
        before = previous.get(item.institution_id)
        if item.result.score > 0 or before is None or before > 0:
            snapshots.append(RiskSnapshot(**fields))
    RiskAssessment.objects.bulk_create(
        assessments,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["institution"],
        update_fields=["county", "as_of", "score", "level", "explanation", "computed_at"],
    )
    RiskSnapshot.objects.bulk_create(
        snapshots,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["institution", "as_of"],
        update_fields=["county", "score", "level", "explanation"],
    )
    summary.scored += len(items)

    leveled = {item.institution_id: item for item in items if item.result.level}
    if not leveled:
        return []
    lev_ids = sorted(leveled)
    list(Institution.objects.select_for_update().filter(pk__in=lev_ids).order_by("pk").values_list("pk"))
    active = {
        w.institution_id: w
        for w in RiskWarning.objects.select_for_update().filter(
            institution_id__in=lev_ids, status=WarningStatus.ACTIVE
        )
    }
    quiet = {
        item.county_id: int(book.value("risk.task.quiet_days", item.county_id)) for item in leveled.values()
    }
    lifted: dict[int, RiskWarning] = {}
    for w in RiskWarning.objects.filter(
        institution_id__in=lev_ids,
        status=WarningStatus.CLOSED,
        closed_on__gte=day - dt.timedelta(days=max(quiet.values())),
    ).order_by("institution_id", "-closed_on", "-pk"):
        recent = w.closed_on is not None and w.closed_on >= day - dt.timedelta(days=quiet[w.county_id])
        if recent and w.institution_id not in lifted:
            lifted[w.institution_id] = w

    superseded: list[RiskWarning] = []
    new_warnings: list[RiskWarning] = []
    for pk in lev_ids:
        item = leveled[pk]
        level = item.result.level
        current = active.get(pk)
        if current is not None and LEVEL_RANK[current.level] >= LEVEL_RANK[level]:
            continue  # same or lower level: the open warning stands (idempotent)
        if current is None:
            gone = lifted.get(pk)
            if gone is not None and LEVEL_RANK[gone.level] >= LEVEL_RANK[level]:
                continue  # lifted recently after handling: only a higher level warns again
        if current is not None:
            current.status, current.closed_on = WarningStatus.SUPERSEDED, day
            audit(current, user=actor, reason=_("升级为{level}预警").format(level=LEVEL_SHORT[level]))
            superseded.append(current)
        warning = RiskWarning(
            institution_id=pk,
            county_id=item.county_id,
            level=level,
            score=item.result.score,
            explanation=item.result.explanation(),
            raised_on=day,
            status=WarningStatus.ACTIVE,
        )
        reason = _("风险扫描：风险分{score}，{level}预警").format(
            score=item.result.score, level=LEVEL_SHORT[level]
        )
        audit(warning, user=actor, reason=reason)
        new_warnings.append(warning)
    if not new_warnings:
        return []
    if superseded:
        bulk_update_with_history(superseded, RiskWarning, ["status", "closed_on"], batch_size=BATCH)
        tasks = list(
            WarningTask.objects.select_for_update().filter(
                warning__in=superseded, state__in=[TaskState.OPEN, TaskState.ACKNOWLEDGED]
            )
        )
        for task in tasks:
            task.supersede()
            task.outcome, task.closed_at = TaskOutcome.SUPERSEDED, timezone.now()
            audit(task, user=actor, reason=_("预警升级，转入新任务"))
        if tasks:
            bulk_update_with_history(tasks, WarningTask, ["state", "outcome", "closed_at"], batch_size=BATCH)
        summary.superseded += len(tasks)
    bulk_create_with_history(new_warnings, RiskWarning, batch_size=BATCH)
    if new_warnings[0].pk is None:  # a database that returns no ids from a bulk insert
        ids_by_inst = dict(
            RiskWarning.objects.filter(
                institution_id__in=[w.institution_id for w in new_warnings], status=WarningStatus.ACTIVE
            ).values_list("institution_id", "pk")
        )
        for w in new_warnings:
            w.pk = ids_by_inst[w.institution_id]
    tasks = []
    for warning in new_warnings:
        task = WarningTask(
            warning=warning,
            county_id=warning.county_id,
            due_on=_deadline(warning.level, warning.county_id, day, calendar, book),
        )
        task.deadline_warning = "；".join(calendar.warnings)
        audit(task, user=actor, reason=getattr(warning, "_change_reason", ""))
        tasks.append(task)
        summary.warnings[warning.level] = summary.warnings.get(warning.level, 0) + 1
    bulk_create_with_history(tasks, WarningTask, batch_size=BATCH)
    return new_warnings


def _apply(
    institution: Any,
    day: dt.date,
    result: Assessment,
    calendar: WorkdayCalendar,
    summary: ScanSummary,
    actor: Any = None,
) -> RiskWarning | None:
    """Store one institution's assessment on ``day`` (:func:`_store` for one item, in its own
    transaction). Returns the new warning, or None."""
    with transaction.atomic():
        item = Scored(institution.pk, institution.county_id, result)
        new = _store([item], day, calendar, summary, RuleBook(prefix="risk."), actor)
    return new[0] if new else None


def _category(category: str | None) -> str:
    return category or "UNKNOWN"


def _baselines_for(day: dt.date) -> dict:
    row = RiskPeerBaseline.objects.filter(as_of__lte=day).order_by("-as_of").first()
    return row.data if row is not None else {}


def _params(county: str, params: dict[str, dict[str, float]], book: RuleBook) -> dict[str, float]:
    if county not in params:  # one resolution per county and scan, from one rule query
        params[county] = params_for(county, book=book)
    return params[county]


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
    level (:func:`_store`, the same writer as the scan). Peer baselines: ``baselines`` or those
    stored by the latest scan on or before ``as_of``. ``inputs`` (SignalInputs) skips the gathering.
    Returns the assessment, or None for a closed institution that owes nothing. Raises
    ``Institution.DoesNotExist`` for an unknown id.
    """
    from shuangjian.institutions.models import Institution

    day = as_of or timezone.localdate()
    source = source or DbSource()
    calendar = calendar or WorkdayCalendar()
    summary = summary if summary is not None else ScanSummary()
    baselines = baselines if baselines is not None else _baselines_for(day)
    book = RuleBook(prefix="risk.")
    with transaction.atomic():
        institution = Institution.objects.select_for_update().get(pk=institution_id)
        item = inputs if inputs is not None else gather(source, institution.pk, day)
        if institution.status in FINAL_STATUSES and item.liability_fen <= 0:
            return None
        apply_peer_baselines(item, baselines, _category(institution.category), institution.county_id)
        result = score(item, _params(institution.county_id, params if params is not None else {}, book))
        _store([Scored(institution.pk, institution.county_id, result)], day, calendar, summary, book, actor)
    return result


def risk_scan(
    *,
    as_of: dt.date | None = None,
    region_code: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ScanSummary:
    """Score every institution (of ``region_code``'s subtree) on ``as_of`` (today, Shanghai).

    Institutions scored: those not in a final status (停办, 注销, 吊销, 取缔), and those that still
    hold open contracts (scored while they owe prepaid lessons). Three steps, as the backtest does:

    1. gather every institution's inputs in a fixed number of grouped queries
       (:meth:`DbSource.prefetch`: about twenty-five, whatever the number of institutions);
    2. compute the peer baselines of the day (stored for later single rescoring; a regional scan
       keeps the province's baselines when they exist) and score everyone in memory, with the rule
       parameters of every county resolved from one rule query;
    3. store in bulk (:func:`_store`), :data:`SCAN_CHUNK` institutions per transaction.

    Idempotent: a second scan of the same day overwrites the same assessments and snapshots and
    raises nothing new. ``progress(done, total)`` is called after each stored chunk.
    """
    from django.db.models import Exists, OuterRef, Q

    from shuangjian.funds.models import Contract
    from shuangjian.institutions.models import Institution

    day = as_of or timezone.localdate()
    summary = ScanSummary()
    calendar = WorkdayCalendar()
    source = DbSource()
    book = RuleBook(prefix="risk.")
    owing = Contract.objects.filter(institution=OuterRef("pk"), status="OPEN")
    rows = list(
        Institution.objects.in_region(region_code)
        .filter(~Q(status__in=FINAL_STATUSES) | Exists(owing))
        .order_by("pk")
        .values_list("pk", "category", "county_id", "status")
    )
    source.prefetch(region_code if region_code else None, day)
    inputs = {}
    for pk, _c, _county, status in rows:
        item = gather(source, pk, day)
        if status in FINAL_STATUSES and item.liability_fen <= 0:
            continue  # closed and owing nothing on that day
        inputs[pk] = item
    groups = {pk: (_category(category), county) for pk, category, county, _s in rows}
    if region_code and RiskPeerBaseline.objects.filter(as_of=day).exists():
        baselines = RiskPeerBaseline.objects.get(as_of=day).data
    else:
        baselines = peer_baselines(inputs, groups)
        RiskPeerBaseline.objects.update_or_create(as_of=day, defaults={"data": baselines})
    params: dict[str, dict[str, float]] = {}
    scored = []
    for pk, item in inputs.items():
        category, county = groups[pk]
        apply_peer_baselines(item, baselines, category, county)
        scored.append(Scored(pk, county, score(item, _params(county, params, book))))
    for start in range(0, len(scored), SCAN_CHUNK):
        with transaction.atomic():
            _store(scored[start : start + SCAN_CHUNK], day, calendar, summary, book)
        if progress:
            progress(min(start + SCAN_CHUNK, len(scored)), len(scored))
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


def risk_scan_job(day: dt.date) -> tuple[dict[str, int], list[str]]:
    """The daily job ``risk_scan`` (02:00, registered in :mod:`shuangjian.common.operations`):
    :func:`risk_scan` as of ``day``, as counts ``{"scored", "warnings", "superseded"}`` and the
    working-day calendar's warnings."""
    summary = risk_scan(as_of=day)
    counts = {
        "scored": summary.scored,
        "warnings": sum(summary.warnings.values()),
        "superseded": summary.superseded,
    }
    return counts, list(summary.calendar_warnings)


def tasks_escalate_job(day: dt.date) -> tuple[dict[str, int], list[str]]:
    """The daily job ``risk_escalate`` (right after ``risk_scan``): :func:`tasks_escalate` as of
    ``day``, as counts ``{"city", "province"}`` (warning tasks escalated)."""
    summary = tasks_escalate(as_of=day)
    return {"city": summary.city, "province": summary.province}, []
