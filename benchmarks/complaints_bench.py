"""Benchmark of the reports area (issues 5 and 19) on a fresh SQLite database (or an empty PostgreSQL one).

    .venv/bin/python benchmarks/complaints_bench.py              # 20,000 reports
    .venv/bin/python benchmarks/complaints_bench.py --rows 100000
    .venv/bin/python benchmarks/complaints_bench.py --database-url postgres://postgres@127.0.0.1:5432/sj_bench_reports

Times (printed, never asserted): `shuangjian import reports` of a generated file (rows/s; a re-import
of the same file, which must change nothing; both with their ratio to a bare ``executemany`` INSERT of
the same rows measured in the same run; goals of issue 19: ≥ 5,000 and ≥ 20,000 rows/s), `report_stats` for the province and for one city over
a year, one escalation run over everything, and the photo pipeline (validate, re-encode, strip
metadata, thumbnail) on a 12-megapixel JPEG carrying GPS EXIF.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def bare_insert(path: Path) -> float:
    """Rows/s of a plain ``executemany`` INSERT of the file's rows (as text) into a bare table, in
    one transaction on the same database: the floor no import can beat."""
    import csv

    from django.db import connection, transaction

    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))[1:]
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_bare (c1 text, c2 text, c3 text, c4 text, c5 text, c6 text, c7 text, c8 text, c9 text)"
        )
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany("INSERT INTO bench_bare VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)", rows)
    elapsed = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_bare")
    return len(rows) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--database-url", default=None, help="an empty PostgreSQL database (default: SQLite)")
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="shuangjian-bench-complaints-")
    os.environ["SHUANGJIAN_HOME"] = home
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{home}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuangjian.settings.base")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from PIL import Image

    from shuangjian.common.codes import credit_code_make
    from shuangjian.complaints.demo import write_reports_file
    from shuangjian.complaints.models import Report
    from shuangjian.complaints.photos import process_photo
    from shuangjian.complaints.selectors import report_stats
    from shuangjian.complaints.services import reports_escalate
    from shuangjian.institutions.models import Institution
    from shuangjian.regions.models import Region
    from shuangjian.regions.services import regions_load

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
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
            )
            for i in range(2000)
        ]
    )
    path = write_reports_file(Path(home) / "reports.csv", rows=args.rows, seed=7)
    baseline = bare_insert(path)
    print(
        f"baseline: bare executemany INSERT of the file's {args.rows:,} rows (9 text columns, no index) "
        f"into a scratch table: {baseline:,.0f} rows/s"
    )
    start = time.perf_counter()
    call_command("import", "reports", str(path), "--quiet", stdout=io.StringIO())
    elapsed = time.perf_counter() - start
    count = Report.objects.count()
    rate = count / elapsed
    print(
        f"import reports: {count} rows in {elapsed:.2f} s = {rate:,.0f} rows/s ({connection.vendor}; goal ≥ 5,000), "
        f"ratio to the bare insert {rate / baseline:.3f}"
    )
    runs = []
    for _ in range(3):  # a no-op, so it can be repeated: best of 3 (the machine is shared)
        start = time.perf_counter()
        call_command("import", "reports", str(path), "--quiet", stdout=io.StringIO())
        runs.append(time.perf_counter() - start)
    elapsed = min(runs)
    rate = args.rows / elapsed
    print(
        f"re-import (all skipped), best of 3: {elapsed:.2f} s = {rate:,.0f} rows/s (goal ≥ 20,000; runs "
        f"{', '.join(f'{r:.2f}' for r in runs)} s), ratio to the bare insert {rate / baseline:.3f}; "
        f"rows now {Report.objects.count()}"
    )
    today = timezone.localdate()
    for region in (None, "430100"):
        start = time.perf_counter()
        stats = report_stats(region_code=region, date_from=today - dt.timedelta(days=365), date_to=today)
        print(
            f"report_stats region={region or 'all'}: {(time.perf_counter() - start) * 1000:.0f} ms "
            f"(total {stats['reports.total']}, on_time_rate {stats['reports.on_time_rate']})"
        )
    start = time.perf_counter()
    summary = reports_escalate()
    print(
        f"escalate: {len(summary.to_city)} to city, {len(summary.to_province)} to province in "
        f"{time.perf_counter() - start:.2f} s; second run {len(reports_escalate().to_city)} new"
    )
    image = Image.effect_noise((4000, 3000), 60).convert("RGB")
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (28.0, 11.0, 24.0), 3: "E", 4: (112.0, 58.0, 12.0)}
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif, quality=90)
    data = buffer.getvalue()
    start = time.perf_counter()
    for _ in range(3):
        photo = process_photo("bench.jpg", data)
    per = (time.perf_counter() - start) / 3
    print(
        f"photo pipeline: 12 MP JPEG ({len(data) / 1e6:.1f} MB) → {photo.width}×{photo.height} "
        f"({len(photo.data) / 1e6:.2f} MB) + thumbnail in {per * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
