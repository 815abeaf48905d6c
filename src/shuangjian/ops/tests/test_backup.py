"""`shuangjian backup` / `shuangjian restore`: demo-like data (registry, reports, custody ledger, uploaded
files) backed up, restored into a fresh database and storage, gives identical `kpis` and `funds check`.

Runs on the suite's database vendor: SQLite files in a temporary folder, or two fresh databases on
the PostgreSQL server of ``DATABASE_URL`` (pg_dump / pg_restore).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import dj_database_url
import pytest

from .sample import MEDIA
from .servers import manage, server_env

pytestmark = pytest.mark.processes  # `make test-fast` leaves these out; `make test` and CI run them

KPI_ARGS = ["kpis", "--as-of", "2023-06-05", "--from", "2022-01-01", "--to", "2022-12-31", "--json"]


def _run(args, env, *, timeout=600, check=True):
    result = subprocess.run(args, env=env, capture_output=True, text=True, timeout=timeout)
    if check:
        assert result.returncode == 0, f"{args}: {result.stdout[-2000:]} {result.stderr[-3000:]}"
    return result


@pytest.fixture
def two_databases(tmp_path):
    """(source URL, target URL): fresh, empty, of the suite's vendor; dropped afterwards."""
    suite = os.environ.get("DATABASE_URL", "")
    if not suite.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'source.sqlite3'}", f"sqlite:///{tmp_path / 'target.sqlite3'}"
        return
    import psycopg

    cfg = dj_database_url.parse(suite)
    names = [f"shuangjian_bk_src_{os.getpid()}", f"shuangjian_bk_dst_{os.getpid()}"]
    admin = psycopg.connect(
        host=cfg["HOST"] or "127.0.0.1",
        port=cfg["PORT"] or 5432,
        user=cfg["USER"],
        password=cfg["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    try:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
        base = suite.rsplit("/", 1)[0]
        yield f"{base}/{names[0]}", f"{base}/{names[1]}"
    finally:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_backup_then_restore_into_a_fresh_database_gives_identical_figures(tmp_path, two_databases):
    source_url, target_url = two_databases
    source = server_env(
        tmp_path / "source", DATABASE_URL=source_url, DJANGO_SETTINGS_MODULE="shuangjian.settings.base"
    )
    target = server_env(
        tmp_path / "target", DATABASE_URL=target_url, DJANGO_SETTINGS_MODULE="shuangjian.settings.base"
    )
    _run(manage("migrate", "--noinput", "-v0"), source)
    _run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from shuangjian.ops.tests.sample import load; load()",
        ],
        source,
    )
    archive = tmp_path / "backup" / "shuangjian.tar.gz"
    out = _run(manage("backup", "--out", str(archive)), source).stdout
    assert archive.exists() and "上传文件 2 个" in out

    restored = _run(manage("restore", str(archive)), target).stdout
    assert "上传文件 2 个" in restored

    kpis_before = json.loads(_run(manage(*KPI_ARGS), source).stdout)
    kpis_after = json.loads(_run(manage(*KPI_ARGS), target).stdout)
    assert kpis_before["institutions.offline_compulsory_subject.current"] > 0
    assert kpis_after == kpis_before
    check_before = _run(manage("funds", "check"), source)
    check_after = _run(manage("funds", "check"), target)
    assert check_after.stdout == check_before.stdout
    for name, content in MEDIA.items():
        assert (tmp_path / "target" / "var" / "media" / name).read_bytes() == content

    # A database that already holds the platform is never overwritten by mistake.
    again = _run(manage("restore", str(archive)), target, check=False)
    assert again.returncode != 0 and "--force" in again.stderr
    _run(manage("restore", str(archive), "--force"), target)
    assert json.loads(_run(manage(*KPI_ARGS), target).stdout) == kpis_before


def test_restore_refuses_an_archive_of_the_other_vendor_or_a_foreign_file(tmp_path):
    import io
    import tarfile

    archive = tmp_path / "other.tar.gz"
    manifest = json.dumps({"format": 1, "vendor": "oracle", "database": "x"}).encode()
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo("manifest.json")
        info.size = len(manifest)
        tar.addfile(info, io.BytesIO(manifest))
    env = server_env(
        tmp_path,
        DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}",
        DJANGO_SETTINGS_MODULE="shuangjian.settings.base",
    )
    result = _run(manage("restore", str(archive)), env, check=False)
    assert result.returncode != 0 and "oracle" in result.stderr
    (tmp_path / "junk.tar.gz").write_bytes(b"not an archive")
    result = _run(manage("restore", str(tmp_path / "junk.tar.gz")), env, check=False)
    assert result.returncode != 0 and "无法读取备份文件" in result.stderr
