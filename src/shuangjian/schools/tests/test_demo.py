"""The demo loader: 101 芙蓉学校 across Hunan's counties, every school compliant in the reported week."""

from __future__ import annotations

import datetime as dt
import io

from shuangjian.schools import demo
from shuangjian.schools.models import HomeworkDay, School
from shuangjian.schools.selectors import school_rates


def test_demo_load_small(db, tmp_path, monkeypatch):
    # Only the seed document's week, to keep the test fast; the current week runs through the same code.
    seed_week = demo.reported_week(dt.date(2023, 6, 5))
    monkeypatch.setattr(demo, "demo_weeks", lambda: [seed_week])
    monkeypatch.setattr(demo, "history_weeks", lambda: ([seed_week], [seed_week]))
    out = io.StringIO()
    demo.load(scale="small", workdir=tmp_path, stdout=out)
    assert School.objects.filter(is_furong=True).count() == 101
    assert School.objects.values("county").distinct().count() == 122  # every county of Hunan
    assert School.objects.filter(code="4301020001", name="长沙市芙蓉区演示小学").exists()
    weeks = demo.demo_weeks()
    assert seed_week[0] == dt.date(2023, 5, 29)  # the seed document's reported week (as-of 2023-06-05)
    for monday, _days in weeks:
        rates = school_rates(date_from=monday, date_to=monday + dt.timedelta(days=6))
        assert rates == {
            "homework_time_compliance_rate": 1.0,
            "homework_publication_rate": 1.0,
            "after_school_coverage_rate": 1.0,
            "exam_compliance_rate": 1.0,
        }, monday
    assert (tmp_path / "学校名册.xlsx").exists() and (tmp_path / "课后服务周报.xlsx").exists()
    n_classes = sum(s.classes.count() for s in School.objects.all())
    assert HomeworkDay.objects.count() == n_classes * sum(len(days) for _m, days in weeks)
    assert "芙蓉学校 101 所" in out.getvalue()


def test_demo_reports_the_seed_week_and_the_last_school_week(db):
    weeks = demo.demo_weeks()
    assert weeks[0] == (dt.date(2023, 5, 29), [dt.date(2023, 5, 29) + dt.timedelta(days=n) for n in range(5)])
    assert weeks[-1][0] < dt.date.today() and len(weeks[-1][1]) == 5


def test_history_covers_2022_for_after_school_and_one_2022_homework_week(db):
    homework, returns = demo.history_weeks()
    mondays = [m for m, _days in returns]
    assert mondays[0] <= dt.date(2022, 1, 3) < mondays[2] and dt.date(2023, 5, 29) in mondays
    assert all(days for _m, days in returns) and len(set(mondays)) == len(mondays)
    assert any(m.year == 2022 and m.month == 12 for m, _d in homework)
    assert dt.date(2023, 5, 29) in [m for m, _d in homework]
    # Vacation weeks have no school day and no return (summer 2022).
    assert dt.date(2022, 8, 1) not in mondays
