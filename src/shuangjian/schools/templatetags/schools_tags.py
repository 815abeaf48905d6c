"""Display helpers of the schools pages."""

from django import template

from shuangjian.common.text import fen_to_yuan_text

register = template.Library()


@register.filter
def pct(value) -> str:
    """A fraction as a percentage with two decimals (``0.9583`` → ``95.83%``); ``—`` for None."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.2f}%"


@register.filter
def rate(row, key):
    """``row.rates[key]`` in a template."""
    return row.rates.get(key)


@register.filter
def yuan(fen) -> str:
    return fen_to_yuan_text(fen)


@register.filter
def below(value, threshold=1) -> bool:
    """Whether a rate is known and below ``threshold`` (shortfall highlighting)."""
    return value is not None and float(value) < float(threshold)
