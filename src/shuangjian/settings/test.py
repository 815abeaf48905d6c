"""Test settings: the real database from DATABASE_URL (SQLite by default), fast hashing."""

import hashlib
import os
import tempfile

os.environ.setdefault("SHUANGJIAN_HOME", tempfile.mkdtemp(prefix="shuangjian-test-"))

from .base import *  # noqa: E402,F403
from .base import _checkout_root  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "media"  # noqa: F405
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
AXES_FAILURE_LIMIT = 5
# Tasks run inside the test process (real consumer processes are started by the tests that need them).
HUEY = {**HUEY, "immediate": True}  # noqa: F405

# Several test runs may share one PostgreSQL server (developers, CI): give each run its own
# test database so that they never drop each other's.
#
# `make test-fast` sets SHUANGJIAN_TEST_KEEPDB=1 and passes --reuse-db: the test database then has a
# fixed name per checkout and is kept between runs, so only the first run pays for the migrations
# (a later run applies the new ones only; Django's keepdb). The fast loop leaves out every test that
# empties the tables (browser and multi-process tests), so the kept database still holds what the
# migrations loaded. Two fast loops at once in one checkout would share it: run one at a time.
KEEPDB = os.environ.get("SHUANGJIAN_TEST_KEEPDB", "") == "1"
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    _suffix = f"fast_{hashlib.sha1(str(_checkout_root).encode()).hexdigest()[:8]}" if KEEPDB else os.getpid()
    DATABASES["default"]["TEST"] = {"NAME": f"test_shuangjian_{_suffix}"}  # noqa: F405

# SQLite: the test database is a file in WAL mode, as in production, not Django's shared in-memory
# database. In shared-cache memory mode a reader and a writer on two threads (the live server polling a
# background task's progress while the worker thread writes it) fail at once with "database table is
# locked" instead of waiting, and Django shares one connection between threads; a file in WAL mode lets
# readers and the writer proceed as they do on a real server. Durability does not matter for a
# throw-away database, so commits are not synced.
if SQLITE:  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(_checkout_root / "var" / "test-fast.sqlite3")
        if KEEPDB
        else str(VAR_DIR / f"test-{os.getpid()}.sqlite3")  # noqa: F405
    }
    DATABASES["default"]["OPTIONS"]["init_command"] = (  # noqa: F405
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA foreign_keys=ON;"
    )
    if KEEPDB:
        (_checkout_root / "var").mkdir(exist_ok=True)
