"""Each rule check passing and failing (RULES.md §7), on the school calendar with holidays and 调休."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from shuangjian.common.models import CalendarDay, RuleParameter
from shuangjian.schools.checks import (
    AfterSchoolFigures,
    ExamFacts,
    SchoolCalendar,
    after_school_findings,
    after_school_required_days,
    exam_findings,
    homework_findings,
    monday_of,
    term_of,
)
from shuangjian.schools.models import ExamKind
from shuangjian.schools.rules import SchoolRuleBook

pytestmark = pytest.mark.django_db

COUNTY = "430102"


@pytest.fixture
def rules():
    return SchoolRuleBook().for_county(COUNTY)


# --- homework --------------------------------------------------------------------------------------
@pytest.mark.parametrize("grade", [1, 2])
def test_grades_1_2_no_written_homework(grade, rules):
    assert homework_findings(grade=grade, written_minutes=0, rules=rules) == []
    findings = homework_findings(grade=grade, written_minutes=10, rules=rules)
    assert len(findings) == 1 and "不布置书面家庭作业" in findings[0]


@pytest.mark.parametrize("grade", [3, 4, 5, 6])
def test_grades_3_6_at_most_60_minutes(grade, rules):
    assert homework_findings(grade=grade, written_minutes=60, rules=rules) == []
    findings = homework_findings(grade=grade, written_minutes=61, rules=rules)
    assert findings and "61 分钟" in findings[0] and "60 分钟上限" in findings[0]


@pytest.mark.parametrize("grade", [7, 8, 9])
def test_junior_at_most_90_minutes(grade, rules):
    assert homework_findings(grade=grade, written_minutes=90, rules=rules) == []
    assert "90 分钟上限" in homework_findings(grade=grade, written_minutes=91, rules=rules)[0]


def test_homework_limit_is_rule_data_per_region():
    RuleParameter.objects.create(
        key="schools.homework.max_written_minutes.g3_6", region_id="430100", value=45
    )
    book = SchoolRuleBook()
    assert homework_findings(grade=4, written_minutes=50, rules=book.for_county("430102"))  # in 长沙市
    assert (
        homework_findings(grade=4, written_minutes=50, rules=book.for_county("430405")) == []
    )  # 衡阳 default


# --- calendar --------------------------------------------------------------------------------------
def test_school_days_follow_holidays_and_adjusted_working_days():
    calendar = SchoolCalendar()
    assert calendar.day_status(dt.date(2026, 9, 30), COUNTY) == (True, "上课日")
    assert calendar.day_status(dt.date(2026, 10, 1), COUNTY) == (False, "法定节假日")  # 国庆, a Thursday
    assert calendar.day_status(dt.date(2026, 10, 3), COUNTY) == (False, "周末")
    assert calendar.day_status(dt.date(2026, 10, 10), COUNTY) == (True, "调休上课日")  # Saturday worked
    assert calendar.day_status(dt.date(2026, 8, 10), COUNTY) == (False, "2026年暑假")  # default vacation
    days = calendar.school_days(COUNTY, dt.date(2026, 9, 28), dt.date(2026, 10, 11))
    assert sorted(days) == [
        dt.date(2026, 9, 28),
        dt.date(2026, 9, 29),
        dt.date(2026, 9, 30),
        dt.date(2026, 10, 8),
        dt.date(2026, 10, 9),
        dt.date(2026, 10, 10),
    ]


def test_vacations_are_rule_data_of_the_county():
    RuleParameter.objects.create(
        key="schools.vacations",
        region_id=COUNTY,
        value=[{"name": "芙蓉区秋假", "start": "2026-11-02", "end": "2026-11-03"}],
    )
    calendar = SchoolCalendar()
    assert calendar.day_status(dt.date(2026, 11, 2), COUNTY) == (False, "芙蓉区秋假")
    assert calendar.is_school_day(dt.date(2026, 11, 2), "430405")  # another county keeps the default
    # The county's own list replaces the default: its summer is now a school period.
    assert calendar.is_school_day(dt.date(2026, 8, 10), COUNTY)


def test_regulator_entered_calendar_wins_and_unknown_years_warn():
    CalendarDay.objects.create(date=dt.date(2026, 11, 4), is_working_day=False, name="测试假日")
    calendar = SchoolCalendar()
    assert not calendar.is_school_day(dt.date(2026, 11, 4), COUNTY)
    assert calendar.is_school_day(dt.date(2031, 3, 3), COUNTY)  # no data for 2031: weekdays, with a warning
    assert any("2031年" in w for w in calendar.warnings)


def test_term_and_week_helpers():
    assert term_of(dt.date(2026, 9, 1)) == "2026-2027-1"
    assert term_of(dt.date(2027, 1, 15)) == "2026-2027-1"
    assert term_of(dt.date(2027, 3, 1)) == "2026-2027-2"
    assert monday_of(dt.date(2026, 10, 11)) == dt.date(2026, 10, 5)


# --- after-school "5+2" ----------------------------------------------------------------------------
def figures(**kw):
    base = dict(
        days_offered=5,
        hours_per_day=Decimal("2.0"),
        end_time=dt.time(17, 45),
        students_enrolled=300,
        students_requested=300,
    )
    base.update(kw)
    return AfterSchoolFigures(**base)


def test_after_school_full_week_passes(rules):
    assert after_school_findings(figures(), required_days=5, rules=rules) == []


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"days_offered": 4}, "少于应开展的 5 天"),
        ({"hours_per_day": Decimal("1.5")}, "少于 2 小时"),
        ({"end_time": dt.time(16, 30)}, "早于当地下班时间 17:30"),
        ({"end_time": dt.time(21, 0)}, "晚于 20:30"),
        ({"students_enrolled": 299}, "应接尽接"),
    ],
)
def test_after_school_each_shortfall(change, needle, rules):
    findings = after_school_findings(figures(**change), required_days=5, rules=rules)
    assert len(findings) == 1 and needle in findings[0]


def test_after_school_holiday_week_needs_only_its_school_days(rules):
    # 国庆 week 2026-09-28: only Mon–Wed are school days, so 3 days of service meet "5+2".
    assert after_school_required_days(3, rules) == 3
    assert after_school_findings(figures(days_offered=3), required_days=3, rules=rules) == []
    assert after_school_findings(figures(days_offered=2), required_days=3, rules=rules)
    # A week with 6 school days (调休) still needs 5; a week without school days needs nothing.
    assert after_school_required_days(6, rules) == 5
    assert (
        after_school_findings(figures(days_offered=0, hours_per_day=Decimal(0)), required_days=0, rules=rules)
        == []
    )


def test_earliest_end_is_local_rule_data():
    RuleParameter.objects.create(key="schools.after_school.earliest_end", region_id="430400", value="18:00")
    book = SchoolRuleBook()
    assert after_school_findings(figures(), required_days=5, rules=book.for_county("430405"))
    assert after_school_findings(figures(), required_days=5, rules=book.for_county(COUNTY)) == []


# --- exams (D11) -----------------------------------------------------------------------------------
def exam(id, grade, kind, day, school=1, written=True):
    return ExamFacts(
        id=id,
        school_id=school,
        county_code=COUNTY,
        term=term_of(day),
        grade=grade,
        kind=kind,
        held_on=day,
        is_written=written,
    )


def test_exam_rules():
    book = SchoolRuleBook()
    d = dt.date
    exams = [
        exam(1, 3, ExamKind.FINAL, d(2027, 1, 12)),  # ok
        exam(2, 3, ExamKind.FINAL, d(2027, 1, 20)),  # second final of the term
        exam(3, 3, ExamKind.MIDTERM, d(2026, 11, 10)),  # primary: no mid-term
        exam(4, 7, ExamKind.MIDTERM, d(2026, 11, 10)),  # junior: one mid-term ok
        exam(5, 7, ExamKind.MIDTERM, d(2026, 12, 10)),  # second mid-term
        exam(6, 2, ExamKind.FINAL, d(2027, 1, 12)),  # grade 2: no written exam
        exam(7, 2, ExamKind.FINAL, d(2027, 1, 13), written=False),  # 游园式测评: fine
        exam(8, 8, ExamKind.OTHER, d(2026, 10, 20)),  # 月考: not allowed
        exam(9, 9, ExamKind.MOCK, d(2027, 4, 1)),
        exam(10, 9, ExamKind.MOCK, d(2027, 5, 1)),
        exam(11, 9, ExamKind.MOCK, d(2027, 5, 20)),  # third mock of the school year
        exam(12, 8, ExamKind.MOCK, d(2027, 5, 20)),  # mock in a non-graduating grade
        exam(13, 3, ExamKind.FINAL, d(2027, 6, 28)),  # spring term: its own final is fine
        exam(14, 3, ExamKind.FINAL, d(2027, 1, 20), school=2),  # another school's final
    ]
    findings = exam_findings(exams, book)
    compliant = {k for k, v in findings.items() if not v}
    assert compliant == {1, 4, 7, 9, 10, 13, 14}
    assert "第 2 次期末考试" in findings[2][0]
    assert "不组织期中考试" in findings[3][0]
    assert "第 2 次期中考试" in findings[5][0]
    assert "不进行纸笔考试" in findings[6][0]
    assert "其他纸笔考试" in findings[8][0]
    assert "第 3 次模拟考试" in findings[11][0]
    assert "仅限初中毕业年级" in findings[12][0]
