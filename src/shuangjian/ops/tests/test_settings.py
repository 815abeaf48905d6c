"""Production settings: `check --deploy` clean with the HTTPS flag, DEBUG off, the secret key in var/."""

from __future__ import annotations

import os
import stat
import subprocess

import pytest

from .servers import REPO_ROOT, manage, server_env

pytestmark = pytest.mark.processes  # `make test-fast` leaves these out; `make test` and CI run them


def _check_deploy(home, **env):
    return subprocess.run(
        manage("check", "--deploy", "--fail-level", "WARNING"),
        env=server_env(home, **env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_in_production_mode(tmp_path):
    result = _check_deploy(tmp_path, HTTPS="1", ALLOWED_HOSTS="jianguan.example.cn")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_without_the_https_flag_check_deploy_names_what_is_missing(tmp_path):
    result = _check_deploy(tmp_path)
    assert result.returncode != 0
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in result.stderr + result.stdout


def test_debug_is_off_by_default_and_the_secret_key_is_generated_once_into_var(tmp_path):
    env = server_env(tmp_path)
    env.pop("DEBUG", None)
    env.pop("SECRET_KEY", None)
    code = "from django.conf import settings; print(settings.DEBUG, settings.SECRET_KEY)"
    first = subprocess.run(manage("shell", "-c", code), env=env, capture_output=True, text=True, timeout=60)
    assert first.returncode == 0, first.stderr
    debug, key = first.stdout.splitlines()[-1].split()
    assert debug == "False"
    key_file = tmp_path / "var" / "secret_key"
    assert key_file.read_text().strip() == key and len(key) >= 50
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    second = subprocess.run(manage("shell", "-c", code), env=env, capture_output=True, text=True, timeout=60)
    assert second.stdout.splitlines()[-1].split()[1] == key
    # var/ is ignored by git: the key can never be committed.
    ignored = subprocess.run(["git", "check-ignore", "-q", "var/secret_key"], cwd=REPO_ROOT)
    assert ignored.returncode == 0


def test_secret_key_from_the_environment_wins(tmp_path):
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    result = subprocess.run(
        manage("shell", "-c", code),
        env=server_env(tmp_path, SECRET_KEY="k" * 60),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.splitlines()[-1] == "k" * 60
    assert not (tmp_path / "var" / "secret_key").exists()
