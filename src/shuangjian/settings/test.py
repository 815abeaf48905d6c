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
