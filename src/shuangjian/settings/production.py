"""Production settings: base + hashed, compressed static files + the HTTPS and proxy flags.

Used by ``shuangjian serve`` (``make run``) and by ``shuangjian.wsgi`` unless
``DJANGO_SETTINGS_MODULE`` says otherwise. ``DEBUG`` stays off unless ``DEBUG=1``.

Flags (environment):
- ``HTTPS=1``: the site is reached over HTTPS (directly or through a proxy that terminates TLS):
  secure session and CSRF cookies, redirect http → https, HSTS (``HSTS_SECONDS``, default one
  year, subdomains included, preload flag set). ``shuangjian check --deploy`` is clean with it.
  Leave it off for a plain-HTTP machine such as the local demo (browsers drop secure cookies
  over http, so logins would fail).
- ``PROXY_HOPS=N``: N trusted reverse proxies in front: the client address is read from
  ``X-Forwarded-For`` (base settings) and the scheme from ``X-Forwarded-Proto``.
- ``CSRF_TRUSTED_ORIGINS``: comma-separated origins (``https://jianguan.example.cn``) when the
  public address differs from the one the server sees.
"""

import os

from .base import *  # noqa: F403
from .base import PROXY_HOPS, STORAGES, env_bool

HTTPS = env_bool("HTTPS", False)
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
if PROXY_HOPS > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

# Static files: `collectstatic` (run by `shuangjian serve`) writes hashed, gzip-compressed copies
# into STATIC_ROOT; whitenoise serves them with far-future cache headers.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
WHITENOISE_USE_FINDERS = False
