"""What the areas offer to the operations layer (``shuangjian.ops``: the daily jobs, the worker's
periodic tasks, long work in the background, the production server's start), registered by the
area that owns it from its ``AppConfig.ready`` — as :data:`shuangjian.common.importing.IMPORTERS`
is for the imports. ``ops`` reads these tables and imports nothing above the areas' own layer, so
the scheduler does not depend on the risk, statistics or demo code it runs.

Each table maps a name to the dotted path of a callable (resolved when it is first used):

- :data:`DAILY_JOB_RUNNERS`: daily job id (``"risk_scan"`` …, the ids of
  :data:`shuangjian.ops.jobs.JOBS`) → ``run(day: date) -> (counts: dict[str, int], warnings: list[str])``;
- :data:`MINUTE_TASKS`: lock name → ``run() -> dict[str, int]`` run by the worker every minute, one
  run at a time (the statistics' snapshot refresh);
- :data:`BACKGROUND_HANDLERS`: background task kind (``"weekly"``) →
  ``handler(task: BackgroundTask, progress: (done, total, phase) -> None) -> dict`` (the result
  shown on the task's page);
- :data:`DEMO_LOADED`: at most one path, of ``already_loaded() -> bool`` (``make run`` starts the
  demo loader only when it is False).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

DAILY_JOB_RUNNERS: dict[str, str] = {}
MINUTE_TASKS: dict[str, str] = {}
BACKGROUND_HANDLERS: dict[str, str] = {}
DEMO_LOADED: list[str] = []


def provided(table: dict[str, str], name: str) -> Callable[..., Any]:
    """The callable registered under ``name`` in ``table`` (one of this module's dicts).

    Raises ``ImproperlyConfigured`` (naming the table's missing entry) when no installed app
    registered it — an app left out of ``INSTALLED_APPS``, or a job id misspelt."""
    try:
        path = table[name]
    except KeyError:
        raise ImproperlyConfigured(
            f"no installed app provides {name!r} (shuangjian.common.operations)"
        ) from None
    return import_string(path)
