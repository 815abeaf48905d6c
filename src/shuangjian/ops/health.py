"""Readiness checks for a load balancer: the database and, when configured, Redis and the task queue.

Each check returns ``None`` when the dependency answers, else a short English reason (the probe's
JSON is read by operators and tools, not by the public).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import connections


def database_check() -> str | None:
    """``SELECT 1`` on the default database."""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "not ready"
        return f"{type(exc).__name__}: {exc}"[:200]
    return None


def redis_check() -> str | None:
    """PING the Redis server named by ``REDIS_URL``."""
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
        client.ping()
        client.close()
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"[:200]
    return None


def task_queue_check() -> str | None:
    """The Huey store (SQLite file in ``var/`` or Redis) answers (``common.queue.queue_reachable``)."""
    from shuangjian.common.queue import queue_reachable

    return None if queue_reachable() else "task queue store unreachable"


def readiness_checks() -> dict[str, Callable[[], str | None]]:
    """The checks that apply to this configuration, by name."""
    checks: dict[str, Callable[[], str | None]] = {"database": database_check}
    if getattr(settings, "REDIS_URL", ""):
        checks["redis"] = redis_check
    if "huey.contrib.djhuey" in settings.INSTALLED_APPS:
        checks["task_queue"] = task_queue_check
    return checks


def readiness() -> tuple[bool, dict[str, str]]:
    """Run every applicable check: ``(all ok, {name: "ok" | reason})``."""
    results: dict[str, str] = {}
    for name, check in readiness_checks().items():
        results[name] = check() or "ok"
    return all(v == "ok" for v in results.values()), results
