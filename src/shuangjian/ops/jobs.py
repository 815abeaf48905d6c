"""The daily jobs (定时作业), their schedule (Asia/Shanghai) and how a run is recorded.

Each job calls the same service function as its command (``shuangjian funds tick`` …) and returns
what it changed as counts; the area that owns the job registers that function in
:data:`shuangjian.common.operations.DAILY_JOB_RUNNERS` from its ``AppConfig.ready``. :func:`job_run` records one attempt as a :class:`~shuangjian.ops.models.JobRun`
(claimed first, so the same job never runs twice for the same day); :func:`jobs_catch_up` runs
every job whose scheduled time has passed without a successful run — at the worker's start, every
few minutes, and from the periodic task of each job — so a day the machine was off is caught up on
its next start. Every job is idempotent by itself; the claim adds "at most once per day".

Order and times (Asia/Shanghai), chosen so that each job sees the previous one's results:

=====  =======================  ============================================================
time   job                      what it does
=====  =======================  ============================================================
00:30  ``funds_tick``           auto-confirms lessons and auto-approves refund requests past
                                their working-day deadline (RULES.md §1.5)
00:45  ``complaints_escalate``  escalates overdue reports to the city / province (市级/省级督办)
01:00  ``compliance_scan``      runs every compliance rule over the registry
02:00  ``risk_scan``            scores every institution, raises warnings and their tasks
02:00  ``risk_escalate``        right after ``risk_scan``: escalates ignored warning tasks
03:00  ``stats_snapshots``      computes every region's figures ahead of the dashboards
                                (:mod:`shuangjian.stats.snapshots`)
=====  =======================  ============================================================
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from shuangjian.common.operations import DAILY_JOB_RUNNERS, provided
from shuangjian.common.signals import records_changed_send

from .models import JobRun, RunStatus, RunTrigger, WorkerBeat

logger = logging.getLogger(__name__)
SHANGHAI = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")
# A failed job is retried by the catch-up at most this many times a day (then it waits for tomorrow).
MAX_FAILED_ATTEMPTS = 3
# A run still marked running after this long is taken as interrupted (its process died).
STALE_AFTER = dt.timedelta(hours=6)

JobResult = tuple[dict[str, int], list[str]]


@dataclass(frozen=True)
class DailyJob:
    """A daily job: id, Chinese title, scheduled Shanghai time, the command it stands for, what it
    does, Chinese labels of its counts, and
    ``per_day``: True when each missed day must be run on its own (a dated snapshot), False when one
    run covers every missed day (the job acts on everything overdue up to today).
    ``changes_records``: a successful run sends ``common.signals.records_changed`` (the statistics'
    snapshots are then recomputed). ``run``: only to replace the registered function (tests).

    The function a job runs, ``run(day) -> (counts, warnings)``, is registered by the area that
    owns it (:data:`shuangjian.common.operations.DAILY_JOB_RUNNERS`): the scheduler holds the
    times and the order, not the areas' code."""

    id: str
    title: str
    at: dt.time
    command: str
    description: str
    count_labels: dict[str, str]
    per_day: bool = False
    after: str | None = None
    changes_records: bool = True
    run: Callable[[dt.date], JobResult] | None = None

    def runner(self) -> Callable[[dt.date], JobResult]:
        """``run`` when given (tests), else the function the owning area registered under this id
        in :data:`shuangjian.common.operations.DAILY_JOB_RUNNERS` (``ImproperlyConfigured`` when
        none did)."""
        return self.run or provided(DAILY_JOB_RUNNERS, self.id)


JOBS: dict[str, DailyJob] = {
    job.id: job
    for job in [
        DailyJob(
            "funds_tick",
            "预收费自动确认与自动退费",
            dt.time(0, 30),
            "shuangjian funds tick",
            "家长逾期未确认的课时自动确认、逾期未答复的退费申请自动同意（RULES.md §1.5）",
            {"lessons_confirmed": "自动确认课时", "refunds_approved": "自动同意退费"},
        ),
        DailyJob(
            "complaints_escalate",
            "投诉举报逾期督办",
            dt.time(0, 45),
            "shuangjian complaints escalate",
            "逾期未签收或未办结的线索升级市级督办，严重逾期升级省级督办",
            {"to_city": "升级市级督办", "to_province": "升级省级督办"},
        ),
        DailyJob(
            "compliance_scan",
            "机构合规扫描",
            dt.time(1, 0),
            "shuangjian compliance scan",
            "对全省机构运行全部合规规则，记录新违规、自动解除已整改的违规",
            {
                "institutions": "检查机构",
                "created": "新发现违规",
                "still_open": "仍存在",
                "resolved": "自动解除",
            },
        ),
        DailyJob(
            "risk_scan",
            "风险评分与预警",
            dt.time(2, 0),
            "shuangjian risk scan",
            "为每家机构计算当日风险分（每日快照），生成预警及处置任务",
            {"scored": "评估机构", "warnings": "新增预警", "superseded": "升级替换"},
            per_day=True,
        ),
        DailyJob(
            "risk_escalate",
            "预警任务逾期督办",
            dt.time(2, 0),
            "shuangjian risk escalate",
            "风险评分之后运行：逾期未处置的预警任务升级市级、省级督办",
            {"city": "升级市级督办", "province": "升级省级督办"},
            after="risk_scan",
        ),
        DailyJob(
            "stats_snapshots",
            "统计指标快照",
            dt.time(3, 0),
            "shuangjian snapshots build",
            "夜间作业之后，为全省各级区域预先计算当日全部统计指标和近 12 个月的月度序列，看板直接读取；"
            "记录变动后由每分钟的刷新任务重算",
            {"regions": "区域", "snapshots": "快照", "deleted": "删除过期快照"},
            changes_records=False,
        ),
    ]
}


def worker_name() -> str:
    """``host:pid`` of this process (recorded on each run, used to spot interrupted runs)."""
    return f"{socket.gethostname()}:{os.getpid()}"


def shanghai_now(now: dt.datetime | None = None) -> dt.datetime:
    """``now`` (default the current time) as an aware Asia/Shanghai date-time."""
    return (now or timezone.now()).astimezone(SHANGHAI)


def latest_due_day(job: DailyJob, now: dt.datetime | None = None) -> dt.date:
    """The last Shanghai day whose scheduled time of ``job`` has passed at ``now``."""
    local = shanghai_now(now)
    return local.date() if local.time() >= job.at else local.date() - dt.timedelta(days=1)


def missing_days(job: DailyJob, now: dt.datetime | None = None) -> list[dt.date]:
    """Due days of ``job`` without a successful run, oldest first.

    Days after the last successful run up to the latest due day, at most ``OPS_CATCH_UP_DAYS`` of
    them; a job that never ran is due for the latest day only. A day whose attempts failed
    :data:`MAX_FAILED_ATTEMPTS` times is left out (it waits for an operator or the next day).
    A job with ``after`` is due for a day only once that job succeeded for it.
    """
    latest = latest_due_day(job, now)
    window = max(1, int(getattr(settings, "OPS_CATCH_UP_DAYS", 7)))
    last_ok = (  # a run recorded for a later day (a clock set wrong) does not hide today's
        JobRun.objects.filter(job=job.id, status=RunStatus.SUCCEEDED, day__lte=latest)
        .order_by("-day")
        .values_list("day", flat=True)
        .first()
    )
    start = (
        latest
        if last_ok is None
        else max(last_ok + dt.timedelta(days=1), latest - dt.timedelta(days=window - 1))
    )
    days = [start + dt.timedelta(days=n) for n in range((latest - start).days + 1)]
    if not days:
        return []
    failed: dict[dt.date, int] = {}
    for day in JobRun.objects.filter(job=job.id, day__gte=start, status=RunStatus.FAILED).values_list(
        "day", flat=True
    ):
        failed[day] = failed.get(day, 0) + 1
    days = [d for d in days if failed.get(d, 0) < MAX_FAILED_ATTEMPTS]
    if job.after:
        ready = set(
            JobRun.objects.filter(job=job.after, day__in=days, status=RunStatus.SUCCEEDED).values_list(
                "day", flat=True
            )
        )
        days = [d for d in days if d in ready]
    return days


def runs_interrupted_mark(now: dt.datetime | None = None) -> int:
    """Mark as failed the runs left "running" by a process that is gone (same host, pid not alive)
    or that started more than :data:`STALE_AFTER` ago; returns how many. Frees their day's claim."""
    now = now or timezone.now()
    host = socket.gethostname()
    stale = []
    for run in JobRun.objects.filter(status=RunStatus.RUNNING):
        run_host, _sep, pid = run.worker.rpartition(":")
        gone = run_host == host and pid.isdigit() and not _pid_alive(int(pid))
        if gone or run.started_at < now - STALE_AFTER:
            stale.append(run.pk)
    return JobRun.objects.filter(pk__in=stale, status=RunStatus.RUNNING).update(
        status=RunStatus.FAILED, finished_at=now, error="运行中断：执行进程已退出或超时，将在下次检查时补跑"
    )


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def job_run(
    job_id: str, *, day: dt.date, trigger: str = RunTrigger.MANUAL, covers_from: dt.date | None = None
) -> JobRun | None:
    """Run daily job ``job_id`` for Shanghai ``day`` once and record it.

    Returns the finished :class:`JobRun` (SUCCEEDED, or FAILED with the error — the exception is
    logged, not raised, so the schedule goes on), or None when the day is already claimed (running
    elsewhere or done). Raises ``KeyError`` for an unknown job.
    """
    job = JOBS[job_id]
    started = timezone.now()
    try:
        with transaction.atomic():
            run = JobRun.objects.create(
                job=job.id,
                day=day,
                trigger=trigger,
                started_at=started,
                covers_from=covers_from if covers_from and covers_from < day else None,
                worker=worker_name(),
            )
    except IntegrityError:
        return None
    clock = time.monotonic()
    try:
        counts, warnings = job.runner()(day)
    except Exception as exc:  # any failure is recorded for the regulator, and retried later
        logger.exception("daily job %s for %s failed", job.id, day)
        run.status = RunStatus.FAILED
        run.error = f"{exc.__class__.__name__}: {exc}\n\n{traceback.format_exc(limit=8)}"[:20000]
    else:
        run.status = RunStatus.SUCCEEDED
        run.counts, run.warnings = counts, [str(w) for w in warnings][:50]
        if job.changes_records:
            records_changed_send(job_run, None)
    run.finished_at = timezone.now()
    run.duration_ms = int((time.monotonic() - clock) * 1000)
    run.save()
    return run


def jobs_catch_up(
    *, now: dt.datetime | None = None, only: list[str] | None = None, trigger: str = RunTrigger.CATCH_UP
) -> list[JobRun]:
    """Run every due job (of ``only``, default all, in schedule order) for its missing days.

    A ``per_day`` job runs once per missing day, oldest first; any other job runs once for the
    latest missing day and records the first one in ``covers_from``. Stops a job's days at the
    first failure. Records this worker's heartbeat. Returns the runs made (finished ones).
    """
    runs_interrupted_mark(now)
    WorkerBeat.objects.update_or_create(worker=worker_name(), defaults={"seen_at": timezone.now()})
    done: list[JobRun] = []
    for job in JOBS.values():
        if only is not None and job.id not in only:
            continue
        days = missing_days(job, now)
        if not days:
            continue
        plan = days if job.per_day else [days[-1]]
        for day in plan:
            run = job_run(job.id, day=day, trigger=trigger, covers_from=None if job.per_day else days[0])
            if run is None:
                break
            done.append(run)
            if run.status != RunStatus.SUCCEEDED:
                break
    return done


def job_labels(job_id: str, counts: dict[str, Any]) -> list[tuple[str, Any]]:
    """(Chinese label, value) pairs of a run's counts, in the job's declared order."""
    labels = JOBS[job_id].count_labels if job_id in JOBS else {}
    pairs = [(label, counts.get(key, 0)) for key, label in labels.items()]
    pairs.extend((key, value) for key, value in counts.items() if key not in labels)
    return pairs
