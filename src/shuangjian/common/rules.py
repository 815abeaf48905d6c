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


def region_chain(region_code: str | None) -> list[str | None]:
    """The rows that may hold a region's value, most specific first: county, city (prefecture),
    province (GB/T 2260 codes ``xxxxxx``, ``xxxx00``, ``xx0000``, duplicates dropped), then the
    global row (``None``). ``region_code`` None or "" gives ``[None]``."""
    chain: list[str | None] = []
    if region_code:
        code = str(region_code)
        for candidate in (code, code[:4] + "00", code[:2] + "0000"):
            if candidate not in chain:
                chain.append(candidate)
    chain.append(None)
    return chain


class RuleBook:
    """THE rule resolution: stored :class:`~shuangjian.common.models.RuleParameter` rows of some
    keys, loaded in one query, resolved county → city → province → global row → declared default.

    ``RuleBook(keys=[...])`` loads the named keys, ``RuleBook(prefix="schools.")`` every key of an
    area, ``RuleBook()`` every key. :meth:`value` then answers without further queries, so a page
    resolving a rule for 122 counties costs one query.
    """

    def __init__(self, keys: list[str] | None = None, *, prefix: str | None = None) -> None:
        from .models import RuleParameter

        rows = RuleParameter.objects.all()
        if keys is not None:
            rows = rows.filter(key__in=keys)
        if prefix is not None:
            rows = rows.filter(key__startswith=prefix)
        self.rows: dict[str, dict[str | None, Any]] = {key: {} for key in keys or ()}
        for key, region_id, value in rows.values_list("key", "region_id", "value"):
            self.rows.setdefault(key, {})[region_id] = value

    def stored(self, key: str, region_code: str | None) -> tuple[bool, Any, str | None]:
        """(found, value, region code of the row or None) of the most specific stored row."""
        rows = self.rows.get(key, {})
        for code in region_chain(region_code):
            if code in rows:
                return True, rows[code], code
        return False, None, None

    def value(self, key: str, region_code: str | None = None) -> Any:
        """The value of ``key`` for ``region_code``; the declared default when no row applies.
        Raises ``KeyError`` when the key was never declared (and no row is stored)."""
        found, value, _code = self.stored(key, region_code)
        return value if found else RULES[key].default

    def table(self) -> dict[str, dict[str | None, Any]]:
        """key → {region code or None: stored value} (the raw rows)."""
        return self.rows


def rule_value(key: str, region_code: str | None = None) -> Any:
    """The value of parameter ``key`` for the region ``region_code`` (or the global value).

    Lookup order (:class:`RuleBook`): county row, prefecture row, province row, global row,
    declared default. Raises ``KeyError`` when the key was never declared.
    """
    spec = RULES[key]
    found, value, _code = RuleBook(keys=[key]).stored(key, region_code)
    return value if found else spec.default


def rule_table(keys: list[str]) -> dict[str, dict[str | None, Any]]:
    """key → {region code or None: stored value} of every stored row of ``keys`` (one query)."""
    return RuleBook(keys=list(keys)).table()


def resolve(table: dict[str, dict[str | None, Any]], key: str, region_code: str | None) -> Any:
    """The value of ``key`` for ``region_code`` from a :func:`rule_table` (same order as
    :class:`RuleBook`), the declared default when no row applies."""
    rows = table.get(key, {})
    for code in region_chain(region_code):
        if code in rows:
            return rows[code]
    return RULES[key].default


def province_code() -> str:
    """The GB/T 2260 code of the province the platform serves (rule ``common.province_code``,
    湖南省 430000 by default)."""
    return str(rule_value(PROVINCE_CODE.key))


def province_prefix() -> str:
    """The two-digit code prefix of the platform's province ("43")."""
    return province_code()[:2]


# --- Parameters shared by several areas ---------------------------------------------------------
declare(
    "calendar.fallback_weekends_only",
    "节假日数据缺失时按周末计算",
    True,
    "",
    "DESIGN.md：chinese-calendar 数据止于最新发布年份",
)
PROVINCE_CODE = declare(
    "common.province_code",
    "本平台所辖省份",
    "430000",
    "GB/T 2260 省级代码",
    "DESIGN.md：湖南省教育厅平台（湖南省 430000）",
)
