"""Input normalisation and display helpers (DESIGN.md "Units and conventions")."""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation


def nfkc(value: object) -> str:
    """NFKC-normalise and trim a code, number or date typed by a person (full-width ０-９, Ａ-Ｚ, spaces)."""
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip()


def clean_name(value: object) -> str:
    """Keep a name as typed, but trimmed (DESIGN.md: names are not NFKC-normalised)."""
    return "" if value is None else str(value).strip()


def mask_phone(phone: str | None) -> str:
    """138****1234 for an 11-digit mobile number; other numbers keep their first 3 and last 2 characters."""
    if not phone:
        return ""
    phone = nfkc(phone)
    if len(phone) >= 11:
        return phone[:3] + "****" + phone[-4:]
    if len(phone) > 5:
        return phone[:3] + "*" * (len(phone) - 5) + phone[-2:]
    return "*" * len(phone)


def mask_id_number(value: str | None) -> str:
    """Resident ID number with only its first 6 and last 4 characters shown (430102********1234)."""
    if not value:
        return ""
    value = nfkc(value)
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


# A yuan amount as written in a ledger or a bank export: digits, optionally grouped by thousands.
_YUAN_RE = re.compile(r"^[+-]?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?$")


def yuan_to_fen(value: object) -> int:
    """Convert a yuan amount (text or number, at most 2 decimals) to integer fen.

    Accepted: plain decimals ("1000", "1000.5", "-3"), thousands separators in their places
    ("1,000.50"), a leading ¥ and a trailing 元. Refused, with a Chinese reason (``ValueError``):
    anything else — exponents ("1e3"), misplaced commas ("1,00", which elsewhere means 1.00),
    more than two decimals. No rounding happens here: 12.345 is an error, not 1235 fen.
    """
    text = nfkc(value).replace("¥", "").replace("￥", "").strip()
    if text.endswith("元"):
        text = text[:-1].strip()
    if not _YUAN_RE.match(text):
        raise ValueError(f"“{value}”不是有效金额")
    text = text.replace(",", "")
    try:
        amount = Decimal(text)
    except (InvalidOperation, ValueError):
        raise ValueError(f"“{value}”不是有效金额") from None
    if not amount.is_finite():
        raise ValueError(f"“{value}”不是有效金额")
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"金额“{value}”最多两位小数")
    return int(fen)


def fen_to_yuan_text(fen: int | None) -> str:
    """Display integer fen as yuan: ``¥1,234.50``."""
    if fen is None:
        return ""
    sign = "-" if fen < 0 else ""
    fen = abs(int(fen))
    return f"{sign}¥{fen // 100:,}.{fen % 100:02d}"


def round_half_up(numerator: int, denominator: int) -> int:
    """Integer division rounded half up, exactly (no floats): round_half_up(5, 2) == 3."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    return int((Decimal(numerator) / Decimal(denominator)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
