"""Benchmark: `shuangjian import fund-events` throughput and memory on SQLite and PostgreSQL (issues 4, 19).

    .venv/bin/python benchmarks/funds_import.py                 # 200,000 events, then memory at 2,000,000
    .venv/bin/python benchmarks/funds_import.py --huge          # … and memory at 10,000,000 (not in make bench)
    .venv/bin/python benchmarks/funds_import.py --events 50000 --skip-postgres --memory-sizes ""

For each database (a fresh SQLite file; a fresh PostgreSQL database when the server at
127.0.0.1:5432 answers) three fresh worker processes run one after the other: the first migrates,
creates the institutions and writes the events CSV (not timed); the second imports it (timed: read,
validate, sort, simulate, write, commit; each stage's share printed) and — in the same run, on the
same database — times a plain bulk INSERT of the same number of rows into a bare table (one
executemany in one transaction); the third runs `funds check`. Peak memory (resource.getrusage) is
each process's own. On PostgreSQL a fourth process sends the first ``--hordak-events`` money
movements of the import through django-hordak (the `bench` extra), one ``transfer_to`` per event,
on the same database, and prints the ratio. Then SQLite memory runs at 2,000,000 events (and
10,000,000 with ``--huge``). Goals (issue 19): ≥ 30,000 events/s on SQLite, ≥ 15,000 on
PostgreSQL, < 300 MiB at 2 M and 10 M events, `funds check` < 60 s and < 300 MiB at 2 M. Printed,
never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = "shuangjian_bench_funds"


def worker(args: argparse.Namespace) -> None:
    """Runs inside a subprocess whose DATABASE_URL names a fresh database; prints one JSON line."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuangjian.settings.base")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from shuangjian.common.codes import credit_code_make
    from shuangjian.funds.generate import generate_events, write_csv
    from shuangjian.funds.importers import FundEventImporter
    from shuangjian.funds.selectors import ledger_check
    from shuangjian.institutions.models import Institution
    from shuangjian.regions.models import Region
    from shuangjian.regions.services import regions_load

    csv_path = Path(args.workdir) / "events.csv"
    if args.phase == "setup":
        call_command("migrate", verbosity=0)
        regions_load()
        counties = list(
            Region.objects.filter(code__startswith="43", level="COUNTY").values_list("code", flat=True)
        )
        Institution.objects.bulk_create(
            [
                Institution(
                    credit_code=credit_code_make(f"52{counties[i % len(counties)]}MJ{i:07d}"),
                    name=f"基准机构{i}",
                    county_id=counties[i % len(counties)],
                    fund_supervised=True,
                )
                for i in range(args.institutions)
            ],
            batch_size=2000,
        )
        codes = list(Institution.objects.values_list("credit_code", flat=True))
        write_csv(csv_path, generate_events(codes, args.events))
        print(json.dumps({}))
        return
    if args.phase == "check":
        # `funds check` in a process of its own: its peak memory is its own.
        started = time.perf_counter()
        problems, _counts = ledger_check()
        print(
            json.dumps(
                {
                    "check_seconds": round(time.perf_counter() - started, 1),
                    "check_peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                    "check_ok": not problems,
                }
            )
        )
        return
    if args.phase == "hordak":
        hordak(args)
        return
    connection.ensure_connection()
    base_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    importer = FundEventImporter()
    report = importer.run(csv_path)
    elapsed = time.perf_counter() - started
    assert report.applied and not report.errors, report.errors[:5]
    # Peak memory of the process through the import (a fresh process: setup happened elsewhere).
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    stages = {name: round(seconds, 2) for name, seconds in importer.timings.items()}
    tables = {name: round(seconds, 2) for name, seconds in importer.table_seconds.items()}
    if args.memory_only:
        print(
            json.dumps(
                {
                    "vendor": connection.vendor,
                    "events": args.events,
                    "seconds": round(elapsed, 2),
                    "events_per_s": round(args.events / elapsed),
                    "stages": stages,
                    "tables": tables,
                    "base_mib": round(base_kib / 1024),
                    "peak_mib": round(peak_kib / 1024),
                }
            )
        )
        return

    # The plain bulk INSERT of the same number of rows into a bare table, same database, same run.
    rows = [(i, f"LS{i:010d}", "2024-03-01 08:00:00", 123456, 2000) for i in range(args.events)]
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_raw_insert")
        cursor.execute(
            "CREATE TABLE bench_raw_insert (id BIGINT PRIMARY KEY, k VARCHAR(64), t VARCHAR(32), "
            "a BIGINT, h BIGINT)"
        )
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany("INSERT INTO bench_raw_insert (id, k, t, a, h) VALUES (%s, %s, %s, %s, %s)", rows)
    raw_elapsed = time.perf_counter() - started
    copy_rate = None
    if connection.vendor == "postgresql":  # also COPY, the bulk path the importer uses there
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE bench_raw_insert")
        started = time.perf_counter()
        with (
            transaction.atomic(),
            connection.cursor() as wrapper,
            wrapper.cursor.copy("COPY bench_raw_insert (id, k, t, a, h) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        copy_rate = round(args.events / (time.perf_counter() - started))
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_raw_insert")
    print(
        json.dumps(
            {
                "vendor": connection.vendor,
                "events": args.events,
                "institutions": args.institutions,
                "seconds": round(elapsed, 2),
                "events_per_s": round(args.events / elapsed),
                "raw_rows_per_s": round(args.events / raw_elapsed),
                "copy_rows_per_s": copy_rate,
                "skipped": report.skipped,
                "peak_mib": round(peak_kib / 1024),
                "base_mib": round(base_kib / 1024),
                "stages": stages,
                "tables": tables,
            }
        )
    )


HORDAK_SETTINGS = """
from shuangjian.settings.base import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "mptt", "hordak"]  # noqa: F405
"""


def hordak(args: argparse.Namespace) -> None:
    """The peer side by side: the import's money movements through django-hordak, one
    ``Account.transfer_to`` (a transaction and two legs) per event, in one database transaction, on
    the database the import just wrote (PostgreSQL: hordak's migrations refuse SQLite). Prints JSON."""
    from decimal import Decimal

    from django.core.management import call_command
    from django.db import connection, transaction

    from shuangjian.funds.models import TransferKind

    if connection.vendor != "postgresql":
        print(json.dumps({"hordak_note": "django-hordak supports PostgreSQL and MySQL only"}))
        return
    try:
        from hordak.models import Account, AccountType
        from moneyed import Money
    except ImportError:
        print(
            json.dumps(
                {"hordak_note": "django-hordak not installed (make bench installs requirements/bench.txt)"}
            )
        )
        return
    call_command("migrate", "hordak", verbosity=0)
    # One transfer per event: the event's cash movement as the import recorded it.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT institution_id, amount_fen FROM funds_transfer WHERE kind IN (%s, %s, %s) ORDER BY event_id LIMIT %s",
            [TransferKind.PAYMENT, TransferKind.RELEASE_CASH, TransferKind.REFUND_CASH, args.hordak_events],
        )
        moves = cursor.fetchall()
    accounts = {}
    for inst in sorted({inst for inst, _fen in moves}):
        accounts[inst] = (
            Account.objects.create(name=f"custody {inst}", type=AccountType.asset, currencies=["CNY"]),
            Account.objects.create(name=f"liability {inst}", type=AccountType.liability, currencies=["CNY"]),
        )
    started = time.perf_counter()
    with transaction.atomic():
        for inst, fen in moves:
            custody, liability = accounts[inst]
            liability.transfer_to(custody, Money(Decimal(fen).scaleb(-2), "CNY"))
    elapsed = time.perf_counter() - started
    print(json.dumps({"hordak_events": len(moves), "hordak_seconds": round(elapsed, 2)}))


def run_worker(database_url: str, args: argparse.Namespace, workdir: str) -> dict | None:
    """Setup, import and check, each in a fresh process on the same database; their JSON merged."""
    env = dict(os.environ, DATABASE_URL=database_url, PYTHONPATH=str(ROOT / "src"))
    merged: dict = {}
    phases = ["setup", "import", "check"]
    if database_url.startswith("postgres") and not args.memory_only and args.hordak_events:
        phases.append("hordak")
        Path(workdir, "bench_hordak_settings.py").write_text(HORDAK_SETTINGS)
    for phase in phases:
        if phase == "hordak":
            env = dict(
                env,
                PYTHONPATH=f"{ROOT / 'src'}{os.pathsep}{workdir}",
                DJANGO_SETTINGS_MODULE="bench_hordak_settings",
            )
        command = [
            sys.executable,
            __file__,
            "--worker",
            "--phase",
            phase,
            "--events",
            str(args.events),
            "--institutions",
            str(args.institutions),
            "--workdir",
            workdir,
            "--hordak-events",
            str(args.hordak_events),
        ]
        if args.memory_only:
            command.append("--memory-only")
        proc = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            print(proc.stdout[-2000:], proc.stderr[-4000:], file=sys.stderr)
            return None
        merged.update(json.loads(proc.stdout.strip().splitlines()[-1]))
    return merged


def postgres_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN, connect_timeout=3, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {PG_BENCH_DB}")
        return True
    except Exception as error:  # any failure means "not reachable" for a benchmark
        print(f"PostgreSQL not reachable ({error.__class__.__name__}); skipped", file=sys.stderr)
        return False


def show_stages(result: dict) -> None:
    stages = result["stages"]
    whole = sum(stages.values()) or 1.0
    print(
        f"{'':<10} stages: "
        + ", ".join(f"{name} {seconds:.2f} s ({seconds / whole:.0%})" for name, seconds in stages.items())
        + f" | funds check {result['check_seconds']:.1f} s, peak {result['check_peak_mib']:,} MiB"
        + f" | memory before the import {result['base_mib']:,} MiB"
    )
    tables = result.get("tables") or {}
    if tables:
        write = sum(tables.values()) or 1.0
        print(
            f"{'':<10} write by table: "
            + ", ".join(
                f"{name.removeprefix('funds_')} {seconds:.2f} s ({seconds / write:.0%})"
                for name, seconds in tables.items()
            )
        )


def show_memory(result: dict) -> None:
    print(
        f"{result['vendor']:<10} {result['events']:>10,} events in {result['seconds']:>7.2f} s = "
        f"{result['events_per_s']:>7,} events/s | peak {result['peak_mib']:,} MiB "
        f"| funds check {'ok' if result['check_ok'] else 'FAILED'}"
    )
    show_stages(result)


def show(result: dict) -> None:
    ratio = result["events_per_s"] / result["raw_rows_per_s"]
    print(
        f"{result['vendor']:<10} {result['events']:>9,} events in {result['seconds']:>7.2f} s = "
        f"{result['events_per_s']:>7,} events/s | plain bulk INSERT {result['raw_rows_per_s']:>9,} rows/s | "
        f"ratio {ratio:.3f} | peak {result['peak_mib']:,} MiB | funds check {'ok' if result['check_ok'] else 'FAILED'}"
    )
    if result.get("copy_rows_per_s"):
        print(
            f"{'':<10} (same bare table by COPY: {result['copy_rows_per_s']:,} rows/s, "
            f"ratio {result['events_per_s'] / result['copy_rows_per_s']:.3f})"
        )
    show_stages(result)
    if result["vendor"] == "sqlite":
        print(f"{'':<10} django-hordak: not run on SQLite (its migrations support PostgreSQL and MySQL only)")
    elif result.get("hordak_note"):
        print(f"{'':<10} django-hordak: {result['hordak_note']}")
    elif result.get("hordak_events"):
        rate = result["hordak_events"] / result["hordak_seconds"]
        print(
            f"{'':<10} django-hordak 2.0 (same database, same run, one transfer_to per event, first "
            f"{result['hordak_events']:,} events): {result['hordak_seconds']:.2f} s = {rate:,.0f} events/s | "
            f"this import {result['events_per_s'] / rate:.1f}× hordak"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=None, help="number of events (default 200,000)")
    parser.add_argument("--province", action="store_true", help="province scale: 2,000,000 events")
    parser.add_argument("--institutions", type=int, default=None)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument(
        "--memory-sizes",
        default="2000000",
        help="comma-separated event counts of the SQLite memory runs after the main one (default 2,000,000; "
        "'' for none)",
    )
    parser.add_argument(
        "--huge", action="store_true", help="also a 10,000,000-event memory run (not in make bench)"
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--memory-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--phase", default="import", help=argparse.SUPPRESS)
    parser.add_argument(
        "--hordak-events",
        type=int,
        default=20_000,
        help="events sent through django-hordak on PostgreSQL (default 20,000; 0 to skip)",
    )
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.events is None:
        args.events = 2_000_000 if args.province else 200_000
    if args.institutions is None:
        args.institutions = 20_000 if args.province else 2_000
    if args.worker:
        worker(args)
        return
    print(f"fund-events import benchmark: {args.events:,} events across {args.institutions:,} institutions")
    with tempfile.TemporaryDirectory(prefix="funds-bench-") as tmp:
        result = run_worker(f"sqlite:///{tmp}/bench.sqlite3", args, tmp)
        if result:
            show(result)
        if not args.skip_postgres and postgres_reachable():
            result = run_worker(f"postgres://postgres@127.0.0.1:5432/{PG_BENCH_DB}", args, tmp)
            if result:
                show(result)
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
    sizes = [int(size) for size in args.memory_sizes.split(",") if size.strip()]
    if args.huge:
        sizes.append(10_000_000)
    for size in sizes:
        if size == args.events:
            continue
        # Memory at scale (SQLite; the CSV is written by the worker, not timed): peak of the import,
        # then of `funds check`, each measured in the same worker process.
        scaled = argparse.Namespace(**{**vars(args), "events": size, "institutions": max(2_000, size // 100)})
        scaled.memory_only = True
        print(f"memory at scale: {size:,} events across {scaled.institutions:,} institutions (SQLite)")
        with tempfile.TemporaryDirectory(prefix="funds-bench-") as tmp:
            result = run_worker(f"sqlite:///{tmp}/bench.sqlite3", scaled, tmp)
            if result:
                show_memory(result)


if __name__ == "__main__":
    main()
