"""KPI figures on an area's own pages, without importing the statistics area (which sits above the
areas: ``stats/kpis.py`` reads every area's selectors).

The statistics area registers the two functions below in its AppConfig.ready; an area page asks
for the registry's figures through :func:`kpi_values` / :func:`kpi_cards` with the registry's KPI
ids. Without the statistics app installed both raise ``LookupError``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

_PROVIDERS: dict[str, Callable[..., Any]] = {}


def register(
    *,
    values: Callable[..., dict[str, Any]],
    cards: Callable[..., list[dict[str, Any]]],
    info: Callable[[list[str]], dict[str, dict[str, Any]]] | None = None,
) -> None:
    """Install the KPI registry's implementations (called once by the statistics area)."""
    _PROVIDERS["values"] = values
    _PROVIDERS["cards"] = cards
    if info is not None:
        _PROVIDERS["info"] = info


def rate(numerator: int | None, denominator: int | None) -> float | None:
    """numerator / denominator rounded half-up to 4 decimals; None when the denominator is 0/None
    (the registry's definition of every rate)."""
    from decimal import ROUND_HALF_UP, Decimal

    if not denominator or numerator is None:
        return None
    return float(
        (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    )


def kpi_info(ids: list[str]) -> dict[str, dict[str, Any]]:
    """``{kpi id: {"name", "definition", "unit", "is_rate", "records"}}`` from the registry
    (``records``: whether the figure lists the records behind it)."""
    return _provider("info")(ids)


def _provider(name: str) -> Callable[..., Any]:
    try:
        return _PROVIDERS[name]
    except KeyError:
        raise LookupError("KPI registry not installed (shuangjian.stats)") from None


def kpi_values(ids: list[str], *, user: Any, as_of: dt.date, region_code: str | None) -> dict[str, Any]:
    """``{kpi id: raw value}`` of the registry's KPIs ``ids`` in the user's scope and the region's
    subtree on ``as_of`` (units as the registry declares them)."""
    return _provider("values")(ids, user=user, as_of=as_of, region_code=region_code)


def kpi_cards(ids: list[str], *, user: Any, as_of: dt.date, region_code: str | None) -> list[dict[str, Any]]:
    """One card per KPI id: ``{"id", "name", "value" (displayed text), "definition", "url"}`` where
    ``url`` opens the records behind the figure (None when the KPI lists no records)."""
    return _provider("cards")(ids, user=user, as_of=as_of, region_code=region_code)
