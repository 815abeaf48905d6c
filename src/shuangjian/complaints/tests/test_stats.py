"""report_stats: the reports.* KPIs (DESIGN.md definitions) and the breakdowns."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from shuangjian.complaints import services
from shuangjian.complaints.choices import ReportType, Source
from shuangjian.complaints.models import Report
from shuangjian.complaints.selectors import report_breakdown, report_stats

pytestmark = pytest.mark.django_db
TZ = timezone.get_default_timezone()


def _at(y, m, d, hh=10, mm=0):
    return timezone.make_aware(dt.datetime(y, m, d, hh, mm), TZ)


def _report(number, received, *, county="430102", type_=ReportType.OTHER, valid=None, closed=None):
    report, _ = services.report_create(
        source=Source.PHONE,
        report_type=type_,
        county_code=county,
        description=f"统计测试{number}",
        received_at=received,
        number=number,
        with_query_code=False,
    )
    Report.objects.filter(pk=report.pk).update(
        is_valid=valid, closed_at=closed, status="CLOSED" if closed else report.status
    )
    return report


def test_kpis_follow_the_design_definitions():
    # In period [2025-06-01, 2025-06-30] (Shanghai dates, both inclusive):
    _report(
        "S1", _at(2025, 6, 1, 0, 5), type_=ReportType.COLLAPSE, valid=True, closed=_at(2025, 6, 3)
    )  # on time
    _report("S2", _at(2025, 6, 30, 23, 50), valid=False, closed=_at(2025, 8, 30))  # closed late
    _report("S3", _at(2025, 6, 15), type_=ReportType.ILLEGAL_CHARGING, valid=True)  # open
    _report("S4", _at(2025, 6, 10), county="430405", valid=True, closed=_at(2025, 6, 11))  # other city
    # Outside: 2025-05-31 23:59 Shanghai (= 15:59 UTC) and 2025-07-01 00:00 Shanghai (= 06-30 16:00 UTC).
    _report("O1", _at(2025, 5, 31, 23, 59), valid=True, closed=_at(2025, 6, 2))
    _report("O2", _at(2025, 7, 1, 0, 0), valid=True)
    stats = report_stats(date_from=dt.date(2025, 6, 1), date_to=dt.date(2025, 6, 30))
    assert set(stats) == {
        "reports.total",
        "reports.valid",
        "reports.by_type",
        "reports.closed",
        "reports.on_time_rate",
    }
    assert stats["reports.total"] == 4
    assert stats["reports.valid"] == 3
    assert stats["reports.closed"] == 3
    assert stats["reports.on_time_rate"] == round(2 / 3, 4)
    assert list(stats["reports.by_type"]) == [
        "违规学科类培训",
        "在职教师有偿补课",
        "违规收费",
        "爆雷",
        "冒烟",
        "虚假广告",
        "安全隐患",
        "其他",
    ]
    assert stats["reports.by_type"]["爆雷"] == 1 and stats["reports.by_type"]["其他"] == 2
    assert sum(stats["reports.by_type"].values()) == 4
    changsha = report_stats(region_code="430100", date_from=dt.date(2025, 6, 1), date_to=dt.date(2025, 6, 30))
    assert changsha["reports.total"] == 3 and changsha["reports.on_time_rate"] == 0.5
    empty = report_stats(region_code="431300", date_from=dt.date(2025, 6, 1), date_to=dt.date(2025, 6, 30))
    assert empty["reports.total"] == 0 and empty["reports.on_time_rate"] is None


def test_stats_are_scoped_to_the_user(make_user):
    _report("U1", _at(2025, 6, 5))
    _report("U2", _at(2025, 6, 5), county="430405")
    hengyang = make_user("COUNTY", region="430405")
    stats = report_stats(date_from=dt.date(2025, 6, 1), date_to=dt.date(2025, 6, 30), user=hengyang)
    assert stats["reports.total"] == 1
    breakdown = report_breakdown(
        user=hengyang, region_code=None, date_from=dt.date(2025, 6, 1), date_to=dt.date(2025, 6, 30)
    )
    assert [row["code"] for row in breakdown["per_county"]] == ["430405"]
    assert dict(breakdown["by_source"])["电话"] == 1


def test_statistics_page(client, make_user):
    _report("P1", timezone.now() - dt.timedelta(hours=1), valid=True)
    client.force_login(make_user("CITY", region="430100"))
    html = client.get("/complaints/statistics/").content.decode()
    assert "投诉举报统计" in html and "受理总数" in html and "长沙市芙蓉区" in html


def test_stats_api_is_scoped(client, make_user):
    _report("A1", _at(2025, 6, 5))
    _report("A2", _at(2025, 6, 5), county="430405")
    client.force_login(make_user("COUNTY", region="430405"))
    data = client.get("/complaints/api/stats/", {"from": "2025-06-01", "to": "2025-06-30"}).json()
    assert data["reports.total"] == 1 and data["reports.on_time_rate"] is None
    assert client.get("/complaints/api/stats/", {"from": "x", "to": "2025-06-30"}).status_code == 400
    # a malformed region code (here with a NUL byte, which PostgreSQL refuses outright) is a 400, not a 500
    for bad in ("43\x00405", "abc", "4304050"):
        bad_query = {"from": "2025-06-01", "to": "2025-06-30", "region": bad}
        assert client.get("/complaints/api/stats/", bad_query).status_code == 400
    client.logout()
    assert client.get("/complaints/api/stats/", {"from": "2025-06-01", "to": "2025-06-30"}).status_code in (
        401,
        403,
    )
