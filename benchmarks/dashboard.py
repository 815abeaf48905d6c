"""Benchmark: the regulator's home, the dashboard `/stats/` (issue 19 item 7).

    .venv/bin/python benchmarks/dashboard.py                 # the small demo province
    .venv/bin/python benchmarks/dashboard.py --province      # the province-scale demo (slower to build)
    .venv/bin/python benchmarks/dashboard.py --database-url postgres://postgres@127.0.0.1:5432/shuangjian_bench_dash
    .venv/bin/python benchmarks/dashboard.py --existing --skip-live --database-url …   # pages of a demo built earlier

Builds the demo in a fresh database (`demo load`, not timed), then — in the same process, on the
same data — times the daily snapshot job (every KPI of every region) and, for a province, a city
and a county regulator, the dashboard page (best of 5, through Django's test client, templates
included) served from the snapshots, next to the same page with no snapshot (the live computation
every view did before: the baseline). Prints milliseconds, SQL query counts and the ratio, and the
minute task's time to refresh what one new institution made stale.
Goals: < 300 ms a page view at small scale, < 1 s at province scale. Printed, never asserted.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from stats_scale import best_of, django_for_benchmark  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--province", action="store_true", help="the province-scale demo")
    parser.add_argument("--database-url", default=None)
    parser.add_argument(
        "--existing",
        action="store_true",
        help="time the pages on the demo already in --database-url (built by an earlier run): no rebuild",
    )
    parser.add_argument(
        "--skip-live",
        action="store_true",
        help="leave out the live computation (the baseline; slow at scale)",
    )
    args = parser.parse_args()
    if args.existing and not args.database_url:
        parser.error("--existing needs --database-url")

    django_for_benchmark("dash", args.database_url, demo=True)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from shuangjian.accounts.models import User
    from shuangjian.common.testing import make_institution
    from shuangjian.regions.models import Region
    from shuangjian.stats.models import KpiSnapshot
    from shuangjian.stats.snapshots import snapshots_build, snapshots_refresh

    settings.ALLOWED_HOSTS = ["testserver"]
    logging.getLogger("shuangjian.request").setLevel(logging.WARNING)
    scale = "province" if args.province else "small"
    quiet = open(os.devnull, "w")  # noqa: SIM115
    today = timezone.localdate()
    if args.existing:
        print(f"database: {connection.vendor}; the demo already there (not rebuilt)")
        if not KpiSnapshot.objects.filter(as_of=today).exists():
            start = time.perf_counter()
            counts = snapshots_build(today)
            print(
                f"daily snapshot job: {counts['snapshots']} snapshots in {time.perf_counter() - start:.1f} s"
            )
    else:
        if args.database_url:
            with connection.cursor() as cursor:  # a fresh schema each run
                cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        print(f"database: {connection.vendor}; demo scale: {scale}")
        start = time.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
        call_command("load-regions", stdout=quiet)
        call_command("demo", "load", "--scale", scale, stdout=quiet, stderr=quiet)
        print(f"  demo built in {time.perf_counter() - start:.0f} s (not timed below)")
        start = time.perf_counter()
        counts = snapshots_build(today)
        print(
            f"daily snapshot job: {counts['regions']} regions, {counts['snapshots']} snapshots "
            f"in {time.perf_counter() - start:.1f} s"
        )

    clients = {}
    for role, code in (("PROVINCE", "430000"), ("CITY", "430100"), ("COUNTY", "430102")):
        user, _ = User.objects.get_or_create(
            username=f"bench-{role.lower()}", defaults={"role": role, "region": Region.objects.get(code=code)}
        )
        client = Client()
        client.force_login(user)
        clients[role] = (client, code)

    def page(role: str):
        client, _ = clients[role]
        response = client.get("/stats/")
        assert response.status_code == 200, response.status_code
        return response

    def queries(role: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            page(role)
        return len(captured)

    print(f"{'dashboard page':<28}{'snapshots':>12}{'queries':>9}{'live':>12}{'queries':>9}{'ratio':>9}")
    for role, (_, code) in clients.items():
        served = best_of(lambda role=role: page(role), 5)
        served_queries = queries(role)
        if args.skip_live:
            print(
                f"  {role.lower():<26}{served * 1000:9.1f} ms{served_queries:9d}   (live computation skipped)"
            )
            continue

        def live(role: str = role, code: str = code) -> None:
            # No snapshot of the region, its divisions or its months: every figure computed now.
            KpiSnapshot.objects.filter(
                region__code__startswith=code[:2] if role == "PROVINCE" else code[:4]
            ).delete()
            page(role)

        live_time = best_of(live, 3)
        KpiSnapshot.objects.filter(
            region__code__startswith=code[:2] if role == "PROVINCE" else code[:4]
        ).delete()
        live_queries = queries(role)
        print(
            f"  {role.lower():<26}{served * 1000:9.1f} ms{served_queries:9d}{live_time * 1000:9.1f} ms"
            f"{live_queries:9d}{served / live_time:8.3f}×"
        )
    if args.existing:
        return  # no write into a database built by another run (the minute task is timed on a fresh one)
    if not args.skip_live:
        snapshots_build(today)  # the live timings deleted some
    make_institution("430102")  # one write: county, city and province go stale
    start = time.perf_counter()
    refreshed = snapshots_refresh(slack=False)["refreshed"]
    print(
        f"minute task after one new institution: {refreshed} snapshots in {time.perf_counter() - start:.2f} s"
    )


if __name__ == "__main__":
    main()
