"""Periodic-task timing in Asia/Shanghai for Huey, which keeps its own clock in UTC (``utc=True``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from .jobs import SHANGHAI


def shanghai_daily(at: dt.time) -> Callable[[dt.datetime], bool]:
    """A Huey ``validate_datetime``: true in the minute ``at`` (hour, minute) of every Shanghai day.

    Huey's scheduler calls it once a minute with its current time, naive UTC (``utc=True``) or aware.
    """

    def validate(moment: dt.datetime) -> bool:
        aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
        local = aware.astimezone(SHANGHAI)
        return (local.hour, local.minute) == (at.hour, at.minute)

    validate.__name__ = f"shanghai_daily_{at.hour:02d}{at.minute:02d}"
    return validate


def every_minutes(n: int) -> Callable[[dt.datetime], bool]:
    """A Huey ``validate_datetime``: true every ``n`` minutes (minute divisible by ``n``)."""

    def validate(moment: dt.datetime) -> bool:
        return moment.minute % n == 0

    return validate
