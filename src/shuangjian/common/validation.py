"""Shared input checks: bounded dates, resident ID numbers (GB 11643) and import cells.

Every area checks the same kinds of input the same way, with one Chinese message format:

- :func:`date_bound_error` — "<label>不能早于<earliest>" / "<label>不能晚于今天（<today>）" /
  "<label>不能晚于<latest>" or None. ``label`` is the field's Chinese name (an area that shows
  "<label>：…" passes the colon as part of the label). Dates are Asia/Shanghai.
- :func:`id_number_normalize` — an 18-character resident ID (居民身份证号码, GB 11643-1999, check
  character verified; optionally the 15-digit pre-1999 form), raising :class:`IdNumberError`.
- :func:`cell_int` / :func:`cell_choice` / :func:`cell_date` — one cell of an import row, raising
  :class:`~shuangjian.common.importing.RowError` (row, column, Chinese reason).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import DomainError
from .importing import RowError, cell_text, parse_date
from .text import nfkc

#: The platform's earliest plausible record date (areas may pass an earlier or later bound).
EARLIEST_DATE = dt.date(2000, 1, 1)
#: Largest decoded image (width × height) any upload may have: report photos, licence materials
#: (a decompression bomb is refused from its header before any pixel is decoded).
MAX_IMAGE_PIXELS = 40_000_000


def date_bound_error(
    day: dt.date, *, label: str, earliest: dt.date = EARLIEST_DATE, days_ahead: int | None = 0
) -> str | None:
    """A Chinese message when ``day`` is before ``earliest`` or more than ``days_ahead`` days after
    today (Asia/Shanghai; ``None`` = no upper bound); None when it is within bounds."""
    if day < earliest:
        return _("%(label)s不能早于%(day)s") % {"label": label, "day": earliest.isoformat()}
    if days_ahead is not None:
        today = timezone.localdate()
        latest = today + dt.timedelta(days=days_ahead)
        if day > latest:
            if days_ahead:
                return _("%(label)s不能晚于%(day)s") % {"label": label, "day": latest.isoformat()}
            return _("%(label)s不能晚于今天（%(day)s）") % {"label": label, "day": today.isoformat()}
    return None


# --- Resident ID numbers (GB 11643-1999) ------------------------------------------------------------
#: Weights of the first 17 characters; the check character is ``ID_CHECK[sum mod 11]``.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


class IdNumberError(DomainError):
    """A resident ID number that is not valid; the message is Chinese."""

    code = "invalid_id_number"


def _birth_date(text: str) -> dt.date | None:
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def id_check_char(first17: str) -> str:
    """The GB 11643 check character of 17 digits."""
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def id_number_normalize(value: str, *, allow_old: bool = True) -> str:
    """An 18-character resident ID (check character verified, birth date 1900..today) or, when
    ``allow_old``, a 15-digit pre-1999 one; full-width and spaces tolerated, upper-cased; "" for an
    empty value. Raises :class:`IdNumberError` with the Chinese reason."""
    text = nfkc(value or "").replace(" ", "").upper()
    if not text:
        return ""
    if allow_old and len(text) == 15:
        if not text.isdigit():
            raise IdNumberError(_("15位旧身份证号码应全部为数字"))
        if _birth_date("19" + text[6:12]) is None:
            raise IdNumberError(_("15位旧身份证号码中的出生日期无效"))
        return text
    if not allow_old:
        # The registry's strict form: 18 characters, 17 digits, check character, then birth date.
        if len(text) != 18 or not text[:17].isdigit():
            raise IdNumberError(_("身份证号应为18位（前17位为数字）"))
        expected = id_check_char(text[:17])
        if text[17] != expected:
            raise IdNumberError(_("身份证号校验位错误：应为“%(c)s”") % {"c": expected})
        if _birth_date(text[6:14]) is None:
            raise IdNumberError(_("身份证号中的出生日期无效"))
        return text
    if len(text) != 18:
        raise IdNumberError(_("应为18位居民身份证号码（或15位旧号码），当前为%(n)d位") % {"n": len(text)})
    if not text[:17].isdigit() or not (text[17].isdigit() or text[17] == "X"):
        raise IdNumberError(_("前17位应为数字，最后一位为数字或X"))
    birth = _birth_date(text[6:14])
    if birth is None or birth < dt.date(1900, 1, 1) or birth > timezone.localdate():
        raise IdNumberError(_("出生日期（第7至14位）无效"))
    expected = id_check_char(text[:17])
    if text[17] != expected:
        raise IdNumberError(_("校验位不正确（最后一位应为%(c)s），请核对号码") % {"c": expected})
    return text


# --- Import cells ---------------------------------------------------------------------------------
def cell_int(
    cells: Mapping[str, Any], header: str, row: int, *, low: int, high: int, required: bool = True
) -> int | None:
    """An integer cell within [low, high] (thousands commas tolerated); None when empty and not
    ``required``. Raises :class:`RowError` "不能为空" / "不是整数" / "应在…之间"."""
    text = nfkc(cell_text(dict(cells), header)).replace(",", "")
    if text == "":
        if required:
            raise RowError(row, header, "不能为空")
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise RowError(row, header, f"“{text}”不是整数") from None
    if value != value.to_integral_value():
        raise RowError(row, header, f"“{text}”不是整数")
    if not low <= int(value) <= high:
        raise RowError(row, header, f"应在{low}至{high}之间，而不是{int(value)}")
    return int(value)


def cell_choice(
    cells: Mapping[str, Any], header: str, row: int, mapping: Mapping[str, str], required: bool = True
) -> str:
    """The stored value of a cell written as one of ``mapping``'s Chinese labels; "" when empty
    and not ``required``. Raises :class:`RowError` naming the accepted labels."""
    text = nfkc(cell_text(dict(cells), header))
    if not text:
        if required:
            raise RowError(row, header, "不能为空")
        return ""
    if text not in mapping:
        raise RowError(row, header, f"“{text}”无效，应为" + " / ".join(mapping))
    return mapping[text]


def cell_date(
    cells: Mapping[str, Any],
    header: str,
    row: int,
    *,
    earliest: dt.date = EARLIEST_DATE,
    days_ahead: int | None = 0,
    required: bool = True,
) -> dt.date | None:
    """A date cell (forms of :func:`~shuangjian.common.importing.parse_date`) within the bounds of
    :func:`date_bound_error`; None when empty and not ``required``. Raises :class:`RowError`."""
    value = cells.get(header)
    if value is None or cell_text(dict(cells), header) == "":
        if required:
            raise RowError(row, header, "不能为空")
        return None
    try:
        day = parse_date(value)
    except ValueError as error:
        raise RowError(row, header, str(error)) from None
    message = date_bound_error(day, label="", earliest=earliest, days_ahead=days_ahead)
    if message:
        raise RowError(row, header, message)
    return day
