"""Policy parameters: declared here with default, unit and source; values live in RuleParameter.

Every rule parameter the platform uses is declared once with :func:`declare`. Code reads it with
:func:`rule_value`, which returns the most specific stored value (county, then city, then province,
then a global row) or the declared default. Sources are the D-numbers of shared/RULES.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RuleSpec:
    """A declared policy parameter: key, Chinese title, default value, unit, policy source, status."""

    key: str
    title: str
    default: Any
    unit: str
    source: str
    status: str = "FOUND"  # FOUND / FOUND (secondary) / UNCERTAIN / NOT FOUND (RULES.md labels)


RULES: dict[str, RuleSpec] = {}


def declare(key: str, title: str, default: Any, unit: str, source: str, status: str = "FOUND") -> RuleSpec:
    """Declare a parameter (idempotent for the same key). Returns its spec."""
    spec = RuleSpec(key=key, title=title, default=default, unit=unit, source=source, status=status)
    RULES[key] = spec
    return spec


def rule_value(key: str, region_code: str | None = None) -> Any:
    """The value of parameter ``key`` for the region ``region_code`` (or the global value).

    Lookup order: county row, prefecture row, province row, global row, declared default.
    Raises ``KeyError`` when the key was never declared.
    """
    from .models import RuleParameter

    spec = RULES[key]
    candidates: list[str] = []
    if region_code:
        code = str(region_code)
        candidates = [c for c in (code, code[:4] + "00", code[:2] + "0000") if c]
    rows = {r.region_id: r.value for r in RuleParameter.objects.filter(key=key)}
    for code in candidates:
        if code in rows:
            return rows[code]
    if None in rows:
        return rows[None]
    return spec.default


# --- Parameters shared by several areas ---------------------------------------------------------
declare(
    "calendar.fallback_weekends_only",
    "节假日数据缺失时按周末计算",
    True,
    "",
    "DESIGN.md：chinese-calendar 数据止于最新发布年份",
)
