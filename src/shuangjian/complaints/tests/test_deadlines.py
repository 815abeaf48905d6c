"""Deadlines in working days (holidays, adjusted working days, unknown years) and escalation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from shuangjian.common.models import CalendarDay, RuleParameter
from shuangjian.complaints import services
from shuangjian.complaints.choices import EscalationLevel, ReportType, Source
from shuangjian.complaints.models import ReportEscalation
from shuangjian.complaints.services import report_deadlines

pytestmark = pytest.mark.django_db
TZ = timezone.get_default_timezone()


def _at(y, m, d, hh=10, mm=0):
    return timezone.make_aware(dt.datetime(y, m, d, hh, mm), TZ)


def test_deadline_across_national_day_and_an_adjusted_working_day():
    # 2025: 10月1日–8日 放假; 9月28日(周日)、10月11日(周六) 调休上班.
    deadlines = report_deadlines(received_at=_at(2025, 9, 30), county_code="430102", urgent=False)
    assert deadlines.ack_due == dt.date(2025, 10, 10)  # 2 working days: 10/9, 10/10
    # 15 working days: 10/9, 10/10, 10/11 (Saturday, adjusted), 10/13–17, 10/20–24, 10/27, 10/28
    assert deadlines.due_date == dt.date(2025, 10, 28)
    assert deadlines.warning == ""


def test_received_late_evening_counts_on_its_shanghai_date():
    # 2025-09-26 23:30 in Shanghai is still Friday there (15:30 UTC).
    friday_night = _at(2025, 9, 26, 23, 30)
    assert report_deadlines(received_at=friday_night, county_code="430102", urgent=False).ack_due == dt.date(
        2025, 9, 29
    )
    # Sunday 9/28 is an adjusted working day, so a Saturday report is acknowledged by Monday 9/29.
    saturday = _at(2025, 9, 27)
    assert report_deadlines(received_at=saturday, county_code="430102", urgent=False).ack_due == dt.date(
        2025, 9, 29
    )


def test_limits_come_from_rule_data_per_region():
    RuleParameter.objects.create(key="complaints.complete_working_days", region_id="430102", value=5)
    mine = report_deadlines(received_at=_at(2025, 6, 2), county_code="430102", urgent=False)
    other = report_deadlines(received_at=_at(2025, 6, 2), county_code="430405", urgent=False)
    assert mine.due_date == dt.date(2025, 6, 9)
    assert other.due_date > mine.due_date


def test_unknown_year_falls_back_to_weekends_with_a_warning_and_entered_days_count():
    deadlines = report_deadlines(received_at=_at(2027, 1, 29), county_code="430102", urgent=False)
    assert deadlines.ack_due == dt.date(2027, 2, 2)  # Fri → Mon, Tue
    assert "2027年节假日安排尚未录入" in deadlines.warning
    CalendarDay.objects.create(date=dt.date(2027, 2, 1), is_working_day=False, name="测试假日")
    CalendarDay.objects.create(date=dt.date(2027, 1, 30), is_working_day=True, name="测试调休")
    deadlines = report_deadlines(received_at=_at(2027, 1, 29), county_code="430102", urgent=False)
    assert deadlines.ack_due == dt.date(2027, 2, 2)  # Sat 1/30 (adjusted), Tue 2/2
    assert deadlines.warning == ""


def _old_report(days_ago: int, **kwargs):
    report, _code = services.report_create(
        source=Source.PHONE,
        report_type=ReportType.OTHER,
        county_code=kwargs.pop("county", "430102"),
        description=kwargs.pop("description", f"逾期测试 {days_ago}"),
        received_at=timezone.now() - dt.timedelta(days=days_ago),
        **kwargs,
    )
    return report


def test_escalation_to_city_then_province_is_idempotent(county_officer):
    today = timezone.localdate()
    fresh = _old_report(0, description="今天刚收到的举报")
    unacknowledged = _old_report(6, description="六天前的举报，尚未签收")
    late = _old_report(30, description="一个月前的举报，办结逾期")
    very_late = _old_report(60, description="两个月前的举报，严重逾期")
    summary = services.reports_escalate(as_of=today)
    assert fresh.number not in summary.to_city
    assert {unacknowledged.number, late.number, very_late.number} <= set(summary.to_city)
    for report in (unacknowledged, late, very_late):
        report.refresh_from_db()
    assert unacknowledged.escalation_level == EscalationLevel.CITY
    assert very_late.escalation_level == EscalationLevel.PROVINCE
    esc = ReportEscalation.objects.get(report=very_late, level=EscalationLevel.PROVINCE)
    assert esc.region_id == "430000"
    assert ReportEscalation.objects.get(report=late, level=EscalationLevel.CITY).region_id == "430100"
    count = ReportEscalation.objects.count()
    again = services.reports_escalate(as_of=today)
    assert again.to_city == [] and again.to_province == [] and ReportEscalation.objects.count() == count
    # A closed report is not escalated further.
    services.report_judge(report=unacknowledged, actor=county_officer, valid=False, reason="不属实")
    later = services.reports_escalate(as_of=today + dt.timedelta(days=40))
    assert unacknowledged.number not in later.to_province


def test_escalate_command(capsys):
    _old_report(60)
    call_command("complaints", "escalate")
    out = capsys.readouterr().out
    assert "升级市级督办 1 件，升级省级督办 1 件" in out
    call_command("complaints", "escalate")
    assert "升级市级督办 0 件，升级省级督办 0 件" in capsys.readouterr().out
