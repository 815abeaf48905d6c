"""Template filters of the custody ledger."""

from django import template

from shuangjian.common.text import fen_to_yuan_text

register = template.Library()


@register.filter
def yuan(fen):
    """Integer fen shown as ``¥1,234.50``."""
    return fen_to_yuan_text(fen)
