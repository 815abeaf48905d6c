"""Reads for the jobs page: each daily job's last run, missing days, next time, and the worker."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from .jobs import JOBS, SHANGHAI, DailyJob, job_labels, missing_days
from .models import JobRun, RunStatus, WorkerBeat

# The catch-up checks every 10 minutes: no heartbeat for this long means no worker is running.
WORKER_SILENT_AFTER = dt.timedelta(minutes=25)


@dataclass
class JobOverview:
    """One daily job on the jobs page: its last finished run, a run in progress, missing days."""

    job: DailyJob
    last: JobRun | None
    running: JobRun | None
    last_success: JobRun | None
    missing: list[dt.date]
    next_at: dt.datetime
    counts: list[tuple[str, Any]]


def next_scheduled(job: DailyJob, now: dt.datetime | None = None) -> dt.datetime:
    """The next Shanghai date-time at which ``job`` is scheduled."""
    local = (now or timezone.now()).astimezone(SHANGHAI)
    candidate = local.replace(hour=job.at.hour, minute=job.at.minute, second=0, microsecond=0)
    return candidate if candidate > local else candidate + dt.timedelta(days=1)


def jobs_overview(now: dt.datetime | None = None) -> list[JobOverview]:
    """Every daily job in schedule order with its latest runs (a few queries per job)."""
    rows = []
    for job in JOBS.values():
        runs = JobRun.objects.filter(job=job.id)
        last = runs.exclude(status=RunStatus.RUNNING).first()
        rows.append(
            JobOverview(
                job=job,
                last=last,
                running=runs.filter(status=RunStatus.RUNNING).first(),
                last_success=runs.filter(status=RunStatus.SUCCEEDED).order_by("-day", "-started_at").first(),
                missing=missing_days(job, now),
                next_at=next_scheduled(job, now),
                counts=job_labels(job.id, last.counts) if last else [],
            )
        )
    return rows


def worker_state(now: dt.datetime | None = None) -> dict[str, Any]:
    """The most recent worker heartbeat and whether it is recent enough to call the worker alive."""
    now = now or timezone.now()
    beat = WorkerBeat.objects.order_by("-seen_at").first()
    return {"beat": beat, "alive": bool(beat and beat.seen_at >= now - WORKER_SILENT_AFTER)}
