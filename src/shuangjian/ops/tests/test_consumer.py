"""Real Huey consumers (`shuangjian run_huey` in its own process) run the schedule without anyone
calling a command: against the SQLite store in var/ (one machine) and against Redis (REDIS_URL,
database 14 of the local server, not 0).

The consumer shares the test database: on SQLite the migrated in-memory test database is copied to a
file (SQLite's backup API), on PostgreSQL the subprocess opens the test database itself.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from shuangjian.ops.jobs import JOBS

pytestmark = pytest.mark.processes  # `make test-fast` leaves these out; `make test` and CI run them

SH = dt.timezone(dt.timedelta(hours=8))
REDIS_TEST_URL = os.environ.get("SHUANGJIAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


def _pending_lesson_past_due():
    from shuangjian.common.testing import make_institution
    from shuangjian.funds.services import consumption_record, payment_record

    institution = make_institution("430102", name="星光艺术培训学校")
    when = dt.datetime(2024, 3, 1, 10, tzinfo=SH)
    payment_record(
        key="P-HT001",
        institution=institution,
        contract_no="HT001",
        student_ref="XS001",
        hours=10,
        amount_fen=10_000,
        occurred_at=when,
    )
    return consumption_record(
        key="LES1",
        institution=institution,
        contract_no="HT001",
        student_ref="XS001",
        hours=1,
        occurred_at=when + dt.timedelta(days=3),
        confirmed=False,
    ).lesson


def consumer_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """Environment for a subprocess of the project that sees the test database (committed rows)."""
    from django.db import connection

    connection.ensure_connection()
    if connection.vendor == "sqlite":
        db = tmp_path / "consumer.sqlite3"
        with sqlite3.connect(db) as target:
            connection.connection.backup(target)
        url = f"sqlite:///{db}"
    else:
        s = connection.settings_dict
        url = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    env = dict(
        os.environ,
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="shuangjian.settings.base",
        SHUANGJIAN_HOME=str(tmp_path),
        HUEY_WORKERS="1",
        SECRET_KEY="test-consumer-key",
        DEBUG="0",
        PYTHONPATH=str(Path(__file__).resolve().parents[3]),
    )
    for name in ("REDIS_URL", "HUEY_REDIS_URL", "HUEY_IMMEDIATE"):
        env.pop(name, None)
    env.update(extra)
    return env, url


def _query(url: str, sql: str, params=()):
    """Read the shared database directly (the test's own connection may not see the other process)."""
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            return conn.execute(sql, params).fetchall()
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://")) as conn:
        return conn.execute(sql.replace("?", "%s"), params).fetchall()


def _wait_for(predicate, proc, timeout=240):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.5)
    return False


def _stop(proc) -> str:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
    return proc.stdout.read().decode(errors="replace") if proc.stdout else ""


def _run_consumer_until_lesson_confirmed(env, url):
    proc = subprocess.Popen(
        [sys.executable, "-m", "shuangjian.manage", "run_huey"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        done = _wait_for(
            lambda: _query(
                url, "SELECT status FROM ops_jobrun WHERE job = ? AND status != 'RUNNING'", ("funds_tick",)
            ),
            proc,
        )
        all_jobs = done and _wait_for(
            lambda: (
                len(_query(url, "SELECT DISTINCT job FROM ops_jobrun WHERE status = 'SUCCEEDED'"))
                == len(JOBS)
            ),
            proc,
        )
    finally:
        log = _stop(proc)
    assert done and all_jobs, log
    return log


@pytest.mark.django_db(transaction=True)
def test_consumer_with_sqlite_store_catches_up_at_start_and_confirms_the_lesson(tmp_path):
    """One machine, no cron: the worker starts, catches up the day's jobs, and the parent's
    unanswered lesson is confirmed by ``funds_tick`` — recorded as a catch-up run."""
    from shuangjian.regions.services import regions_load

    regions_load()  # a transactional test may start after another one flushed the tables
    lesson = _pending_lesson_past_due()
    env, url = consumer_env(tmp_path)
    log = _run_consumer_until_lesson_confirmed(env, url)
    assert (tmp_path / "var" / "huey.sqlite3").exists(), log  # the embedded store in var/
    [(status, trigger, counts, worker)] = _query(
        url, "SELECT status, trigger, counts, worker FROM ops_jobrun WHERE job = 'funds_tick'"
    )
    assert (status, trigger) == ("SUCCEEDED", "CATCH_UP"), log
    counts = json.loads(counts) if isinstance(counts, str) else counts
    assert counts["lessons_confirmed"] == 1 and worker.endswith(tuple("0123456789"))
    assert _query(url, "SELECT status FROM funds_lesson WHERE id = ?", (lesson.pk,)) == [("AUTO_CONFIRMED",)]

    # A second start the same day: everything is done, nothing runs twice.
    proc = subprocess.Popen(
        [sys.executable, "-m", "shuangjian.manage", "run_huey"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        beats_before = _query(url, "SELECT COUNT(*) FROM ops_workerbeat")[0][0]
        assert _wait_for(
            lambda: _query(url, "SELECT COUNT(*) FROM ops_workerbeat")[0][0] > beats_before, proc
        ), "the second worker never checked the schedule"
    finally:
        log = _stop(proc)
    assert _query(url, "SELECT COUNT(*) FROM ops_jobrun WHERE job = 'funds_tick'") == [(1,)], log


def _redis_or_skip():
    import redis

    client = redis.Redis.from_url(REDIS_TEST_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.fail(f"Redis is not answering at {REDIS_TEST_URL} (.ci/run starts it)")
    return client


@pytest.mark.django_db(transaction=True)
def test_redis_consumer_runs_the_schedule_through_redis(tmp_path):
    """Several machines: REDIS_URL selects RedisHuey; the queue lives in Redis database 14."""
    from shuangjian.regions.services import regions_load

    client = _redis_or_skip()
    regions_load()
    lesson = _pending_lesson_past_due()
    name = f"shuangjiantest{uuid.uuid4().hex[:8]}"
    env, url = consumer_env(tmp_path, REDIS_URL=REDIS_TEST_URL, HUEY_NAME=name)
    queue_key = f"huey.redis.{name}"
    try:
        # A web process (here a shell) enqueues while no worker runs: the task waits in Redis.
        enqueue = subprocess.run(
            [
                sys.executable,
                "-m",
                "shuangjian.manage",
                "shell",
                "-c",
                "from shuangjian.ops.tasks import jobs_catch_up_now; jobs_catch_up_now()",
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert enqueue.returncode == 0, enqueue.stderr
        assert client.llen(queue_key) == 1
        enqueued = client.lindex(queue_key, 0)
        log = _run_consumer_until_lesson_confirmed(env, url)
        # The task the shell enqueued was consumed. What may remain is what the worker enqueued
        # itself (its start-up catch-up, the minute snapshot refresh) while its threads were busy.
        left = client.lrange(queue_key, 0, -1)
        assert enqueued not in left, log
        assert all(b"jobs_catch_up_now" in m or b"minute_tasks_periodic" in m for m in left), left
        assert not (tmp_path / "var" / "huey.sqlite3").exists(), log  # nothing in the SQLite store
    finally:
        for key in client.keys(f"huey.*{name}*"):
            client.delete(key)
    assert _query(url, "SELECT status FROM funds_lesson WHERE id = ?", (lesson.pk,)) == [("AUTO_CONFIRMED",)]
