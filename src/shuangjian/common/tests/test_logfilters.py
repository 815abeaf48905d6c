"""The worker's log: one line per task event, none every minute for the snapshot refresh."""

import logging

from django.conf import settings

from shuangjian.common.logfilters import QuietPeriodicTasks


def _record(level: int, message: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord("huey", level, __file__, 1, message, args, None)


def test_minute_task_info_lines_are_dropped_and_the_rest_kept():
    quiet = QuietPeriodicTasks()
    task = "shuangjian.ops.tasks.minute_tasks_periodic: 6f1c"
    assert not quiet.filter(_record(logging.INFO, "Executing %s", task))
    assert not quiet.filter(_record(logging.INFO, "%s executed in 0.107s", task))
    # A failure of the same task, and every other task's lines, stay.
    assert quiet.filter(_record(logging.ERROR, "Unhandled exception in task %s", task))
    assert quiet.filter(_record(logging.INFO, "Executing shuangjian.ops.tasks.jobs_catch_up_now: 1"))


def test_huey_logger_has_its_own_handler_so_run_huey_adds_none():
    # run_huey configures "huey" only when it has no handler; with ours there is one line per event.
    huey = settings.LOGGING["loggers"]["huey"]
    assert huey["handlers"] == ["stdout"] and huey["propagate"] is False
    assert "quiet_periodic" in settings.LOGGING["handlers"]["stdout"]["filters"]
    assert logging.getLogger("huey").handlers


def test_consumer_start_up_list_stays():
    listing = "The following commands are available:\n+ shuangjian.ops.tasks.minute_tasks_periodic"
    assert QuietPeriodicTasks().filter(_record(logging.INFO, listing))
