"""gunicorn configuration for ``shuangjian serve`` (read by ``gunicorn -c``).

Environment: ``BIND`` (default ``127.0.0.1:8000``), ``WEB_CONCURRENCY`` (worker processes; default
2 × the cores this process may use + 1, gunicorn's own rule of thumb), ``WEB_TIMEOUT`` (seconds a
request may take before its worker is restarted, default 120: PDF reports print through chromium).
Access lines come from the application's request log (one line per request, with timing), not
from gunicorn.
"""

import os


def cores() -> int:
    """CPU cores available to this process (respects CPU affinity / container limits)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * cores() + 1)
worker_class = "sync"
timeout = int(os.environ.get("WEB_TIMEOUT", "120"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so that a slow leak in a library never grows without bound.
max_requests = 2000
max_requests_jitter = 200
# Import the application once in the master: workers fork with the code (and settings) loaded.
preload_app = True
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "shuangjian-web"
control_socket_disable = True  # several servers on one machine (tests, two ports) must not share one socket
