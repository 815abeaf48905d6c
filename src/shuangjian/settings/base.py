"""Settings, read from environment variables with safe local defaults.

Environment (README "Running in production" lists them all):
- ``DATABASE_URL``: ``sqlite:////abs/path.sqlite3`` or ``postgres://user@host:port/db``;
  default SQLite at ``var/shuangjian.sqlite3`` (WAL, synchronous=FULL).
- ``SECRET_KEY``: when unset, a key generated on first start into ``var/secret_key`` (mode 0600,
  never committed) is used by every process of this machine; several machines share one ``SECRET_KEY``.
- ``DEBUG``: ``1``/``0`` (default ``0``; ``make dev`` sets ``1``).
- ``ALLOWED_HOSTS``: comma-separated (default ``127.0.0.1,localhost``).
- ``REDIS_URL``: shared cache, rate-limit counters and cached sessions in Redis (default: the database).
- ``S3_BUCKET`` (+ ``S3_ENDPOINT_URL``, ``S3_REGION``, ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``):
  uploaded files in an S3-compatible store through django-storages (default: ``MEDIA_ROOT`` folder).
- ``PROXY_HOPS``: number of trusted reverse proxies in front (client address from X-Forwarded-For).
- ``LOG_FORMAT``: ``text`` (default) or ``json``; ``LOG_LEVEL`` for everything but the request lines
  (default ``WARNING``; request lines are INFO).
- ``SHUANGJIAN_DEMO``: ``1`` enables demo accounts with printed passwords (never in production).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# A source checkout (src/ layout) keeps its var/ at the repository root; an installed package uses
# the working directory unless SHUANGJIAN_HOME says otherwise.
_checkout_root = PACKAGE_DIR.parent.parent if PACKAGE_DIR.parent.name == "src" else Path.cwd()
BASE_DIR = Path(os.environ.get("SHUANGJIAN_HOME", _checkout_root)).resolve()
VAR_DIR = BASE_DIR / "var"


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean environment variable (1/0, true/false, yes/no)."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
DEMO_MODE = env_bool("SHUANGJIAN_DEMO", False)


def _secret_key() -> str:
    """``SECRET_KEY`` from the environment, else this machine's key in ``var/secret_key``.

    The key file is created on first start (50 random URL-safe bytes, mode 0600) by an atomic
    link, so workers starting together all read the same key.
    """
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        tmp = VAR_DIR / f".secret_key.{os.getpid()}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
        try:
            os.link(tmp, key_file)
        except FileExistsError:
            pass  # another process won the race: use its key
        finally:
            tmp.unlink()
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "simple_history",
    "axes",
    "huey.contrib.djhuey",  # task queue: `shuangjian run_huey` is the worker (scheduled jobs, background work)
    "shuangjian.common",
    "shuangjian.regions",
    "shuangjian.accounts",
    "shuangjian.institutions",
    "shuangjian.funds",
    "shuangjian.complaints",
    "shuangjian.risk",
    "shuangjian.enforcement",
    "shuangjian.schools",
    "shuangjian.vocational",
    "shuangjian.stem",
    "shuangjian.governance",
    "shuangjian.coeducation",
    "shuangjian.cooperation",
    "shuangjian.stats",
    "shuangjian.portal",
    "shuangjian.demo",  # the demo province generators and `shuangjian demo load` (top layer)
    "shuangjian.ops",
]

MIDDLEWARE = [
    # One log line per request with its timing (outermost, so the time covers everything below).
    "shuangjian.ops.middleware.RequestLogMiddleware",
    # Behind PROXY_HOPS trusted proxies, the client address comes from X-Forwarded-For (rate limits,
    # lock-outs and logs all read REMOTE_ADDR).
    "shuangjian.ops.middleware.ProxyClientAddressMiddleware",
    # /healthz and /readyz answer before host validation (load balancers probe by IP address).
    "shuangjian.ops.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a login unless its view is marked @login_not_required (public pages, API).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "shuangjian.urls"
WSGI_APPLICATION = "shuangjian.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shuangjian.common.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
_default_sqlite = f"sqlite:///{VAR_DIR / 'shuangjian.sqlite3'}"
DATABASE_URL = os.environ.get("DATABASE_URL", _default_sqlite)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
SQLITE = DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
if SQLITE:
    # Django's backend whose flush keeps the ledger's append-only DELETE triggers (common/sqlite).
    DATABASES["default"]["ENGINE"] = "shuangjian.common.sqlite"
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers run beside the single writer; FULL survives a power cut after commit.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

SESSION_COOKIE_HTTPONLY = True
# Secure cookies, HSTS and the proxy's scheme header: settings/production.py, off the HTTPS flag.
SESSION_COOKIE_AGE = 8 * 3600
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# --- i18n -------------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Front-end libraries from the npm registry (assets/package.json, installed by `make assets`),
# served from our own static files: /static/vendor/echarts/echarts.min.js.
ASSETS_DIR = Path(os.environ.get("SHUANGJIAN_ASSETS", _checkout_root / "assets")) / "node_modules"
STATICFILES_DIRS: list = [PACKAGE_DIR / "static"]
if (ASSETS_DIR / "echarts").exists():
    STATICFILES_DIRS.append(("vendor/echarts", ASSETS_DIR / "echarts" / "dist"))
WHITENOISE_USE_FINDERS = True  # serve app static files without collectstatic in local use
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if os.environ.get("S3_BUCKET"):
    # Uploaded photos and licensing materials in any S3-compatible store (django-storages); files
    # are private (signed URLs) and never overwritten. Credentials: the usual AWS_* variables.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET"],
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "location": os.environ.get("S3_PREFIX", "media"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# --- Cache, sessions, rate-limit counters: shared by every process -------------------------------
# Redis when REDIS_URL is set, else a table in the database (`createcachetable`); never process memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    # Sessions written through to the database and read from Redis.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "shuangjian_cache"}
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
RATELIMIT_USE_CACHE = "default"
PROXY_HOPS = int(os.environ.get("PROXY_HOPS", "0"))

# --- Task queue (Huey): daily jobs on schedule and long work in the background ---------------------
# One machine: SQLite store in var/ (nothing to start). Several machines: Redis when REDIS_URL (or
# HUEY_REDIS_URL) is set. The worker is `shuangjian run_huey`; `make run` starts it beside the server.
_HUEY_REDIS_URL = os.environ.get("HUEY_REDIS_URL") or os.environ.get("REDIS_URL")
HUEY: dict = {
    "name": os.environ.get("HUEY_NAME", "shuangjian"),
    "huey_class": "huey.RedisHuey" if _HUEY_REDIS_URL else "huey.SqliteHuey",
    # Tasks run in the worker; HUEY_IMMEDIATE=1 runs them inside the calling process (tests).
    "immediate": env_bool("HUEY_IMMEDIATE", False),
    "utc": True,  # periodic tasks convert to Asia/Shanghai themselves (shuangjian.ops.schedule)
    "results": False,
    "consumer": {
        "workers": int(os.environ.get("HUEY_WORKERS", "2")),
        "worker_type": "thread",
        "check_worker_health": True,
    },
}
if _HUEY_REDIS_URL:
    HUEY["connection"] = {"url": _HUEY_REDIS_URL}
else:
    HUEY["filename"] = str(Path(os.environ.get("HUEY_SQLITE", VAR_DIR / "huey.sqlite3")))
# How many past days a stopped machine catches up per daily job on its next start.
OPS_CATCH_UP_DAYS = int(os.environ.get("OPS_CATCH_UP_DAYS", "7"))

# --- API --------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "shuangjian.common.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min", "user": "600/min"},
    # A service's DomainError → {"detail", "code"} with its 4xx (common/errors.py).
    "EXCEPTION_HANDLER": "shuangjian.common.errors.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "shuangjian API",
    "DESCRIPTION": "双减监管平台 JSON API. Money in integer fen; dates ISO 8601 (Asia/Shanghai).",
    "VERSION": "1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Every error status an endpoint can answer is documented (common/openapi.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "shuangjian.common.openapi.document_errors",
    ],
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# --- Logs: stdout, one line per request with its timing; JSON lines when LOG_FORMAT=json -----------
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text").lower()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "filters": {"quiet_periodic": {"()": "shuangjian.common.logfilters.QuietPeriodicTasks"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
            "filters": ["quiet_periodic"],
        },
    },
    "root": {"handlers": ["stdout"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "shuangjian.request": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        # runserver's own access line would repeat ours.
        "django.server": {"handlers": ["stdout"], "level": "WARNING", "propagate": False},
        # The task worker: one handler (run_huey adds its own only when "huey" has none, which
        # printed every line twice), task lines at INFO (the handler's filter drops the minute tasks').
        "huey": {
            "handlers": ["stdout"],
            "level": "INFO",
            "propagate": False,
        },
    },
}

_REGULATORS = {"PROVINCE", "CITY", "COUNTY"}
NAV_AREAS = [
    # (url name, label, roles that may use the area; None = everyone logged in).
    ("home", _("首页"), None),
    ("institutions:index", _("校外培训机构"), _REGULATORS | {"INSTITUTION"}),
    ("funds:index", _("预收费监管"), _REGULATORS | {"INSTITUTION"}),
    ("complaints:index", _("投诉举报"), _REGULATORS | {"SUPERVISOR"}),
    ("risk:index", _("风险预警"), _REGULATORS),
    ("enforcement:index", _("执法检查"), _REGULATORS),
    ("schools:index", _("校内减负"), _REGULATORS | {"SCHOOL"}),
    ("vocational:index", _("职业教育"), _REGULATORS | {"VOCATIONAL"}),
    ("stem:index", _("STEM教育"), _REGULATORS | {"SCHOOL"}),
    ("governance:index", _("协同治理"), _REGULATORS),
    ("governance:my_tasks", _("我的督查任务"), {"SUPERVISOR"}),
    ("coeducation:index", _("家校共育"), _REGULATORS),
    ("cooperation:index", _("校企合作"), _REGULATORS | {"VOCATIONAL"}),
    ("stats:index", _("统计与专报"), _REGULATORS),
]
