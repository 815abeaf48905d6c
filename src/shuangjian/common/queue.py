"""The task queue as seen from a web process: is it reachable? (for ``/readyz``)."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def queue_reachable() -> bool:
    """True when the Huey store (SQLite file in ``var/`` or Redis at ``REDIS_URL``) answers.

    Reads the queue length, which needs a working connection in both stores; any error (Redis
    down, SQLite file not writable) gives False and is logged. In immediate mode (tests) there is no
    store to reach: True.
    """
    from huey.contrib.djhuey import HUEY

    if HUEY.immediate:
        return True
    try:
        HUEY.storage.queue_size()
    except Exception:  # redis.ConnectionError, sqlite3.OperationalError, ...
        logger.warning("task queue unreachable", exc_info=True)
        return False
    return True


def queue_length() -> int | None:
    """Tasks waiting in the queue, None when the store cannot be reached."""
    from huey.contrib.djhuey import HUEY

    try:
        return int(HUEY.storage.queue_size())
    except Exception:
        return None
