"""Rural reach per county, the KPIs behind it, and the after-school 科普 share (real database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from shuangjian.common.models import RuleParameter
from shuangjian.schools.services import AfterSchoolInput, after_school_report
from shuangjian.schools.testing import make_school
from shuangjian.stats.kpis import KPIS, KpiContext, compute_kpis
from shuangjian.stem.selectors import reach_for
from shuangjian.stem.testing import make_course

AS_OF = dt.date(2026, 10, 15)  # autumn term 2026-08-01 … 2027-01-31
BAOJING = "433125"  # 湘西州保靖县 (a county: fallback class 镇区)
FURONG = "430102"  # 长沙市芙蓉区 (a district: fallback class 城区)


@pytest.fixture
def province(db):
    """保靖: 4 rural schools (1 with a course, 1 kindergarten with a course that ended last term), 1 town
    school with a course, 1 unclassified school (→ 镇区 by rule); 芙蓉: 2 urban schools, both with courses,
    one urban school without; a closed rural school is ignored."""
    s = {}
    s["r1"] = make_school(BAOJING, urban_rural="RURAL", students=100)
    s["r2"] = make_school(BAOJING, urban_rural="RURAL", students=80)
    s["r3"] = make_school(BAOJING, urban_rural="RURAL", students=60)
    s["k1"] = make_school(BAOJING, urban_rural="RURAL", kind="KINDERGARTEN", students=50)
    s["t1"] = make_school(BAOJING, urban_rural="TOWN", students=900)
    s["x1"] = make_school(BAOJING)
    make_school(BAOJING, urban_rural="RURAL", is_active=False)
    s["u1"] = make_school(FURONG, urban_rural="URBAN", students=1000)
    s["u2"] = make_school(FURONG, urban_rural="URBAN", students=30)
    s["u3"] = make_school(FURONG, urban_rural="URBAN")
    make_course(BAOJING, school=s["r1"], pupils=40, start_on=dt.date(2026, 9, 1))
    make_course(BAOJING, school=s["r1"], pupils=90, start_on=dt.date(2026, 9, 1))  # capped at 100 pupils
    make_course(
        BAOJING,
        school=s["k1"],
        stage="PRESCHOOL",
        carrier="PLAY",
        pupils=20,
        start_on=dt.date(2026, 3, 1),
        end_on=dt.date(2026, 6, 30),
    )  # last term: not offered
    make_course(
        BAOJING, school=s["r2"], pupils=10, start_on=dt.date(2026, 11, 1)
    )  # starts after the as-of date
    make_course(BAOJING, school=s["t1"], carrier="TECHNOLOGY", pupils=100, start_on=dt.date(2025, 9, 1))
    make_course(FURONG, school=s["u1"], carrier="CULTURE", pupils=200, start_on=dt.date(2026, 8, 20))
    make_course(FURONG, school=s["u2"], pupils=30, start_on=dt.date(2026, 9, 1), end_on=dt.date(2026, 12, 31))
    return s


def test_reach_per_county_by_hand(province):
    result = reach_for(as_of=AS_OF)
    baojing, furong = result.by_county[BAOJING], result.by_county[FURONG]
    # 保靖: rural r1 r2 r3 k1 → only r1 offers; town t1 (offers) and x1 (fallback 镇区, none)
    assert (baojing.rural_schools, baojing.rural_offering, baojing.rural_rate) == (4, 1, 0.25)
    assert baojing.town_rate == 0.5 and baojing.urban_rate is None and baojing.gap is None
    assert baojing.pupils == 100 + 100  # r1 capped at its 100 pupils, t1 100
    assert (furong.urban_rate, furong.rural_rate) == (0.6667, None)
    total = result.total()
    assert total.rural_rate == 0.25 and total.urban_rate == 0.6667 and total.gap == pytest.approx(0.4167)
    below = result.counties_below_target()
    assert [c for c, _r, _t in below] == [BAOJING]


def test_target_and_rural_classes_are_rule_data(province):
    RuleParameter.objects.create(key="stem.rural.coverage_target", region_id=BAOJING, value=0.2)
    RuleParameter.objects.create(key="stem.rural.classes", value=["RURAL", "TOWN"])
    result = reach_for(as_of=AS_OF)
    assert result.counties_below_target() == []
    assert result.by_county[BAOJING].rural_rate == pytest.approx(2 / 6, abs=1e-4)


def test_kpis_and_county_scoping(province, make_user):
    ctx = KpiContext(as_of=AS_OF, date_from=dt.date(2026, 10, 1), date_to=AS_OF)
    values = compute_kpis(ctx, [k for k in KPIS if k.startswith("stem.")])
    assert values["stem.courses.offered"] == 5
    assert values["stem.courses.by_carrier"] == {"学科融合": 3, "传统文化": 1, "现代科技": 1, "游戏活动": 0}
    assert values["stem.rural.coverage_rate"] == 0.25
    assert values["stem.rural.gap"] == pytest.approx(0.4167)
    assert values["stem.rural.counties_below_target"] == 1
    assert values["stem.pupils_reached"] == 100 + 100 + 200 + 30
    records = KPIS["stem.rural.coverage_rate"].records(ctx)
    assert list(records) == [province["r1"]]
    county_user = make_user("COUNTY", region=FURONG)
    scoped = compute_kpis(
        KpiContext(as_of=AS_OF, user=county_user), ["stem.courses.offered", "stem.rural.coverage_rate"]
    )
    assert scoped == {"stem.courses.offered": 2, "stem.rural.coverage_rate": None}


def test_after_school_science_share(db):
    school = make_school(FURONG, students=500)
    week = dt.date(2026, 10, 12)
    data = AfterSchoolInput(
        days_offered=5,
        hours_per_day=Decimal("2"),
        end_time=dt.time(17, 45),
        students_enrolled=300,
        students_requested=300,
        staff_count=20,
        science_days=2,
        science_activities="无人机编程",
        science_resources="科技馆",
    )
    after_school_report(actor=None, school=school, week_start=week, data=data)
    other = make_school(FURONG, students=500)
    after_school_report(
        actor=None,
        school=other,
        week_start=week,
        data=AfterSchoolInput(
            days_offered=5,
            hours_per_day=Decimal("2"),
            end_time=dt.time(17, 45),
            students_enrolled=300,
            students_requested=300,
            staff_count=20,
        ),
    )
    ctx = KpiContext(as_of=dt.date(2026, 10, 18), date_from=week, date_to=dt.date(2026, 10, 18))
    assert compute_kpis(ctx, ["stem.after_school.science_day_share"]) == {
        "stem.after_school.science_day_share": 0.2
    }
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="科普/STEM活动天数"):
        after_school_report(
            actor=None,
            school=school,
            week_start=week,
            data=AfterSchoolInput(
                days_offered=2,
                hours_per_day=Decimal("2"),
                end_time=dt.time(17, 45),
                students_enrolled=1,
                students_requested=1,
                staff_count=1,
                science_days=3,
            ),
        )


def test_kindergartens_do_not_count_in_compulsory_rates(db):
    from shuangjian.schools.selectors import school_rates

    make_school(FURONG, kind="KINDERGARTEN", students=100)
    rates = school_rates(date_from=dt.date(2026, 10, 12), date_to=dt.date(2026, 10, 16))
    assert rates["after_school_coverage_rate"] is None  # no compulsory school due, the kindergarten is not
    ctx = KpiContext(as_of=dt.date(2026, 10, 16))
    assert compute_kpis(ctx, ["schools.count"]) == {"schools.count": 0}
