"""Benchmark: ``risk scan`` at small-demo and province scale (issue 19, item 5).

    .venv/bin/python benchmarks/risk_scan.py                  # small demo, then province scale (SQLite)
    .venv/bin/python benchmarks/risk_scan.py --small-only     # the small demo only
    .venv/bin/python benchmarks/risk_scan.py --database-url postgres://postgres@127.0.0.1:5432/sj_bench_risk

Builds the data in a fresh database through the platform's own importers: the demo province's
registry, reports and custody statement (``shuangjian.demo``: the small demo, ~4,950 institutions
to score) and the registry operations (staff, items, sessions: ``seed_operations``). Then times
``risk_scan`` on the demo's date (first scan of the day, then the idempotent re-scan) and counts its
queries. Province scale adds registry rows up to 20,000 institutions to score, 300,000 fund events
and 30,000 reports (again through the importers) and times the scan again.

Baseline, measured in the same run on the same tables: one raw SQL aggregate that reads the rows a
scan must read (fund events of the 120-day window grouped by institution and kind, reports of the
90-day window grouped by institution and type, open contracts grouped by institution). Each scan
time is printed with its ratio to that baseline. Goals (issue 19): small demo < 5 s, province < 20 s.
Printed, never asserted.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import time
from pathlib import Path

from stats_scale import best_of, django_for_benchmark  # benchmarks/ is the script's first path entry

ROOT = Path(__file__).resolve().parents[1]
PROVINCE_INSTITUTIONS = 20_000
PROVINCE_EVENTS = 300_000
PROVINCE_REPORTS = 30_000


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--small-only", action="store_true", help="the small demo only")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    workdir = django_for_benchmark("risk", args.database_url)
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from shuangjian.common.codes import credit_code_make
    from shuangjian.demo import calibration as cal
    from shuangjian.demo.funds import generate_fund_events, write_fund_events_csv
    from shuangjian.demo.institutions import generate_institutions, write_institutions_csv
    from shuangjian.demo.loader import at_risk_institutions
    from shuangjian.demo.reports import HEADERS as REPORT_HEADERS
    from shuangjian.demo.reports import generate_reports, write_reports_csv
    from shuangjian.funds.generate import generate_events, write_csv
    from shuangjian.institutions.demo import seed_operations
    from shuangjian.regions.models import Region
    from shuangjian.risk.models import RiskSnapshot, RiskWarning
    from shuangjian.risk.services import risk_scan

    quiet = open(os.devnull, "w")  # noqa: SIM115
    print(f"database: {connection.vendor} ({os.environ['DATABASE_URL'].split('@')[-1]})")
    call_command("migrate", verbosity=0)
    call_command("load-regions", stdout=quiet)

    def timed_import(kind: str, path: Path) -> None:
        start = time.perf_counter()
        call_command("import", kind, str(path), "--quiet", stdout=quiet)
        print(f"  imported {kind:<12} {path.name:<24} in {time.perf_counter() - start:6.1f} s")

    print("building the small demo through the importers:")
    institutions = generate_institutions()
    at_risk = at_risk_institutions(institutions)
    timed_import("institutions", write_institutions_csv(institutions, workdir / "institutions.csv"))
    timed_import(
        "reports", write_reports_csv(generate_reports(institutions, at_risk), workdir / "reports.csv")
    )
    timed_import(
        "fund-events",
        write_fund_events_csv(
            generate_fund_events(institutions, at_risk, scale="small"), workdir / "fund-events.csv"
        ),
    )
    start = time.perf_counter()
    counts = seed_operations(scale="small")
    print(f"  registry operations {counts} in {time.perf_counter() - start:.1f} s")

    as_of = cal.AS_OF
    window_start = dt.datetime.combine(as_of - dt.timedelta(days=120), dt.time(), tzinfo=dt.UTC)
    window_end = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)

    def raw_sql() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT institution_id, kind, SUM(amount_fen), SUM(hours), COUNT(*) FROM funds_fundevent"
                " WHERE occurred_at >= %s AND occurred_at < %s GROUP BY institution_id, kind",
                [window_start, window_end],
            )
            cursor.fetchall()
            cursor.execute(
                "SELECT institution_id, report_type, COUNT(*) FROM complaints_report"
                " WHERE received_at >= %s AND received_at < %s GROUP BY institution_id, report_type",
                [window_start, window_end],
            )
            cursor.fetchall()
            cursor.execute(
                "SELECT institution_id, COUNT(*), SUM(paid_fen) FROM funds_contract"
                " WHERE status = 'OPEN' GROUP BY institution_id"
            )
            cursor.fetchall()

    def measure(label: str) -> None:
        baseline = best_of(raw_sql)
        start = time.perf_counter()
        first = risk_scan(as_of=as_of)
        first_took = time.perf_counter() - start
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            again = risk_scan(as_of=as_of)
            again_took = time.perf_counter() - start
        print(
            f"{label}: {first.scored:,} institutions scored on {as_of}; warnings {dict(first.warnings)}; "
            f"{RiskSnapshot.objects.filter(as_of=as_of).count():,} snapshots, "
            f"{RiskWarning.objects.count():,} warnings in the database"
        )
        print(f"  raw SQL aggregate over the same tables: {baseline * 1000:8.1f} ms (baseline)")
        print(
            f"  risk scan, first of the day  {first_took:7.2f} s   ratio to raw SQL {first_took / baseline:7.1f}×"
        )
        print(
            f"  risk scan, re-run (no change) {again_took:6.2f} s   ratio to raw SQL {again_took / baseline:7.1f}×"
            f"   ({len(queries.captured_queries)} queries, timed with query capture on; new warnings "
            f"{sum(again.warnings.values())})"
        )

    measure("small demo")
    if args.small_only:
        return

    print("province scale: adding registry rows, fund events and reports through the importers:")
    rng = random.Random(19)
    counties = list(
        Region.objects.filter(code__startswith="43", level="COUNTY").values_list("code", flat=True)
    )
    from shuangjian.institutions.models import Institution
    from shuangjian.risk.services import FINAL_STATUSES

    scored_now = Institution.objects.exclude(status__in=FINAL_STATUSES).count()
    extra = max(PROVINCE_INSTITUTIONS - scored_now, 0)
    path = workdir / "institutions-province.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            ["统一社会信用代码", "机构名称", "区县代码", "培训类别", "培训形式", "服务对象", "办学性质", "审批日期",
             "终止日期", "终止原因", "纳入资金监管", "办学许可证号"]
        )  # fmt: skip
        for n in range(extra):
            county = rng.choice(counties)
            approved = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randint(0, 1500))
            writer.writerow(
                [credit_code_make(f"91{county}RK{n:07d}"), f"规模测试科技培训中心{n}", county, "非学科类", "线下",
                 "义务教育", "营利性", approved.isoformat(), "", "", "是", ""]
            )  # fmt: skip
    timed_import("institutions", path)
    codes = list(
        Institution.objects.filter(fund_supervised=True)
        .exclude(status__in=FINAL_STATUSES)
        .values_list("credit_code", flat=True)
    )
    # ~20 s apart on average: 300,000 events cover the ~70 days before the demo's date
    begin = dt.datetime.combine(as_of - dt.timedelta(days=70), dt.time(8))  # noqa: DTZ001 - Shanghai wall clock
    event_path = workdir / "fund-events-province.csv"
    write_csv(
        event_path,
        generate_events(codes, PROVINCE_EVENTS, seed=19, start=begin, key_prefix="RB", contract_prefix="RB"),
    )
    timed_import("fund-events", event_path)
    report_path = workdir / "reports-province.csv"
    kinds = ["违规学科类培训", "在职教师有偿补课", "违规收费", "虚假广告", "安全隐患", "其他", "爆雷", "冒烟"]
    with report_path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(REPORT_HEADERS)
        for n in range(PROVINCE_REPORTS):
            received = dt.datetime.combine(as_of - dt.timedelta(days=200), dt.time(8)) + dt.timedelta(
                minutes=rng.randint(0, 60 * 24 * 199)
            )
            writer.writerow(
                [f"RB{n:08d}", rng.choice(["随手拍", "电话", "网络"]), rng.choices(kinds, [5, 2, 4, 2, 1, 3, 1, 1])[0],
                 rng.choice(counties), rng.choice(codes) if rng.random() < 0.6 else "",
                 received.strftime("%Y-%m-%d %H:%M"), rng.choice(["是", "否", ""]), "", ""]
            )  # fmt: skip
    timed_import("reports", report_path)
    measure("province scale")


if __name__ == "__main__":
    main()
