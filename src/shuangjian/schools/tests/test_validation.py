"""Bounds on weeks and dates, enrolment against the school's pupils, the "5+2" warnings on filing and
the non-school-day warning on publishing homework."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from shuangjian.schools.checks import AfterSchoolFigures, after_school_findings
from shuangjian.schools.models import AfterSchoolWeek, HomeworkDay
from shuangjian.schools.rules import SchoolRuleBook
from shuangjian.schools.services import AfterSchoolInput, after_school_report, exam_register, homework_publish
from shuangjian.schools.testing import make_school

pytestmark = pytest.mark.django_db


def _return(enrolled=100, requested=100, end=dt.time(17, 30)):
    return AfterSchoolInput(
        days_offered=5,
        hours_per_day=Decimal("2"),
        end_time=end,
        students_enrolled=enrolled,
        students_requested=requested,
        staff_count=10,
    )


def _form(week="2026-10-12", enrolled=100, requested=100, end="17:40"):
    return {
        "week": week,
        "days_offered": 5,
        "hours_per_day": "2",
        "end_time": end,
        "students_enrolled": enrolled,
        "students_requested": requested,
        "staff_count": 25,
        "external_staff_count": 0,
        "fee_yuan": "0",
        "subsidy_yuan": "0",
    }


def test_weekly_return_weeks_are_bounded():
    school = make_school("430102")
    with pytest.raises(ValidationError, match="不能早于2000年"):
        after_school_report(actor=None, school=school, week_start=dt.date(1999, 1, 1), data=_return())
    next_monday = timezone.localdate() + dt.timedelta(days=7 - timezone.localdate().weekday())
    with pytest.raises(ValidationError, match="尚未开始"):
        after_school_report(actor=None, school=school, week_start=next_monday, data=_return())
    assert not AfterSchoolWeek.objects.exists()
    this_week = timezone.localdate()
    assert after_school_report(actor=None, school=school, week_start=this_week, data=_return())[1]


def test_enrolled_cannot_exceed_the_schools_pupils(client, make_user, tmp_path):
    school = make_school("430102", students=600)
    client.force_login(make_user("SCHOOL", school=school))
    response = client.post(reverse("schools:after_school_report"), _form(enrolled=5000, requested=10))
    assert response.status_code == 200
    assert (
        "参加学生数（5000）多于" in response.content.decode()
        and "在校生数（600）" in response.content.decode()
    )
    assert not AfterSchoolWeek.objects.exists()
    path = tmp_path / "weekly.csv"
    path.write_text(
        "学校标识码,周次,开展天数,每天时长(小时),结束时间,参加学生数,申请学生数,参与教职工数\n"
        f"{school.code},2026-W41,5,2,17:30,5000,10,1\n{school.code},1999-W01,5,2,17:30,1,1,1\n",
        encoding="utf-8",
    )
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("import", "school-weekly", str(path), stdout=io.StringIO(), stderr=err)
    assert exit_info.value.code == 1
    text = err.getvalue()
    assert "第2行“参加学生数”列：参加学生数（5000）多于" in text and "第3行“周次”列" in text
    assert not AfterSchoolWeek.objects.exists()


def test_enrolled_over_requested_is_flagged_by_the_5_plus_2_check():
    rules = SchoolRuleBook().for_county("430102")
    figures = AfterSchoolFigures(5, Decimal("2"), dt.time(17, 45), 120, 100)
    assert any(
        "多于申请的 100 人（数据可能有误" in f
        for f in after_school_findings(figures, required_days=5, rules=rules)
    )


def test_filing_warns_about_end_times_and_enrolment(client, make_user):
    school = make_school("430102", students=600)
    client.force_login(make_user("SCHOOL", school=school))
    late = client.post(
        reverse("schools:after_school_report"), _form(week="2026-10-12", end="23:00"), follow=True
    )
    assert "注意：结束时间 23:00 晚于 20:30" in late.content.decode()
    early = client.post(
        reverse("schools:after_school_report"), _form(week="2026-10-19", end="16:00"), follow=True
    )
    assert "注意：结束时间 16:00 早于当地下班时间" in early.content.decode()
    more = client.post(
        reverse("schools:after_school_report"),
        _form(week="2026-10-26", enrolled=300, requested=10),
        follow=True,
    )
    assert "多于申请的 10 人" in more.content.decode()
    assert AfterSchoolWeek.objects.filter(school=school).count() == 3


def test_homework_on_a_non_school_day_warns_and_old_dates_are_refused(client, make_user):
    school = make_school("430102", classes_per_grade=1)
    grade3 = school.classes.get(grade=3)
    client.force_login(make_user("SCHOOL", school=school))
    url = reverse("schools:homework_publish", args=[grade3.pk])
    form = {
        "date": "2026-11-28",
        "note": "",
        "items-TOTAL_FORMS": "6",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "12",
        "items-0-subject": "数学",
        "items-0-content": "练习册第7页",
        "items-0-minutes": "30",
        "items-0-is_written": "on",
    }
    response = client.post(url, form, follow=True)
    assert "注意：2026-11-28 不是上课日（周末）" in response.content.decode()
    assert HomeworkDay.objects.filter(school_class=grade3, date=dt.date(2026, 11, 28)).exists()
    with pytest.raises(ValidationError, match="日期不能早于2000-01-01"):
        homework_publish(actor=None, school_class=grade3, date=dt.date(1999, 1, 1), items=[])
    with pytest.raises(ValidationError, match="考试日期不能早于2000-01-01"):
        exam_register(
            actor=None, school=school, grade=3, kind="MIDTERM", name="期中", held_on=dt.date(1999, 9, 1)
        )
