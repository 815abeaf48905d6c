"""Backup and restore of one deployment: the database and the uploaded files, in one archive.

Archive (``.tar.gz``)::

    manifest.json          {"format": 1, "vendor": "sqlite"|"postgresql", "created_at": ISO,
                            "database": "database.sqlite3"|"database.dump", "media_files": N}
    database.sqlite3       SQLite: a consistent copy taken with SQLite's online backup API
                           (readers and writers may go on meanwhile)
    database.dump          PostgreSQL: ``pg_dump --format=custom`` (one consistent snapshot)
    media/<name>           every file of Django's default storage (local folder or S3), read and
                           written through the Storage API

Restore goes into the database and storage configured now (``DATABASE_URL``, ``MEDIA_ROOT`` /
``S3_BUCKET``), of the same vendor as the archive. It refuses a database that already holds the
platform's tables unless ``force`` is given (then the database is replaced: SQLite pages are
overwritten by the backup API, PostgreSQL objects are dropped and re-created by ``pg_restore --clean``).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import File
from django.core.files.storage import Storage, default_storage
from django.db import connection

FORMAT = 1
MEDIA_PREFIX = "media/"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why (Chinese, shown to operators)."""


@dataclass(frozen=True)
class BackupResult:
    """What an archive holds: vendor, number of media files, archive size in bytes."""

    vendor: str
    media_files: int
    size_bytes: int


def _vendor() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"不支持的数据库类型：{vendor}")
    return vendor


def _pg_env_args() -> tuple[dict[str, str], list[str]]:
    """Environment (password) and connection arguments of pg_dump / pg_restore for ``default``."""
    s = connection.settings_dict
    env = dict(os.environ)
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    args = ["--dbname", str(s["NAME"])]
    if s.get("HOST"):
        args += ["--host", str(s["HOST"])]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", str(s["USER"])]
    return env, args


def _storage_files(storage: Storage, path: str = "") -> Iterator[str]:
    """Every file name in ``storage`` under ``path``, depth first, in sorted order."""
    try:
        dirs, files = storage.listdir(path)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{path}/{name}" if path else name
    for d in sorted(dirs):
        yield from _storage_files(storage, f"{path}/{d}" if path else d)


def backup_create(*, out: Path, storage: Storage | None = None) -> BackupResult:
    """Write the archive described in the module docstring to ``out`` (replaced atomically).

    Raises ``BackupError`` when ``pg_dump`` fails (its message included).
    """
    storage = storage or default_storage
    vendor = _vendor()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="shuangjian-backup-") as tmp:
        if vendor == "sqlite":
            db_name = "database.sqlite3"
            source = sqlite3.connect(str(connection.settings_dict["NAME"]))
            target = sqlite3.connect(os.path.join(tmp, db_name))
            try:
                source.backup(target)
            finally:
                target.close()
                source.close()
        else:
            db_name = "database.dump"
            env, args = _pg_env_args()
            result = subprocess.run(
                ["pg_dump", "--format=custom", "--no-owner", "--file", os.path.join(tmp, db_name), *args],
                env=env,
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise BackupError(f"pg_dump 失败：{result.stderr.strip()}")
        partial = out.with_name(out.name + ".partial")
        media_files = 0
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(os.path.join(tmp, db_name), arcname=db_name)
            for name in _storage_files(storage):
                info = tarfile.TarInfo(MEDIA_PREFIX + name)
                info.size = storage.size(name)
                try:
                    info.mtime = int(storage.get_modified_time(name).timestamp())
                except (NotImplementedError, OSError):
                    info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
                with storage.open(name, "rb") as fh:
                    tar.addfile(info, fh)
                media_files += 1
            manifest = json.dumps(
                {
                    "format": FORMAT,
                    "vendor": vendor,
                    "database": db_name,
                    "media_files": media_files,
                    "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                },
                ensure_ascii=False,
                indent=2,
            ).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(manifest)
            tar.addfile(info, io.BytesIO(manifest))
        partial.replace(out)
    return BackupResult(vendor=vendor, media_files=media_files, size_bytes=out.stat().st_size)


def _database_has_tables() -> bool:
    return "django_migrations" in connection.introspection.table_names()


def backup_restore(*, archive: Path, force: bool = False, storage: Storage | None = None) -> BackupResult:
    """Restore ``archive`` into the configured database and storage (see the module docstring).

    Raises ``BackupError`` when the archive is not one of ours, its vendor differs from the
    configured database's, the database already holds tables and ``force`` is false, or
    ``pg_restore`` fails.
    """
    storage = storage or default_storage
    vendor = _vendor()
    try:
        tar = tarfile.open(archive, "r:gz")  # noqa: SIM115 - closed by the `with tar` below
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"无法读取备份文件 {archive}：{exc}") from exc
    with tar, tempfile.TemporaryDirectory(prefix="shuangjian-restore-") as tmp:
        try:
            manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
        except (KeyError, ValueError) as exc:
            raise BackupError("不是本平台的备份文件（缺少 manifest.json）") from exc
        if manifest.get("format") != FORMAT:
            raise BackupError(f"备份格式版本 {manifest.get('format')} 不受支持")
        if manifest["vendor"] != vendor:
            raise BackupError(
                f"备份来自 {manifest['vendor']} 数据库，当前配置的是 {vendor}：请设置相同类型的 DATABASE_URL"
            )
        if _database_has_tables() and not force:
            raise BackupError("目标数据库已有数据表；确认要覆盖时加 --force")
        db_file = os.path.join(tmp, manifest["database"])
        tar.extract(manifest["database"], tmp, filter="data")
        if vendor == "sqlite":
            connection.close()
            source = sqlite3.connect(db_file)
            target = sqlite3.connect(str(connection.settings_dict["NAME"]))
            try:
                source.backup(target)
            finally:
                target.close()
                source.close()
        else:
            connection.close()
            env, args = _pg_env_args()
            result = subprocess.run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--exit-on-error",
                    *args,
                    db_file,
                ],
                env=env,
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise BackupError(f"pg_restore 失败：{result.stderr.strip()}")
        media_files = 0
        for member in tar:
            if not member.isfile() or not member.name.startswith(MEDIA_PREFIX):
                continue
            name = member.name[len(MEDIA_PREFIX) :]
            if name.startswith("/") or ".." in Path(name).parts:
                raise BackupError(f"备份中的文件名不安全：{member.name}")
            if storage.exists(name):
                storage.delete(name)
            fh = tar.extractfile(member)
            assert fh is not None
            saved = storage.save(name, File(fh, name=name))
            if saved != name:
                raise BackupError(f"文件 {name} 被存储改名为 {saved}")
            media_files += 1
    return BackupResult(vendor=vendor, media_files=media_files, size_bytes=Path(archive).stat().st_size)
