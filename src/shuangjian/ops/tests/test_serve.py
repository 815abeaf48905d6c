"""`shuangjian serve` (what `make run` starts): gunicorn on a fresh SQLite database, demo logins
printed, hashed static files from whitenoise, JSON request lines on stdout, Ctrl-C stops everything."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import urllib.request

import pytest

from .servers import free_port, manage, server_env, stop, wait_until_healthy

pytestmark = pytest.mark.processes  # `make test-fast` leaves these out; `make test` and CI run them


def _get(url: str):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, dict(response.headers), response.read()


def test_serve_runs_gunicorn_prints_logins_and_stops_on_ctrl_c(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = server_env(
        tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", SHUANGJIAN_DEMO="1", LOG_FORMAT="json"
    )
    out = (tmp_path / "serve.out").open("w+")
    process = subprocess.Popen(
        manage("serve", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--demo-scale", "none"),
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_until_healthy(base, process, timeout=900)  # migrations on a loaded 2-core machine
        status, _, body = _get(f"{base}/public/")
        assert status == 200
        css = re.search(rb"/static/shuangjian/app\.[0-9a-f]{12}\.css", body)
        assert css, "production pages link hashed static files"
        status, headers, _ = _get(base + css.group().decode())
        assert status == 200 and "max-age=315360000" in headers["Cache-Control"]
        status, _, body = _get(f"{base}/readyz")
        assert json.loads(body)["checks"]["database"] == "ok"
    finally:
        code = stop(process)
    assert code == 0
    with socket.socket() as sock:  # nothing listens any more: the gunicorn workers are gone too
        assert sock.connect_ex(("127.0.0.1", port)) != 0
    out.seek(0)
    text = out.read()
    assert "province" in text and "密码 Demo-" in text, text[-2000:]
    assert f"http://127.0.0.1:{port}/" in text
    lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    public = [line for line in lines if line.get("path") == "/public/"]
    assert public and public[0]["status"] == 200 and public[0]["duration_ms"] > 0
    assert public[0]["logger"] == "shuangjian.request"
