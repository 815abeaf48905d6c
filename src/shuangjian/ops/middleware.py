"""Request-level middleware for running in production.

- :class:`RequestLogMiddleware`: one log line per request on stdout with its timing.
- :class:`ProxyClientAddressMiddleware`: the client address from ``X-Forwarded-For`` behind
  ``PROXY_HOPS`` trusted proxies.
- :class:`HealthCheckMiddleware`: ``/healthz`` and ``/readyz`` for load balancers.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from .health import readiness

request_log = logging.getLogger("shuangjian.request")

HEALTH_PATHS = {"/healthz", "/readyz"}


class RequestLogMiddleware:
    """Log ``METHOD path status duration`` once per request (logger ``shuangjian.request``, INFO).

    The fields ``method``, ``path`` (no query string: it may carry search terms), ``status``,
    ``duration_ms`` (float, milliseconds), ``remote`` and ``bytes`` are also attached to the record,
    so the JSON formatter (``LOG_FORMAT=json``) writes them as keys. Successful health probes are
    not logged (a load balancer polls them every few seconds).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        if request.path in HEALTH_PATHS and response.status_code == 200:
            return response
        size = len(response.content) if not response.streaming else None
        remote = request.META.get("REMOTE_ADDR", "")
        request_log.info(
            "%s %s %s %.1fms %s",
            request.method,
            request.path,
            response.status_code,
            duration_ms,
            remote,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": duration_ms,
                "remote": remote,
                "bytes": size,
            },
        )
        return response


class ProxyClientAddressMiddleware:
    """Behind ``PROXY_HOPS`` (N ≥ 1) trusted reverse proxies, set ``REMOTE_ADDR`` to the client.

    Each proxy appends the address it received the request from to ``X-Forwarded-For``, so the
    N-th entry from the right is the client as seen by the outermost trusted proxy; entries further
    left were written by the client and are not trusted. With ``PROXY_HOPS=0`` (default: the
    server faces clients directly) the header is ignored. Rate limits (django-ratelimit
    ``key="ip"``), lock-outs (django-axes) and the request log all read ``REMOTE_ADDR``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.hops = int(getattr(settings, "PROXY_HOPS", 0))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.hops > 0:
            forwarded = [
                a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()
            ]
            if forwarded:
                request.META["REMOTE_ADDR"] = forwarded[-min(self.hops, len(forwarded))]
        return self.get_response(request)


class HealthCheckMiddleware:
    """``/healthz``: 200 while the process serves. ``/readyz``: 200 when the database (and Redis and
    the task queue, when configured) answer, else 503; JSON ``{"status", "checks": {name: "ok"|reason}}``.

    Answered before host validation, HTTPS redirects and login, with no session and no cache, so a
    load balancer can probe each backend by address.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/healthz":
            return JsonResponse({"status": "ok"})
        if request.path == "/readyz":
            ok, checks = readiness()
            return JsonResponse(
                {"status": "ok" if ok else "unavailable", "checks": checks}, status=200 if ok else 503
            )
        return self.get_response(request)
