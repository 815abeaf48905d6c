"""Test helpers: start real server processes on free loopback ports and stop them, never hanging."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[4]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(*args: str) -> list[str]:
    """Command line for ``shuangjian ARGS`` with the test's interpreter."""
    return [sys.executable, "-m", "shuangjian.manage", *args]


def wait_until_healthy(base_url: str, process: subprocess.Popen, *, timeout: float = 120) -> None:
    """Poll ``/healthz`` until it answers 200; fail if the process dies or ``timeout`` s pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited with {process.returncode} before answering")
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{base_url} did not answer /healthz within {timeout} s")


def stop(process: subprocess.Popen, *, sig: int = signal.SIGINT, timeout: float = 40) -> int:
    """Send ``sig`` (Ctrl-C by default), wait up to ``timeout`` s, then kill; returns the exit code."""
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    return process.returncode


def server_env(home: Path, **extra: str) -> dict[str, str]:
    """Environment of a production-settings server whose var/ lives under ``home``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "SHUANGJIAN_DEMO", "DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "shuangjian.settings.production",
            "SHUANGJIAN_HOME": str(home),
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra)
    return env
