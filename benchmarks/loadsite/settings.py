"""``shuangjian.settings.production`` with the benchmark's URL list (one extra bare view)."""

from shuangjian.settings.production import *  # noqa: F403

ROOT_URLCONF = "loadsite.urls"
