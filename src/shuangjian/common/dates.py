"""Day buckets in Asia/Shanghai (DESIGN.md: a day's bucket is its Shanghai date, never the UTC date)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def day_bounds(date_from: dt.date, date_to: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start of ``date_from``, start of the day after ``date_to``) as aware datetimes in the project's
    time zone (Asia/Shanghai): filter ``>= start`` and ``< end`` for "both days inclusive"."""
    tz = timezone.get_default_timezone()
    start = timezone.make_aware(dt.datetime.combine(date_from, dt.time.min), tz)
    end = timezone.make_aware(dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min), tz)
    return start, end


def end_of_day(day: dt.date) -> dt.datetime:
    """The first instant after ``day`` in the project's time zone (events "up to the end of the day")."""
    return day_bounds(day, day)[1]
