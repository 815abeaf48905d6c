"""The daily jobs on schedule: Huey's periodic tasks at Asia/Shanghai times, run records, the
claim that makes each job run at most once a day, catch-up after days the machine was off."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from shuangjian.ops import jobs
from shuangjian.ops.models import JobRun, RunStatus, RunTrigger

pytestmark = pytest.mark.django_db
SH = dt.timezone(dt.timedelta(hours=8))


def _utc_naive(day: dt.date, hour: int, minute: int) -> dt.datetime:
    """What Huey's scheduler (utc=True) passes to periodic tasks for a Shanghai wall-clock time."""
    return (
        dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SH)
        .astimezone(dt.UTC)
        .replace(tzinfo=None)
    )


def _periodic_names(moment: dt.datetime) -> set[str]:
    from shuangjian.ops import tasks  # noqa: F401  (registers the periodic tasks, as run_huey does)

    return {task.name for task in HUEY.read_periodic(moment)}


def test_each_job_is_a_periodic_task_at_its_shanghai_time():
    day = dt.date(2026, 12, 3)
    assert "funds_tick_daily" in _periodic_names(_utc_naive(day, 0, 30))
    assert "funds_tick_daily" not in _periodic_names(_utc_naive(day, 0, 31))
    # 00:30 in Shanghai is 16:30 UTC the day before: a UTC crontab would have fired 8 hours late.
    assert _utc_naive(day, 0, 30) == dt.datetime(2026, 12, 2, 16, 30)
    assert "complaints_escalate_daily" in _periodic_names(_utc_naive(day, 0, 45))
    assert "compliance_scan_daily" in _periodic_names(_utc_naive(day, 1, 0))
    assert "risk_daily" in _periodic_names(_utc_naive(day, 2, 0))
    assert "stats_snapshots_daily" in _periodic_names(_utc_naive(day, 3, 0))
    # Every minute: the statistics' snapshots refresh; every 10 minutes: the catch-up.
    assert _periodic_names(_utc_naive(day, 1, 10)) == {
        "jobs_catch_up_periodic",
        "minute_tasks_periodic",
    }
    assert _periodic_names(_utc_naive(day, 1, 11)) == {"minute_tasks_periodic"}


def _pending_lesson():
    from shuangjian.common.testing import make_institution
    from shuangjian.funds.services import consumption_record, payment_record

    institution = make_institution("430102", name="星光艺术培训学校")
    when = dt.datetime(2024, 3, 1, 10, tzinfo=SH)
    payment_record(
        key="P-HT001",
        institution=institution,
        contract_no="HT001",
        student_ref="XS001",
        hours=10,
        amount_fen=10_000,
        occurred_at=when,
    )
    return consumption_record(
        key="LES1",
        institution=institution,
        contract_no="HT001",
        student_ref="XS001",
        hours=1,
        occurred_at=when + dt.timedelta(days=3),
        confirmed=False,
    ).lesson


@pytest.mark.slow  # every region's snapshots or a demo load: minutes on 2 shared cores
def test_a_recorded_lesson_auto_confirms_when_the_scheduler_reaches_0030():
    """Done-when of issue 14: nobody runs ``funds tick`` or writes a crontab; the worker's scheduler
    enqueues the 00:30 periodic task, which confirms the lesson the parent left unanswered."""
    from shuangjian.funds.models import Contract, LessonStatus

    lesson = _pending_lesson()
    assert lesson.status == LessonStatus.PENDING
    today = timezone.localdate()
    for task in HUEY.read_periodic(_utc_naive(today, 0, 30)):  # exactly what the consumer's scheduler does
        HUEY.enqueue(task)  # immediate mode in tests: runs here
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.AUTO_CONFIRMED
    assert Contract.objects.get().released_fen == 1000
    run = JobRun.objects.get(job="funds_tick")
    assert run.status == RunStatus.SUCCEEDED and run.trigger == RunTrigger.SCHEDULE
    assert run.counts == {"lessons_confirmed": 1, "refunds_approved": 0}
    assert run.duration_ms is not None and run.finished_at >= run.started_at

    # The same minute seen twice (two workers, a restart): claimed, nothing runs again.
    for task in HUEY.read_periodic(_utc_naive(today, 0, 30)):
        HUEY.enqueue(task)
    assert JobRun.objects.filter(job="funds_tick").count() == 1
    assert Contract.objects.get().released_fen == 1000


@pytest.mark.slow  # every region's snapshots or a demo load: minutes on 2 shared cores
def test_catch_up_after_days_off_runs_each_job_once_and_snapshots_each_missed_day():
    now = timezone.now()
    latest = {job.id: jobs.latest_due_day(job, now) for job in jobs.JOBS.values()}
    for job_id, day in latest.items():  # every job last succeeded three due days ago
        JobRun.objects.create(
            job=job_id,
            day=day - dt.timedelta(days=3),
            status=RunStatus.SUCCEEDED,
            trigger=RunTrigger.SCHEDULE,
            started_at=now - dt.timedelta(days=3),
        )
    assert jobs.missing_days(jobs.JOBS["funds_tick"], now) == [
        latest["funds_tick"] - dt.timedelta(days=n) for n in (2, 1, 0)
    ]
    runs = jobs.jobs_catch_up(now=now)
    by_job: dict[str, list[JobRun]] = {}
    for run in runs:
        assert run.status == RunStatus.SUCCEEDED, run.error
        by_job.setdefault(run.job, []).append(run)
    # One run stands for the three missed days of the jobs that act on everything overdue …
    for job_id in ["funds_tick", "complaints_escalate", "compliance_scan", "risk_escalate"]:
        [run] = by_job[job_id]
        assert run.day == latest[job_id] and run.covers_from == latest[job_id] - dt.timedelta(days=2)
        assert run.trigger == RunTrigger.CATCH_UP
    # … the daily risk snapshot is taken for each missed day, oldest first, before the escalation.
    assert [r.day for r in by_job["risk_scan"]] == [
        latest["risk_scan"] - dt.timedelta(days=n) for n in (2, 1, 0)
    ]
    assert runs.index(by_job["risk_escalate"][0]) > runs.index(by_job["risk_scan"][-1])
    # Nothing is left to do: a second catch-up (the next start, the 10-minute check) runs nothing.
    assert jobs.jobs_catch_up(now=now) == []
    assert all(jobs.missing_days(job, now) == [] for job in jobs.JOBS.values())


def test_a_never_run_job_catches_up_only_its_latest_day():
    now = timezone.now()
    [run] = jobs.jobs_catch_up(now=now, only=["complaints_escalate"])
    assert run.day == jobs.latest_due_day(jobs.JOBS["complaints_escalate"], now) and run.covers_from is None


def test_a_failing_job_is_recorded_with_its_error_and_retried_at_most_three_times(monkeypatch):
    def boom(day):
        raise RuntimeError("数据库暂时不可用")

    monkeypatch.setitem(jobs.JOBS, "funds_tick", dataclasses.replace(jobs.JOBS["funds_tick"], run=boom))
    for _ in range(5):
        jobs.jobs_catch_up(only=["funds_tick"])
    failed = JobRun.objects.filter(job="funds_tick")
    assert failed.count() == jobs.MAX_FAILED_ATTEMPTS
    assert all(r.status == RunStatus.FAILED and "RuntimeError: 数据库暂时不可用" in r.error for r in failed)
    monkeypatch.undo()
    # An operator (or the next day) runs it after the fix: the day's failed attempts do not block it.
    run = jobs.job_run("funds_tick", day=failed.first().day)
    assert run is not None and run.status == RunStatus.SUCCEEDED


def test_a_run_left_running_by_a_dead_process_is_marked_interrupted_and_rerun():
    import socket

    day = jobs.latest_due_day(jobs.JOBS["complaints_escalate"])
    JobRun.objects.create(
        job="complaints_escalate",
        day=day,
        trigger=RunTrigger.SCHEDULE,
        started_at=timezone.now(),
        worker=f"{socket.gethostname()}:999999999",
    )
    assert jobs.job_run("complaints_escalate", day=day) is None  # claimed while "running"
    [run] = jobs.jobs_catch_up(only=["complaints_escalate"])
    assert run.status == RunStatus.SUCCEEDED
    interrupted = JobRun.objects.get(job="complaints_escalate", status=RunStatus.FAILED)
    assert "运行中断" in interrupted.error


def test_jobs_command_lists_runs_and_refuses_a_second_run_of_the_same_day(capsys):
    call_command("jobs", "list")
    out = capsys.readouterr().out
    assert "00:30\tfunds_tick" in out and "02:00\trisk_escalate" in out
    call_command("jobs", "run", "complaints_escalate", "--day", "2026-12-01")
    assert "complaints_escalate\t2026-12-01\t成功" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_info:
        call_command("jobs", "run", "complaints_escalate", "--day", "2026-12-01")
    assert exit_info.value.code == 1
    with pytest.raises(SystemExit) as exit_info:
        call_command("jobs", "run", "nope")
    assert exit_info.value.code == 2
    call_command("jobs", "status")
    assert "complaints_escalate\t2026-12-01\t成功" in capsys.readouterr().out


def test_queue_reachable_in_immediate_mode():
    from shuangjian.common.queue import queue_reachable

    assert queue_reachable() is True


def test_every_job_runs_the_function_its_area_registered(monkeypatch):
    """The scheduler imports no risk / statistics code: each job's function comes from
    common.operations, filled by the owning app's ready(); a job nobody registered fails with a
    clear configuration error, recorded on its run instead of stopping the schedule."""
    from django.core.exceptions import ImproperlyConfigured

    from shuangjian.common import operations
    from shuangjian.risk.services import risk_scan_job
    from shuangjian.stats.snapshots import snapshots_build_job, snapshots_refresh

    assert set(operations.DAILY_JOB_RUNNERS) == set(jobs.JOBS)
    assert jobs.JOBS["risk_scan"].runner() is risk_scan_job
    assert jobs.JOBS["stats_snapshots"].runner() is snapshots_build_job
    assert operations.provided(operations.MINUTE_TASKS, "stats-snapshots-refresh") is snapshots_refresh

    monkeypatch.delitem(operations.DAILY_JOB_RUNNERS, "funds_tick")
    with pytest.raises(ImproperlyConfigured, match="funds_tick"):
        jobs.JOBS["funds_tick"].runner()
    run = jobs.job_run("funds_tick", day=dt.date(2026, 12, 3))
    assert run.status == RunStatus.FAILED and "ImproperlyConfigured" in run.error


def test_a_future_day_is_refused_and_a_future_record_hides_no_due_day(capsys):
    """`jobs run --day` after the latest due day is refused (it would have stopped the schedule
    until that day); a success recorded for a later day (a clock set wrong) leaves today due."""
    now = dt.datetime(2026, 12, 3, 12, 0, tzinfo=SH)
    with pytest.raises(SystemExit) as exit_info:
        call_command("jobs", "run", "funds_tick", "--day", "2030-01-01")
    assert exit_info.value.code == 2
    assert "不能提前运行" in capsys.readouterr().err
    assert not JobRun.objects.filter(job="funds_tick").exists()
    JobRun.objects.create(
        job="funds_tick",
        day=dt.date(2030, 1, 1),
        trigger=RunTrigger.MANUAL,
        started_at=now,
        status=RunStatus.SUCCEEDED,
    )
    assert jobs.missing_days(jobs.JOBS["funds_tick"], now) == [dt.date(2026, 12, 3)]
