"""Date and figure bounds of the in-school returns (作业公示、课后服务周报、考试备案).

Nothing is recorded before 2000-01-01; a weekly return is for a week that has started (its Monday
is not after today, Asia/Shanghai); homework may be published up to ``services.MAX_FUTURE_DAYS``
days ahead; an exam may be registered up to ``EXAM_DAYS_AHEAD`` days ahead. The number of pupils
enrolled in (or asking for) after-school service cannot exceed the school's enrolment (在校生数)
when the registry knows it.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from shuangjian.common.validation import EARLIEST_DATE, date_bound_error

__all__ = ["EARLIEST_DATE", "EXAM_DAYS_AHEAD", "date_bound_error", "enrolment_error", "week_bound_error"]
EXAM_DAYS_AHEAD = 366


def week_bound_error(monday: dt.date) -> str | None:
    """Error for a weekly return's week (given by its Monday): before 2000 or not yet started."""
    if monday < EARLIEST_DATE - dt.timedelta(days=EARLIEST_DATE.weekday()):
        return f"周次（{monday} 所在周）不能早于{EARLIEST_DATE.year}年"
    if monday > timezone.localdate():
        return f"周次（{monday} 所在周）尚未开始，不能提前填报"
    return None


def enrolment_error(
    *, enrolled: int, requested: int, school_students: int | None, school_name: str
) -> str | None:
    """Error when 参加/申请学生数 exceed the school's 在校生数 (None when unknown or within it)."""
    if school_students is None:
        return None
    if enrolled > school_students:
        return f"参加学生数（{enrolled}）多于{school_name}的在校生数（{school_students}），请核对"
    if requested > school_students:
        return f"申请学生数（{requested}）多于{school_name}的在校生数（{school_students}），请核对"
    return None
