"""Input checks of the enforcement area: date bounds and the resident ID number (居民身份证号码).

Dates of cases and inspections (立案/决定/结案/检查日期) lie between 2000-01-01 and today
(Asia/Shanghai); campaigns (专项整治) may be planned ahead, at most ``CAMPAIGN_DAYS_AHEAD`` days.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from shuangjian.common.text import nfkc

EARLIEST_DATE = dt.date(2000, 1, 1)
CAMPAIGN_DAYS_AHEAD = 366

# GB 11643-1999: weights of the first 17 characters and the check character for sum mod 11.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


class IdNumberError(ValueError):
    """A resident ID number that is not valid; the message is Chinese."""


def date_bound_error(day: dt.date, *, label: str, days_ahead: int = 0) -> str | None:
    """A Chinese "<label>：…" message when ``day`` is before 2000-01-01 or more than ``days_ahead``
    days after today; None when it is within bounds."""
    if day < EARLIEST_DATE:
        return _("%(label)s：不能早于%(day)s") % {"label": label, "day": EARLIEST_DATE.isoformat()}
    latest = timezone.localdate() + dt.timedelta(days=days_ahead)
    if day > latest:
        if days_ahead:
            return _("%(label)s：不能晚于%(day)s") % {"label": label, "day": latest.isoformat()}
        return _("%(label)s：不能晚于今天（%(day)s）") % {"label": label, "day": latest.isoformat()}
    return None


def _birth_date(text: str) -> dt.date | None:
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def id_number_normalize(value: str) -> str:
    """An 18-character resident ID (GB 11643, check digit verified) or a 15-digit old-format one,
    upper-cased; "" for an empty value. Raises :class:`IdNumberError` with the reason."""
    text = nfkc(value or "").replace(" ", "").upper()
    if not text:
        return ""
    if len(text) == 15:
        if not text.isdigit():
            raise IdNumberError(_("15位旧身份证号码应全部为数字"))
        birth = _birth_date("19" + text[6:12])
        if birth is None:
            raise IdNumberError(_("15位旧身份证号码中的出生日期无效"))
        return text
    if len(text) != 18:
        raise IdNumberError(_("应为18位居民身份证号码（或15位旧号码），当前为%(n)d位") % {"n": len(text)})
    if not text[:17].isdigit() or not (text[17].isdigit() or text[17] == "X"):
        raise IdNumberError(_("前17位应为数字，最后一位为数字或X"))
    birth = _birth_date(text[6:14])
    if birth is None or birth < dt.date(1900, 1, 1) or birth > timezone.localdate():
        raise IdNumberError(_("出生日期（第7至14位）无效"))
    expected = _ID_CHECK[sum(int(c) * w for c, w in zip(text[:17], _ID_WEIGHTS, strict=True)) % 11]
    if text[17] != expected:
        raise IdNumberError(_("校验位不正确（最后一位应为%(c)s），请核对号码") % {"c": expected})
    return text
