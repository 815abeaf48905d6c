"""Rate definitions on the small known dataset of conftest.py, computed by hand.

Class-school-days due: 3 classes × 6 school days = 18 (the 国庆 days are not due, the 调休 Saturday is).
Published on school days: g1 2 (09-28, 09-29; the 10-01 record is a holiday) + g3 6 + g7 5 = 13.
Within the limit: g1 1 (the non-written day) + g3 5 (61 min on 10-10 fails) + g7 4 (100 min fails) = 10.
School-weeks due: 2 schools × 2 weeks (each with 3 school days) = 4; covered: primary's holiday week = 1.
Written exams held in the period: 3 (primary mid-term ✗, junior first mid-term ✓, second ✗); compliant 1.
"""

from __future__ import annotations

import datetime as dt

import pytest

from shuangjian.common.models import RuleParameter
from shuangjian.schools.models import School
from shuangjian.schools.selectors import RATE_KEYS, evaluate, school_rates

from .conftest import COUNTY_A, COUNTY_B, D

PERIOD = {"date_from": D(2026, 9, 28), "date_to": D(2026, 10, 11)}


def test_rates_on_the_known_dataset(dataset):
    rates = school_rates(**PERIOD)
    assert set(rates) == set(RATE_KEYS)
    assert rates["homework_publication_rate"] == round(13 / 18, 4) == 0.7222
    assert rates["homework_time_compliance_rate"] == round(10 / 13, 4) == 0.7692
    assert rates["after_school_coverage_rate"] == 0.25  # 1 / 4
    assert rates["exam_compliance_rate"] == 0.3333  # 1 / 3


def test_rates_for_a_region_and_for_a_scoped_user(dataset, make_user):
    # 衡阳市 only: g7 due 6, published 5, within 4; weeks 0 / 2; exams 1 / 2.
    assert school_rates(region_code="430400", **PERIOD) == {
        "homework_time_compliance_rate": 0.8,
        "homework_publication_rate": 0.8333,
        "after_school_coverage_rate": 0.0,
        "exam_compliance_rate": 0.5,
    }
    # A county-A regulator sees only the primary school: due 12, published 8, within 6; weeks 1/2; exams 0/1.
    county_a = make_user("COUNTY", region=COUNTY_A)
    assert school_rates(user=county_a, **PERIOD) == {
        "homework_time_compliance_rate": 0.75,
        "homework_publication_rate": 0.6667,
        "after_school_coverage_rate": 0.5,
        "exam_compliance_rate": 0.0,
    }
    # Asking a county-A user for county B's region gives nothing: no denominators at all.
    assert school_rates(user=county_a, region_code=COUNTY_B, **PERIOD) == dict.fromkeys(RATE_KEYS)
    teacher = make_user("SCHOOL", school=dataset["junior"])
    assert school_rates(user=teacher, **PERIOD)["homework_publication_rate"] == 0.8333


def test_a_holiday_only_period_has_nothing_due(dataset):
    # 10-01 … 10-07: every day is a holiday, so no homework is due and no week has a school day in it.
    assert school_rates(date_from=D(2026, 10, 1), date_to=D(2026, 10, 7)) == dict.fromkeys(RATE_KEYS)


def test_adjusted_working_day_is_due(dataset):
    # The 调休 Saturday 10-10 alone: 3 classes due, only g3 published (61 min, over the limit).
    rates = school_rates(date_from=D(2026, 10, 10), date_to=D(2026, 10, 10))
    assert rates["homework_publication_rate"] == 0.3333
    assert rates["homework_time_compliance_rate"] == 0.0


def test_limits_and_vacations_are_read_from_rule_data(dataset):
    RuleParameter.objects.create(
        key="schools.homework.max_written_minutes.g7_9", region_id="430400", value=100
    )
    assert school_rates(region_code="430400", **PERIOD)["homework_time_compliance_rate"] == 1.0
    RuleParameter.objects.create(
        key="schools.vacations",
        region_id=COUNTY_A,
        value=[{"name": "秋假", "start": "2026-10-08", "end": "2026-10-10"}],
    )
    # 芙蓉区 now has 3 school days: due 2 × 3 = 6, published g1 2 + g3 3 = 5, within 1 + 3 = 4.
    rates = school_rates(region_code=COUNTY_A, **PERIOD)
    assert rates["homework_publication_rate"] == 0.8333
    assert rates["homework_time_compliance_rate"] == 0.8
    # Its second week has no school day left, so only one school-week is due (and it is covered).
    assert rates["after_school_coverage_rate"] == 1.0


def test_drill_levels_add_up_and_shortfalls_are_named(dataset):
    evaluation = evaluate(School.objects.all(), PERIOD["date_from"], PERIOD["date_to"])
    primary = evaluation.schools[dataset["primary"].pk]
    classes = {label: tally for label, tally in primary.classes.values()}
    assert (
        classes["一年级1班"].hw_due,
        classes["一年级1班"].hw_published,
        classes["一年级1班"].hw_compliant,
    ) == (6, 2, 1)
    assert (classes["三年级1班"].hw_published, classes["三年级1班"].hw_compliant) == (6, 5)
    assert primary.tally.hw_due == 12
    text = " ".join(primary.shortfalls)
    assert "作业未公示 4 个" in text and "书面作业超时 2 个" in text and "少于 2 小时" in text
    assert "不组织期中考试" in text
    junior = evaluation.schools[dataset["junior"].pk]
    assert "10-05周 课后服务未报" in " ".join(junior.shortfalls)
    assert evaluation.total.hw_due == 18


def test_inactive_schools_and_classes_are_not_due(dataset):
    dataset["g1"].is_active = False
    dataset["g1"].save()
    School.objects.filter(pk=dataset["junior"].pk).update(is_active=False)
    rates = school_rates(**PERIOD)
    assert rates["homework_publication_rate"] == 1.0  # g3 alone: 6 of 6
    assert rates["after_school_coverage_rate"] == 0.5


def test_bad_period_is_refused(db):
    with pytest.raises(ValueError):
        school_rates(date_from=dt.date(2026, 10, 2), date_to=dt.date(2026, 10, 1))
