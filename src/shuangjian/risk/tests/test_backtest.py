"""The backtest runs at small size through the production adapter layer (sanity only, no thresholds)."""

from __future__ import annotations

import importlib.util
import inspect
import sys
from pathlib import Path

from shuangjian.risk.signals import SignalSource

SCRIPT = Path(__file__).resolve().parents[4] / "benchmarks" / "risk_backtest.py"


def _module():
    if "risk_backtest" in sys.modules:
        return sys.modules["risk_backtest"]
    spec = importlib.util.spec_from_file_location("risk_backtest", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["risk_backtest"] = module
    spec.loader.exec_module(module)
    return module


def test_sim_source_implements_the_production_interface():
    module = _module()
    wanted = {n for n, _ in inspect.getmembers(SignalSource, inspect.isfunction) if not n.startswith("_")}
    assert wanted <= set(dir(module.SimSource))


def test_backtest_small_prints_figures(capsys):
    result = _module().main(["--small"])
    out = capsys.readouterr().out
    assert "recall" in out and "precision" in out and "median lead time" in out
    assert result["institutions"] == 300 and result["collapses"] > 0 and result["snapshots"] > 10_000
    assert 0.0 <= result["recall"] <= 1.0 and 0.0 <= result["precision"] <= 1.0
