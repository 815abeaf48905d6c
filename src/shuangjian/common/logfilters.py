"""Logging filters named in ``settings.LOGGING`` (no Django imports: loaded while settings configure)."""

from __future__ import annotations

import logging

# Periodic tasks that run every minute: Huey's "Executing …" / "… executed in" lines for them
# would fill the log with a pair of lines a minute; the task logs itself when it changed something.
QUIET_TASKS = ("minute_tasks_periodic",)


class QuietPeriodicTasks(logging.Filter):
    """Drop the one-line INFO messages about the minute tasks in :data:`QUIET_TASKS` (enqueued,
    executing, executed); keep every warning, error, the start-up list and every other task's lines. ``filter(record) -> bool`` (False drops the record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.INFO:
            return True
        message = record.getMessage()
        if "\n" in message:  # the consumer's start-up list of every task stays
            return True
        return not any(name in message for name in QUIET_TASKS)
