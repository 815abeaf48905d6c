"""Crash test: an import process killed with SIGKILL in the middle of writing leaves the ledger
consistent (nothing of the file applied), and the re-run applies every row exactly once.

Runs in the SQLite pass of the suite: the migrated test database (in memory, regions loaded) is
copied (outside any transaction) to a file with SQLite's backup API, which the subprocesses then share.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

pytestmark = pytest.mark.processes  # `make test-fast` leaves these out; `make test` and CI run them

SETUP = """
from shuangjian.common.codes import credit_code_make
from shuangjian.institutions.models import Institution
from shuangjian.funds.generate import generate_events, write_csv
codes = []
for i, county in enumerate(["430102", "430103", "430405"] * 10):
    code = credit_code_make(f"52{county}MJ{i:07d}")
    Institution.objects.create(credit_code=code, name=f"机构{i}", county_id=county)
    codes.append(code)
write_csv(r"{path}", generate_events(codes, {n}))
"""


def _shuangjian(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "shuangjian.manage", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        **kwargs,
    )


@pytest.mark.django_db(transaction=True)
def test_killed_import_leaves_ledger_consistent_and_rerun_applies_exactly_once(tmp_path):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip(
            "the crash test runs in the SQLite pass (it copies the in-memory test database to a file)"
        )
    from shuangjian.regions.services import regions_load

    regions_load()  # a transactional test may start after another one flushed the tables
    db = tmp_path / "crash.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(db) as target:
        connection.connection.backup(target)
    csv_path = tmp_path / "events.csv"
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{db}",
        DJANGO_SETTINGS_MODULE="shuangjian.settings.base",
        SHUANGJIAN_HOME=str(tmp_path),
        PYTHONPATH=str(Path(__file__).resolve().parents[3]),
    )
    n = 20_000
    setup = _shuangjian(env, "shell", "-c", SETUP.replace("{path}", str(csv_path)).replace("{n}", str(n)))
    assert setup.returncode == 0, setup.stderr

    proc = subprocess.Popen(
        [sys.executable, "-m", "shuangjian.manage", "import", "fund-events", str(csv_path)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    writing = threading.Event()

    def watch():
        seen = b""
        while chunk := proc.stderr.read1(256):
            seen += chunk
            if "校验中".encode() in seen:  # progress is reported after each batch written
                writing.set()

    threading.Thread(target=watch, daemon=True).start()
    assert writing.wait(120), "the import never reported progress"
    assert proc.poll() is None, "the import finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    assert proc.returncode == -signal.SIGKILL

    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM funds_fundevent").fetchone()[0] == 0
        assert conn.execute("SELECT COUNT(*) FROM funds_posting").fetchone()[0] == 0
    check = _shuangjian(env, "funds", "check")
    assert check.returncode == 0, check.stderr

    rerun = _shuangjian(env, "import", "fund-events", str(csv_path), "--quiet")
    assert rerun.returncode == 0, rerun.stderr
    assert f"新增 {n}" in rerun.stdout
    again = _shuangjian(env, "import", "fund-events", str(csv_path), "--quiet")
    assert "新增 0" in again.stdout and f"跳过（重复）{n}" in again.stdout
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM funds_fundevent").fetchone()[0] == n
    check = _shuangjian(env, "funds", "check")
    assert check.returncode == 0, check.stderr
