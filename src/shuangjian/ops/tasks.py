"""Huey tasks (loaded by the worker, `shuangjian run_huey`, which imports every app's tasks.py).

Periodic: one task per daily job at its Asia/Shanghai time (see :mod:`shuangjian.ops.jobs`), the
areas' minute tasks (the statistics' snapshot refresh), and a catch-up every 10 minutes and once at the worker's start that runs whatever is due and missing —
the day the machine was off, a run that failed, a job whose minute the worker did not see.
On demand: :func:`background_task_run` runs a :class:`~shuangjian.ops.models.BackgroundTask`.
"""

from __future__ import annotations

import logging
import threading

from huey.contrib.djhuey import HUEY, db_periodic_task, db_task, on_startup

from shuangjian.common.operations import MINUTE_TASKS, provided

from .jobs import JOBS, jobs_catch_up
from .models import RunTrigger
from .schedule import every_minutes, shanghai_daily


@db_periodic_task(shanghai_daily(JOBS["funds_tick"].at))
def funds_tick_daily() -> None:
    """00:30 预收费自动确认与自动退费 (``funds tick``)."""
    jobs_catch_up(only=["funds_tick"], trigger=RunTrigger.SCHEDULE)


@db_periodic_task(shanghai_daily(JOBS["complaints_escalate"].at))
def complaints_escalate_daily() -> None:
    """00:45 投诉举报逾期督办 (``complaints escalate``)."""
    jobs_catch_up(only=["complaints_escalate"], trigger=RunTrigger.SCHEDULE)


@db_periodic_task(shanghai_daily(JOBS["compliance_scan"].at))
def compliance_scan_daily() -> None:
    """01:00 机构合规扫描 (``compliance scan``)."""
    jobs_catch_up(only=["compliance_scan"], trigger=RunTrigger.SCHEDULE)


@db_periodic_task(shanghai_daily(JOBS["risk_scan"].at))
def risk_daily() -> None:
    """02:00 风险评分 (``risk scan``), then 预警任务逾期督办 (``risk escalate``)."""
    jobs_catch_up(only=["risk_scan", "risk_escalate"], trigger=RunTrigger.SCHEDULE)


@db_periodic_task(shanghai_daily(JOBS["stats_snapshots"].at))
def stats_snapshots_daily() -> None:
    """03:00 统计指标快照 (``snapshots build``)."""
    jobs_catch_up(only=["stats_snapshots"], trigger=RunTrigger.SCHEDULE)


@db_periodic_task(every_minutes(10))
def jobs_catch_up_periodic() -> None:
    """Every 10 minutes: run due jobs that have no successful run for their day yet; re-enqueue
    background tasks lost from the queue."""
    from .background import tasks_requeue_stale

    tasks_requeue_stale()
    jobs_catch_up()


@db_periodic_task(every_minutes(1))
def minute_tasks_periodic() -> None:
    """Every minute: each task the areas registered in
    :data:`shuangjian.common.operations.MINUTE_TASKS` (the statistics' snapshot refresh,
    :func:`shuangjian.stats.snapshots.snapshots_refresh`), each one run at a time under its name's
    lock — a run still going from the previous minute is skipped, not queued."""
    from huey.exceptions import TaskLockedException

    for name in list(MINUTE_TASKS):
        try:
            with HUEY.lock_task(name):
                counts = provided(MINUTE_TASKS, name)()
            if any(counts.values()):
                logging.getLogger("huey.minute").info("%s: %s", name, counts)
        except TaskLockedException:
            pass  # the previous minute's run is still going
        except Exception:  # one failing task must not stop the others; the worker logs it
            logging.getLogger("huey.minute").exception("minute task %s failed", name)


@db_task()
def jobs_catch_up_now() -> None:
    """Enqueued once when a worker process starts: background tasks a dead worker left running are
    marked interrupted, and a machine that was off catches up its daily jobs at once."""
    from .background import tasks_interrupted_mark

    tasks_interrupted_mark()
    jobs_catch_up()


_started = threading.Lock()
_startup_done = False


@on_startup()
def _catch_up_on_start() -> None:
    global _startup_done
    with _started:
        if _startup_done or HUEY.immediate:
            return
        _startup_done = True
    jobs_catch_up_now()


@db_task()
def background_task_run(task_id: int) -> None:
    """Run the background task ``task_id`` (an upload's import, a weekly report, a scan)."""
    from .background import background_execute

    background_execute(task_id)
