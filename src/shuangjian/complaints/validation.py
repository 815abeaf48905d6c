"""Date bounds of the reports area (受理时间, 处置日期).

Nothing in the reports area can predate 2000-01-01 (the platform's earliest plausible record; the
double-reduction policy itself dates from 2021) or lie after today (Asia/Shanghai).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

EARLIEST_DATE = dt.date(2000, 1, 1)


def date_bound_error(day: dt.date, *, label: str, earliest: dt.date = EARLIEST_DATE) -> str | None:
    """A Chinese message naming ``label`` when ``day`` is before ``earliest`` or after today, else None."""
    if day < earliest:
        return _("%(label)s不能早于%(day)s") % {"label": label, "day": earliest.strftime("%Y-%m-%d")}
    if day > timezone.localdate():
        return _("%(label)s不能晚于今天（%(day)s）") % {"label": label,
                                                      "day": timezone.localdate().strftime("%Y-%m-%d")}
    return None
