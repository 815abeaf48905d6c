"""Health probes, the request log and the proxy's client address."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import RequestFactory, override_settings

from shuangjian.ops.middleware import ProxyClientAddressMiddleware

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_database_session_or_allowed_host(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz", HTTP_HOST="10.1.2.3")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_checks_the_database(client):
    response = client.get("/readyz", HTTP_HOST="10.1.2.3")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "task_queue": "ok"}}


@override_settings(REDIS_URL="redis://127.0.0.1:1/0")
def test_readyz_answers_503_when_the_configured_redis_is_unreachable(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    assert "ConnectionError" in body["checks"]["redis"]


@override_settings(REDIS_URL="redis://127.0.0.1:6379/14")
def test_readyz_checks_a_reachable_redis(client):
    response = client.get("/readyz")
    assert response.json()["checks"]["redis"] == "ok"


def test_one_log_line_per_request_with_status_and_timing(client, caplog):
    with caplog.at_level(logging.INFO, logger="shuangjian.request"):
        client.get("/public/?q=secret")
        client.get("/healthz")  # successful probes are not logged
    records = [r for r in caplog.records if r.name == "shuangjian.request"]
    assert len(records) == 1
    record = records[0]
    assert (record.method, record.path, record.status) == ("GET", "/public/", 200)
    assert isinstance(record.duration_ms, float) and record.duration_ms >= 0
    assert "secret" not in record.getMessage()


def test_json_log_lines_carry_the_request_fields(client, caplog, settings):
    from pythonjsonlogger.json import JsonFormatter

    spec = dict(settings.LOGGING["formatters"]["json"])
    spec.pop("()")
    formatter = JsonFormatter(**spec)
    with caplog.at_level(logging.INFO, logger="shuangjian.request"):
        client.get("/accounts/login/")
    line = json.loads(formatter.format(caplog.records[-1]))
    assert line["logger"] == "shuangjian.request" and line["level"] == "INFO"
    assert line["path"] == "/accounts/login/" and line["status"] == 200
    assert line["duration_ms"] >= 0 and "time" in line


def _address(hops: int, **meta) -> str:
    seen = {}

    def view(request):
        seen["addr"] = request.META["REMOTE_ADDR"]

    with override_settings(PROXY_HOPS=hops):
        ProxyClientAddressMiddleware(view)(RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", **meta))
    return seen["addr"]


def test_client_address_comes_from_the_proxy_only_when_proxies_are_trusted():
    forged = {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.9"}
    assert _address(0, **forged) == "10.0.0.2"  # facing clients: the header is ignored
    assert _address(1, **forged) == "203.0.113.9"  # the proxy's own entry, not the forged one
    assert _address(2, **forged) == "6.6.6.6"
    assert _address(1) == "10.0.0.2"  # no header: the peer address stays
