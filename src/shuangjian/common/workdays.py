"""Working days (工作日) with statutory holidays and adjusted working days (调休).

Sources, in order: days the regulator entered (``CalendarDay``), the ``chinese-calendar`` package,
and — for a year neither knows — plain weekends with a warning. Never raises on a date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import chinese_calendar

from .models import CalendarDay


@dataclass
class WorkdayCalendar:
    """A calendar loaded once per computation; collects warnings about years it had to guess.

    ``warnings`` lists Chinese messages such as "2027年节假日安排尚未录入，已按周末计算".
    """

    overrides: dict[dt.date, bool] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    _loaded: bool = False

    def _load(self) -> None:
        if not self._loaded:
            self.overrides = dict(CalendarDay.objects.values_list("date", "is_working_day"))
            self._loaded = True

    def is_working_day(self, day: dt.date) -> bool:
        """Whether ``day`` is a working day (adjusted working Saturdays count as working days)."""
        self._load()
        if day in self.overrides:
            return self.overrides[day]
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:
            entered = any(d.year == day.year for d in self.overrides)
            if not entered:
                message = f"{day.year}年节假日安排尚未录入，已按周末计算"
                if message not in self.warnings:
                    self.warnings.append(message)
            return day.weekday() < 5

    def is_holiday(self, day: dt.date) -> bool:
        """Whether ``day`` is a rest day: a weekend that is not adjusted, or a statutory holiday."""
        return not self.is_working_day(day)

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The date ``days`` working days after ``start`` (``start`` itself does not count).

        A deadline of 5 working days from a Friday report is the following Friday; one received
        on the eve of 国庆 runs past the whole holiday. ``days`` must be >= 0.
        """
        if days < 0:
            raise ValueError("days must be >= 0")
        current = start
        remaining = days
        while remaining > 0:
            current += dt.timedelta(days=1)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]: how many deadlines' worth of days have passed."""
        count = 0
        current = start
        while current < end:
            current += dt.timedelta(days=1)
            if self.is_working_day(current):
                count += 1
        return count


def add_working_days(start: dt.date, days: int) -> dt.date:
    """Shortcut: :meth:`WorkdayCalendar.add_working_days` with a fresh calendar."""
    return WorkdayCalendar().add_working_days(start, days)


def is_working_day(day: dt.date) -> bool:
    """Shortcut: :meth:`WorkdayCalendar.is_working_day` with a fresh calendar."""
    return WorkdayCalendar().is_working_day(day)
