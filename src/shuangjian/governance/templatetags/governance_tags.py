"""Template filters of the co-governance pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def pct(value: Any) -> str:
    """A fraction as a percentage with two decimals (0.5123 → 51.23%); None → —."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.2f}%"
