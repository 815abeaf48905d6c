"""Test settings: the real database from DATABASE_URL (SQLite by default), fast hashing."""

import os
import tempfile

os.environ.setdefault("SHUANGJIAN_HOME", tempfile.mkdtemp(prefix="shuangjian-test-"))

from .base import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "media"  # noqa: F405
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
AXES_FAILURE_LIMIT = 5
# Tasks run inside the test process (real consumer processes are started by the tests that need them).
HUEY = {**HUEY, "immediate": True}  # noqa: F405

# Several test runs may share one PostgreSQL server (developers, CI): give each run its own
# test database so that they never drop each other's.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": f"test_shuangjian_{os.getpid()}"}  # noqa: F405

# SQLite: the test database is a file in WAL mode, as in production, not Django's shared in-memory
# database. In shared-cache memory mode a reader and a writer on two threads (the live server polling a
# background task's progress while the worker thread writes it) fail at once with "database table is
# locked" instead of waiting, and Django shares one connection between threads; a file in WAL mode lets
# readers and the writer proceed as they do on a real server. Durability does not matter for a
# throw-away database, so commits are not synced.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}  # noqa: F405
    DATABASES["default"]["OPTIONS"]["init_command"] = (  # noqa: F405
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA foreign_keys=ON;"
    )
