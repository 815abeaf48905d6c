"""The demo loader scans what is there and reproduces the published 2022 enforcement figures."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from shuangjian.common.testing import make_institution

pytestmark = pytest.mark.django_db


def test_demo_load_scans_and_seeds_2022_figures(tmp_path):
    from shuangjian.complaints.choices import ReportType, Source
    from shuangjian.complaints.services import report_create
    from shuangjian.enforcement.models import Case
    from shuangjian.enforcement.selectors import enforcement_stats
    from shuangjian.risk.demo import load
    from shuangjian.risk.models import RiskAssessment, RiskWarning

    risky = make_institution("430102")
    make_institution("430405")
    for text in ("老板失联，机构已停课", "老师被欠薪集体离职"):
        report_create(
            source=Source.PHONE,
            report_type=ReportType.COLLAPSE,
            county_code="430102",
            institution=risky,
            description=text,
            with_query_code=False,
        )
    out = io.StringIO()
    load(scale="small", workdir=tmp_path, stdout=out)
    load(scale="small", workdir=tmp_path, stdout=io.StringIO())  # idempotent
    assert RiskAssessment.objects.count() == 2
    assert RiskWarning.objects.filter(institution=risky, status="ACTIVE").count() == 1
    stats = enforcement_stats(date_from=dt.date(2022, 1, 1), date_to=dt.date(2022, 12, 31))
    assert stats["ads_removed"] == 5213 and stats["unlicensed_closed"] == 1944
    assert stats["cases_by_kind"]["违规学科类培训"] == 3986
    assert stats["cases_by_kind"]["地下一对一等违规培训"] == 373
    assert stats["cases_by_kind"]["在职教师有偿补课"] == 21
    live = Case.objects.filter(warnings__institution=risky)
    assert live.count() == 1 and live.get().kind == "ILLEGAL_CHARGING"
    assert "风险预警" in out.getvalue()
