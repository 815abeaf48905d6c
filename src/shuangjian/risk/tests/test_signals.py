"""Each signal fires on crafted records and stays quiet on a steady institution (DbSource → scorer)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from shuangjian.risk.scoring import params_default, score
from shuangjian.risk.signals import DbSource, gather

from .helpers import COUNTY, TODAY, at, custody_withdrawal, steady_institution

pytestmark = pytest.mark.django_db


def fired(inst, day=TODAY) -> dict[str, float]:
    inputs = gather(DbSource(), inst.pk, day)
    return {f.key: f.points for f in score(inputs, params_default()).fired}


def test_steady_institution_is_quiet():
    inst = steady_institution()
    inputs = gather(DbSource(), inst.pk, TODAY)
    assert inputs.liability_fen > 0 and inputs.custody_fen == inputs.liability_fen
    assert inputs.hours_base > 200 and inputs.pay_fen_base > 0
    assert fired(inst) == {}


def test_consumption_drop_with_payments_continuing_fires():
    inst = steady_institution(recent_hours_factor=0.3, recent_pay_factor=1.5)
    result = fired(inst)
    assert set(result) == {"consumption"}
    assert result["consumption"] > 10


def test_consumption_drop_with_payments_stopping_stays_quiet():
    """A quiet season (fewer lessons and fewer sales) is not the run-up pattern."""
    inst = steady_institution(recent_hours_factor=0.3, recent_pay_factor=0.2)
    assert "consumption" not in fired(inst)


def test_consumption_drop_needs_lessons_still_owed():
    """Fewer lessons while parents are owed none (prepaid hours used up) is not the sign; the same drop
    with half a month of sales or more still owed in lessons is (rule consumption.min_owed_months)."""
    from shuangjian.risk.scoring import SignalInputs

    p = params_default()
    common = {
        "hours_recent": 100.0,
        "hours_base": 300.0,
        "pay_fen_recent": 1_200_000,
        "pay_fen_base": 1_000_000.0,
    }
    owed_none = SignalInputs(liability_fen=200_000, custody_fen=200_000, **common)
    owed = SignalInputs(liability_fen=800_000, custody_fen=800_000, **common)
    assert p["consumption.min_owed_months"] == 0.5
    assert "consumption" not in {f.key for f in score(owed_none, p).fired}
    assert "consumption" in {f.key for f in score(owed, p).fired}
    # and on the ledger: the steady institution that drops its lessons owes more than that
    inputs = gather(DbSource(), steady_institution(recent_hours_factor=0.3, recent_pay_factor=1.5).pk, TODAY)
    assert inputs.liability_fen >= 0.5 * inputs.pay_fen_base


def test_coverage_fires_when_custody_is_short():
    inst = steady_institution(days=40)
    assert "coverage" not in fired(inst)
    inputs = gather(DbSource(), inst.pk, TODAY)
    custody_withdrawal(inst, amount_fen=int(inputs.liability_fen * 0.4), day=TODAY - dt.timedelta(days=2))
    result = fired(inst)
    assert set(result) == {"coverage"}
    assert result["coverage"] > 10
    # the snapshot before the withdrawal is still quiet (windows are dated)
    assert "coverage" not in fired(inst, TODAY - dt.timedelta(days=3))


def test_refund_rise_fires_and_small_numbers_stay_quiet():
    from shuangjian.funds.models import Contract
    from shuangjian.funds.services import refund_request_create

    inst = steady_institution(days=100)
    contracts = list(Contract.objects.filter(institution=inst, status="OPEN"))
    refund_request_create(
        contract_id=contracts[0].pk, reason="孩子不想学了", now=at(TODAY - dt.timedelta(days=3))
    )
    assert "refund" not in fired(inst)
    for c in contracts[1:4]:
        refund_request_create(contract_id=c.pk, reason="听说要关门", now=at(TODAY - dt.timedelta(days=2)))
    assert "refund" in fired(inst)


def _report(inst, report_type, days_ago=5, **kw):
    from shuangjian.complaints.choices import Source
    from shuangjian.complaints.services import report_create

    report, _code = report_create(
        source=Source.PHONE,
        report_type=report_type,
        county_code=inst.county_id,
        institution=inst,
        description=f"测试举报 {report_type} {kw}",
        received_at=at(TODAY - dt.timedelta(days=days_ago)),
        with_query_code=False,
    )
    return report


def test_outside_custody_reports_fire_and_old_or_invalid_ones_do_not(make_user):
    from shuangjian.complaints.choices import ReportType
    from shuangjian.complaints.services import report_judge

    inst = steady_institution(days=10)
    old = _report(inst, ReportType.ILLEGAL_CHARGING, days_ago=200)
    assert "outside" not in fired(inst)
    recent = _report(inst, ReportType.ILLEGAL_CHARGING, days_ago=3, n=2)
    assert "outside" in fired(inst)
    officer = make_user("COUNTY", region=COUNTY)
    report_judge(report=recent, actor=officer, valid=False, reason="经核实不属实")
    assert "outside" not in fired(inst)
    assert old.pk


def test_outside_custody_enforcement_case_fires():
    from shuangjian.enforcement.services import case_open

    inst = steady_institution(days=10)
    case_open(
        kind="ILLEGAL_CHARGING",
        county_code=inst.county_id,
        opened_on=TODAY - dt.timedelta(days=20),
        institution=inst,
        facts="收费进入个人账户",
    )
    assert "outside" in fired(inst)


def test_smoke_and_collapse_reports_fire():
    from shuangjian.complaints.choices import ReportType

    inst = steady_institution(days=10)
    assert fired(inst) == {}
    _report(inst, ReportType.SMOKE)
    assert set(fired(inst)) == {"smoke"}
    _report(inst, ReportType.COLLAPSE, n=2)
    result = fired(inst)
    assert {"smoke", "collapse"} <= set(result)
    assert result["collapse"] > result["smoke"]


def test_open_violations_fire_and_resolved_ones_do_not():
    from shuangjian.institutions.services import violation_record

    inst = steady_institution(days=10)
    v1, _ = violation_record(
        institution=inst,
        rule_id="TIME-HOLIDAY",
        title="节假日学科类培训",
        evidence={"n": 1},
        source="compliance",
        fingerprint="a",
        detected_at=at(TODAY - dt.timedelta(days=9)),
    )
    assert "violations" not in fired(inst)  # one violation is below the threshold (2)
    violation_record(
        institution=inst,
        rule_id="TIME-LATE",
        title="超时培训",
        evidence={"n": 2},
        source="compliance",
        fingerprint="b",
        detected_at=at(TODAY - dt.timedelta(days=8)),
    )
    assert "violations" in fired(inst)
    v1.status, v1.resolved_at = "RESOLVED", at(TODAY - dt.timedelta(days=1))
    v1.save()
    assert "violations" not in fired(inst)
    assert "violations" in fired(inst, TODAY - dt.timedelta(days=2))  # still open on that day


def test_licence_status_fires():
    inst = steady_institution(days=10)
    assert "licence" not in fired(inst)
    inst.license_valid_until = TODAY - dt.timedelta(days=1)
    inst.save()
    assert "licence" in fired(inst)
    inst.license_valid_until = None
    inst.status = "SUSPENDED"
    inst.save()
    assert fired(inst)["licence"] == 20.0


def test_sites_closing_fires():
    from decimal import Decimal

    from shuangjian.institutions.models import Site

    inst = steady_institution(days=10)
    sites = [
        Site.objects.create(institution=inst, address=f"地址{i}", floor_area_m2=Decimal("200"), capacity=50)
        for i in range(3)
    ]
    assert "sites" not in fired(inst, timezone.localdate() + dt.timedelta(days=1))
    sites[0].delete()
    sites[1].delete()
    later = timezone.localdate() + dt.timedelta(days=1)
    # sites existed before the window only if created earlier: look from a date when all three existed
    result = fired(inst, later)
    assert "sites" in result


def test_prefetched_inputs_equal_per_institution_inputs(django_assert_max_num_queries):
    from decimal import Decimal

    from shuangjian.complaints.choices import ReportType
    from shuangjian.funds.models import Contract
    from shuangjian.funds.services import refund_request_create
    from shuangjian.institutions.models import Site
    from shuangjian.institutions.services import violation_record

    a = steady_institution(days=100, recent_hours_factor=0.4, recent_pay_factor=1.4)
    b = steady_institution(days=60)
    for c in list(Contract.objects.filter(institution=a, status="OPEN"))[:4]:
        refund_request_create(contract_id=c.pk, now=at(TODAY - dt.timedelta(days=2)))
    _report(a, ReportType.SMOKE)
    _report(b, ReportType.ILLEGAL_CHARGING)
    for fp in "xyz":
        violation_record(
            institution=b,
            rule_id="T",
            title="t",
            evidence={},
            source="compliance",
            fingerprint=fp,
            detected_at=at(TODAY - dt.timedelta(days=3)),
        )
    Site.objects.create(institution=a, address="x", floor_area_m2=Decimal("100"), capacity=20)
    single = {i.pk: gather(DbSource(), i.pk, TODAY) for i in (a, b)}
    source = DbSource()
    with django_assert_max_num_queries(28):  # fixed, whatever the number of institutions
        source.prefetch([a.pk, b.pk], TODAY)
    with django_assert_max_num_queries(0):
        bulk = {i.pk: gather(source, i.pk, TODAY) for i in (a, b)}
    assert bulk == single
    assert single[a.pk].refunds_recent == 4 and single[b.pk].open_violations == 3
