"""KPIs drawn from the custody ledger and the reports, on records built through the areas' own
services, with the answers worked out by hand."""

import datetime as dt

import pytest
from django.utils import timezone

from shuangjian.common.testing import make_institution
from shuangjian.stats.kpis import KpiContext, compute_kpis, reported_week

pytestmark = pytest.mark.django_db
TZ = timezone.get_default_timezone()


def at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=TZ)


def test_funds_as_of_the_end_of_the_day():
    from shuangjian.funds import services

    a = make_institution("430102", fund_supervised=True)
    b = make_institution("430405", fund_supervised=True)
    # A: 30 hours for ¥3,000.00; 10 hours consumed on 3-10 → released round(300000×10/30) = 100000.
    services.payment_record(
        key="p1",
        institution=a,
        contract_no="C1",
        student_ref="S1",
        hours=30,
        amount_fen=300000,
        occurred_at=at("2023-03-01"),
    )
    services.consumption_record(
        key="c1",
        institution=a,
        contract_no="C1",
        student_ref="S1",
        hours=10,
        occurred_at=at("2023-03-10"),
        confirmed=True,
    )
    # B: 7 hours for ¥100.00; 1 hour consumed (1429 fen), then refunded 8571 fen on 3-20 at 23:30.
    services.payment_record(
        key="p2",
        institution=b,
        contract_no="C2",
        student_ref="S2",
        hours=7,
        amount_fen=10000,
        occurred_at=at("2023-03-02"),
    )
    services.consumption_record(
        key="c2",
        institution=b,
        contract_no="C2",
        student_ref="S2",
        hours=1,
        occurred_at=at("2023-03-05"),
        confirmed=True,
    )
    services.refund_record(
        key="r2",
        institution=b,
        contract_no="C2",
        student_ref="S2",
        amount_fen=8571,
        occurred_at=at("2023-03-20", 23),
    )

    before_refund = compute_kpis(KpiContext(as_of=dt.date(2023, 3, 19)))
    assert before_refund["funds.paid_fen"] == 310000
    assert before_refund["funds.released_fen"] == 100000 + 1429
    assert before_refund["funds.refunded_fen"] == 0
    assert before_refund["funds.custody_balance_fen"] == 310000 - 101429
    assert before_refund["funds.open_contracts"] == 2

    after = compute_kpis(KpiContext(as_of=dt.date(2023, 3, 20)))  # the refund at 23:00 Shanghai counts
    assert after["funds.refunded_fen"] == 8571
    assert after["funds.custody_balance_fen"] == 200000
    assert after["funds.open_contracts"] == 1

    changsha = compute_kpis(KpiContext(as_of=dt.date(2023, 3, 20), region_code="430100"))
    assert changsha["funds.paid_fen"] == 300000 and changsha["funds.custody_balance_fen"] == 200000

    nothing_yet = compute_kpis(KpiContext(as_of=dt.date(2023, 2, 28)))
    assert nothing_yet["funds.paid_fen"] == 0 and nothing_yet["funds.open_contracts"] == 0


def test_reports_in_the_period_both_days_inclusive(tmp_path):
    from django.core.management import call_command

    path = tmp_path / "reports.csv"
    path.write_text(
        "线索编号,来源,类型,区县代码,受理时间,是否有效,办结时间\n"
        "A1,随手拍,违规收费,430102,2022-01-01 00:10,是,2022-01-05 10:00\n"
        "A2,电话,违规学科类培训,430102,2022-12-31 23:50,否,2023-01-03 10:00\n"
        "A3,部转,爆雷,430405,2022-06-01 09:00,,2022-06-02 09:00\n"
        "A4,随手拍,违规收费,430405,2021-12-31 23:59,是,\n"
        "A5,网络,冒烟,430102,2023-01-01 00:00,,\n",
        encoding="utf-8",
    )
    call_command("import", "reports", str(path), "--quiet")
    values = compute_kpis(
        KpiContext(as_of=dt.date(2023, 6, 5), date_from=dt.date(2022, 1, 1), date_to=dt.date(2022, 12, 31))
    )
    assert values["reports.total"] == 3
    assert values["reports.valid"] == 1
    assert values["reports.by_type"]["违规收费"] == 1 and values["reports.by_type"]["爆雷"] == 1
    assert values["reports.by_type"]["冒烟"] == 0
    assert values["reports.by_source"]["部转"] == 1
    assert values["reports.collapse_leads"] == 1 and values["reports.smoke_leads"] == 0
    assert values["reports.closed"] == 3


def test_reported_week():
    assert reported_week(dt.date(2023, 6, 5)) == (dt.date(2023, 5, 29), dt.date(2023, 6, 4))
    assert reported_week(dt.date(2023, 6, 4)) == (dt.date(2023, 5, 29), dt.date(2023, 6, 4))
    assert reported_week(dt.date(2023, 6, 3)) == (dt.date(2023, 5, 22), dt.date(2023, 5, 28))
