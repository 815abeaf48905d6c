"""Every app of the project has a place in the layers contract (pyproject.toml), so a new app cannot
escape `make lint`'s import check by not being listed."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
PACKAGE = ROOT / "src" / "shuangjian"
NOT_APPS = {"settings", "locale", "static", "templates"}


def test_every_app_is_in_a_layer():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c["id"] == "layers")
    listed = set(re.findall(r"shuangjian\.(\w+)", " ".join(contract["layers"])))
    apps = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists() and p.name not in NOT_APPS}
    assert not apps - listed, (
        f"apps missing from the layers contract in pyproject.toml: {sorted(apps - listed)}"
    )
