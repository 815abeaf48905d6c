"""Benchmark: statistics at province scale (issue 8).

    .venv/bin/python benchmarks/stats_scale.py              # 20,000 episodes, 300,000 fund events, 200,000 reports
    .venv/bin/python benchmarks/stats_scale.py --province   # … and 5,000,000 fund events (about 1,000,000 contracts)
    .venv/bin/python benchmarks/stats_scale.py --small      # a quick run (CI-sized)
    .venv/bin/python benchmarks/stats_scale.py --database-url postgres://postgres@127.0.0.1:5432/shuangjian_bench_stats

Builds the dataset in a fresh database through the platform's own importers (registry, reports,
fund events) and the schools demo loader, then times — best of three — the province `kpis`, one
county's `kpis`, and the weekly report (build + .docx + .pdf), and, in the same run on the same
tables, one raw SQL aggregate touching the same rows, printing each time with the ratio to it.
Goals: province kpis < 2 s, weekly report < 30 s. Printed, never asserted.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def django_for_benchmark(name: str, database_url: str | None, *, demo: bool = False) -> Path:
    """Point Django at ``database_url`` (default: a new SQLite file in a new temporary directory,
    ``<name>.sqlite3``), production-like settings (DEBUG off), and set it up. Returns the directory."""
    workdir = Path(tempfile.mkdtemp(prefix=f"shuangjian-bench-{name}-"))
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{workdir / (name + '.sqlite3')}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuangjian.settings.base")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    if demo:
        os.environ["SHUANGJIAN_DEMO"] = "1"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    return workdir


def best_of(fn, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--province", action="store_true", help="5,000,000 fund events")
    parser.add_argument(
        "--small", action="store_true", help="a quick run: 2,000 extra episodes, 20,000 events, 5,000 reports"
    )
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    extra_episodes, events, reports = 10_000, 300_000, 200_000
    if args.province:
        events = 5_000_000
    if args.small:
        extra_episodes, events, reports = 2_000, 20_000, 5_000

    workdir = Path(tempfile.mkdtemp(prefix="shuangjian-bench-stats-"))
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'stats.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuangjian.settings.base")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ["SHUANGJIAN_DEMO"] = "1"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from shuangjian.common.codes import credit_code_make
    from shuangjian.demo.institutions import HEADERS as INST_HEADERS
    from shuangjian.demo.institutions import generate_institutions, write_institutions_csv
    from shuangjian.demo.reports import HEADERS as REPORT_HEADERS
    from shuangjian.funds.generate import generate_events, write_csv
    from shuangjian.regions.models import Region
    from shuangjian.stats.kpis import KpiContext, compute_kpis
    from shuangjian.stats.weekly import render_docx, render_pdf, weekly_build

    quiet = open(os.devnull, "w")  # noqa: SIM115
    print(f"database: {connection.vendor} ({os.environ['DATABASE_URL'].split('@')[-1]})")
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("load-regions", stdout=quiet)

    def timed_import(kind: str, path: Path, rows: int) -> None:
        start = time.perf_counter()
        call_command("import", kind, str(path), "--quiet", stdout=quiet)
        took = time.perf_counter() - start
        print(f"  imported {rows:>9,} {kind:<12} rows in {took:7.1f} s ({rows / took:,.0f} rows/s)")

    print("building the dataset through the importers:")
    institutions = generate_institutions()
    path = write_institutions_csv(institutions, workdir / "institutions.csv")
    rng = random.Random(1)
    counties = list(
        Region.objects.filter(code__startswith="43", level="COUNTY").values_list("code", flat=True)
    )
    with path.open("a", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        for n in range(extra_episodes):
            county = rng.choice(counties)
            code = credit_code_make(f"91{county}BE{n:07d}")
            approved = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randint(0, 1600))
            writer.writerow(
                [
                    code,
                    f"规模测试艺术培训中心{n}",
                    county,
                    "非学科类",
                    "线下",
                    "义务教育",
                    "营利性",
                    approved.isoformat(),
                    "",
                    "",
                    "是",
                    "",
                ]
            )
    episodes = sum(len(i.episodes) for i in institutions) + extra_episodes
    assert len(INST_HEADERS) == 12
    timed_import("institutions", path, episodes)

    codes = [i.credit_code for i in institutions if i.supervised and i.active_on(dt.date(2023, 6, 5))]
    report_path = workdir / "reports.csv"
    kinds = ["违规学科类培训", "在职教师有偿补课", "违规收费", "虚假广告", "安全隐患", "其他", "爆雷", "冒烟"]
    with report_path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(REPORT_HEADERS)
        for n in range(reports):
            received = dt.datetime(2022, 1, 1, 8) + dt.timedelta(minutes=rng.randint(0, 60 * 24 * 880))
            closed = received + dt.timedelta(days=rng.randint(1, 30)) if rng.random() < 0.9 else None
            writer.writerow(
                [
                    f"BR{n:08d}",
                    rng.choice(["随手拍", "电话", "网络", "部转", "督查"]),
                    rng.choice(kinds),
                    rng.choice(counties),
                    rng.choice(codes) if rng.random() < 0.5 else "",
                    received.strftime("%Y-%m-%d %H:%M"),
                    rng.choice(["是", "否", ""]),
                    closed.strftime("%Y-%m-%d %H:%M") if closed else "",
                    "",
                ]
            )
    timed_import("reports", report_path, reports)

    event_path = workdir / "events.csv"
    written = write_csv(event_path, generate_events(codes, events, start=dt.datetime(2022, 9, 1, 8)))  # noqa: DTZ001
    timed_import("fund-events", event_path, written)

    from shuangjian.schools import demo as schools_demo

    start = time.perf_counter()
    schools_demo.load(scale="province", workdir=workdir, stdout=quiet)
    from shuangjian.schools.models import AfterSchoolWeek, School

    print(
        f"  schools demo (province scale): {School.objects.count():,} schools, "
        f"{AfterSchoolWeek.objects.count():,} weekly returns in {time.perf_counter() - start:.1f} s"
    )
    returns = AfterSchoolWeek.objects.count()
    print(
        f"  ({'at least' if returns >= 30_000 else 'fewer than'} the issue's 30,000 schools' weekly returns)"
    )

    as_of, period = dt.date(2024, 12, 31), (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    province = KpiContext(as_of=as_of, date_from=period[0], date_to=period[1])

    def kpis_province():
        compute_kpis(KpiContext(as_of=as_of, date_from=period[0], date_to=period[1]))

    def kpis_county():
        compute_kpis(KpiContext(as_of=as_of, date_from=period[0], date_to=period[1], region_code="430102"))

    def raw_sql():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT (SELECT COUNT(DISTINCT institution_id) FROM institutions_institutionepisode"
                "        WHERE approved_on <= %s AND (ended_on IS NULL OR ended_on > %s)),"
                "       (SELECT SUM(amount_fen) FROM funds_transfer WHERE occurred_at < %s),"
                "       (SELECT COUNT(*) FROM complaints_report WHERE received_at >= %s AND received_at < %s)",
                [
                    as_of,
                    as_of,
                    dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
                    dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
                    dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
                ],
            )
            cursor.fetchall()

    def weekly_docx():
        render_docx(weekly_build(week="2024-W52"))

    def weekly_pdf():
        render_pdf(weekly_build(week="2024-W52"))

    values = compute_kpis(province)
    print(
        f"dataset: {values['institutions.active']:,} active institutions, {values['reports.total']:,} reports "
        f"in {period[0].year}, {values['funds.open_contracts']:,} open contracts, custody "
        f"¥{values['funds.custody_balance_fen'] / 100:,.2f}"
    )
    baseline = best_of(raw_sql)
    print(f"raw SQL aggregate over the same tables: {baseline * 1000:8.1f} ms (baseline)")
    for label, fn, runs in (
        ("kpis, province", kpis_province, 3),
        ("kpis, one county", kpis_county, 3),
        ("weekly report .docx", weekly_docx, 2),
        ("weekly report .pdf", weekly_pdf, 1),
    ):
        took = best_of(fn, runs)
        print(f"{label:<22} {took * 1000:10.1f} ms   ratio to raw SQL {took / baseline:8.1f}×")


if __name__ == "__main__":
    main()
