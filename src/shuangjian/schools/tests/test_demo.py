"""The demo loader: 101 芙蓉学校 across Hunan's counties, every school compliant in the reported week."""

from __future__ import annotations

import datetime as dt
import io

from shuangjian.schools import demo
from shuangjian.schools.models import HomeworkDay, School
from shuangjian.schools.selectors import school_rates


def test_demo_load_small(db, tmp_path):
    out = io.StringIO()
    demo.load(scale="small", workdir=tmp_path, stdout=out)
    assert School.objects.filter(is_furong=True).count() == 101
    assert School.objects.values("county").distinct().count() == 122  # every county of Hunan
    assert School.objects.filter(code="4301020001", name="长沙市芙蓉区演示小学").exists()
    monday, days = demo.reported_week()
    rates = school_rates(date_from=monday, date_to=monday + dt.timedelta(days=6))
    assert rates == {
        "homework_time_compliance_rate": 1.0, "homework_publication_rate": 1.0,
        "after_school_coverage_rate": 1.0, "exam_compliance_rate": 1.0,
    }
    assert (tmp_path / "学校名册.xlsx").exists() and (tmp_path / "课后服务周报.xlsx").exists()
    assert HomeworkDay.objects.count() == sum(s.classes.count() for s in School.objects.all()) * len(days)
    assert "芙蓉学校 101 所" in out.getvalue()
