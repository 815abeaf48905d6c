"""Fixtures of the schools tests: a small known dataset around the 2026 National Day holiday."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from shuangjian.schools.services import (
    AfterSchoolInput,
    HomeworkItemInput,
    after_school_report,
    exam_register,
    homework_publish,
)
from shuangjian.schools.testing import make_school

D = dt.date
COUNTY_A = "430102"  # 长沙市芙蓉区
COUNTY_B = "430405"  # 衡阳市珠晖区


def written(minutes: int, subject: str = "数学") -> list[HomeworkItemInput]:
    return [HomeworkItemInput(subject, "练习册第3页", minutes, True)]


def returned(days: int, hours: str = "2", end=dt.time(17, 30), enrolled: int = 100, requested: int = 100):
    return AfterSchoolInput(
        days_offered=days,
        hours_per_day=Decimal(hours),
        end_time=end,
        students_enrolled=enrolled,
        students_requested=requested,
        staff_count=10,
    )


@pytest.fixture
def dataset(db):
    """Period 2026-09-28 … 2026-10-11: school days 9-28, 9-29, 9-30, 10-08, 10-09 and 10-10 (调休 Saturday);
    10-01 … 10-07 is the National Day holiday. See test_rates.py for the hand computation."""
    primary = make_school(COUNTY_A, name="芙蓉区甲小学", kind="PRIMARY")
    junior = make_school(COUNTY_B, name="珠晖区乙中学", kind="JUNIOR")
    from shuangjian.schools.models import SchoolClass

    g1 = SchoolClass.objects.create(school=primary, grade=1, number=1)
    g3 = SchoolClass.objects.create(school=primary, grade=3, number=1)
    g7 = SchoolClass.objects.create(school=junior, grade=7, number=1)
    # grade 1: a non-written day (ok), a written day (violation), a holiday record (not counted)
    homework_publish(
        actor=None,
        school_class=g1,
        date=D(2026, 9, 28),
        items=[HomeworkItemInput("语文", "朗读课文", 20, False)],
    )
    homework_publish(actor=None, school_class=g1, date=D(2026, 9, 29), items=written(10))
    homework_publish(actor=None, school_class=g1, date=D(2026, 10, 1), items=written(30))
    # grade 3: all six school days, 60 minutes (at the limit) except 61 on the adjusted Saturday
    for day in (D(2026, 9, 28), D(2026, 9, 29), D(2026, 9, 30), D(2026, 10, 8), D(2026, 10, 9)):
        homework_publish(actor=None, school_class=g3, date=day, items=written(40) + written(20, "语文"))
    homework_publish(actor=None, school_class=g3, date=D(2026, 10, 10), items=written(61))
    # grade 7: 90 minutes on four days, 100 on 10-09, nothing on the adjusted Saturday 10-10
    for day in (D(2026, 9, 28), D(2026, 9, 29), D(2026, 9, 30), D(2026, 10, 8)):
        homework_publish(actor=None, school_class=g7, date=day, items=written(90))
    homework_publish(actor=None, school_class=g7, date=D(2026, 10, 9), items=written(100))
    # after-school: P covered in the holiday week (3 of 3 days), 1.5 h in the next; J short of requests, then missing
    after_school_report(actor=None, school=primary, week_start=D(2026, 9, 28), data=returned(3))
    after_school_report(actor=None, school=primary, week_start=D(2026, 10, 5), data=returned(3, hours="1.5"))
    after_school_report(
        actor=None,
        school=junior,
        week_start=D(2026, 9, 30),
        data=returned(3, end=dt.time(18, 0), enrolled=90, requested=95),
    )
    # exams: primary mid-term (violation), junior mid-terms (first ok, second violation),
    # a non-written grade-1 assessment (not counted), a junior final outside the period
    exam_register(
        actor=None, school=primary, grade=3, kind="MIDTERM", name="三年级期中", held_on=D(2026, 9, 29)
    )
    exam_register(
        actor=None, school=junior, grade=7, kind="MIDTERM", name="七年级期中", held_on=D(2026, 9, 30)
    )
    exam_register(
        actor=None, school=junior, grade=7, kind="MIDTERM", name="七年级第二次期中", held_on=D(2026, 10, 9)
    )
    exam_register(
        actor=None,
        school=primary,
        grade=1,
        kind="FINAL",
        name="一年级游园测评",
        held_on=D(2026, 10, 9),
        is_written=False,
    )
    exam_register(actor=None, school=junior, grade=8, kind="FINAL", name="八年级期末", held_on=D(2027, 1, 15))
    return {"primary": primary, "junior": junior, "g1": g1, "g3": g3, "g7": g7}
