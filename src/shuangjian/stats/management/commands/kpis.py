"""`shuangjian kpis --as-of DATE [--region CODE] [--from DATE --to DATE] --json` (DESIGN.md).

Prints one JSON object. Every KPI appears under its dotted id (``"institutions.active": 982``) and,
for consumers that walk objects, the same values also appear nested under the first part of the id
(``"institutions": {"active": 982, ...}``). Stock figures are taken at the end of the as-of date;
flow figures over --from..--to (both inclusive; default 1 January of the as-of year to the as-of
date). Exit 2 on a usage error.
"""

import json

from django.core.management.base import BaseCommand

from shuangjian.common.errors import usage_error
from shuangjian.common.importing import parse_date
from shuangjian.regions.models import Region
from shuangjian.stats.kpis import KpiContext, compute_kpis, nest


class Command(BaseCommand):
    help = "按统计日、区域和期间输出全部统计指标（JSON）。"

    def add_arguments(self, parser):
        parser.add_argument("--as-of", required=True, help="统计日，如 2023-06-05")
        parser.add_argument("--region", help="区划代码，限定该区域及下级")
        parser.add_argument("--from", dest="date_from", help="期间起（含）")
        parser.add_argument("--to", dest="date_to", help="期间止（含）")
        parser.add_argument("--json", action="store_true", help="输出 JSON（默认即为 JSON）")

    def handle(self, *args, **options):
        try:
            as_of = parse_date(options["as_of"])
            date_from = parse_date(options["date_from"]) if options["date_from"] else None
            date_to = parse_date(options["date_to"]) if options["date_to"] else None
        except ValueError as error:
            usage_error(self, f"{error}")
        if date_from and date_to and date_from > date_to:
            usage_error(self, "--from 晚于 --to")
        region = options["region"]
        if region and not Region.objects.filter(code=region).exists():
            usage_error(self, f"区划代码“{region}”不存在")
        ctx = KpiContext(as_of=as_of, date_from=date_from, date_to=date_to, region_code=region)
        flat = compute_kpis(ctx)
        start, end = ctx.period
        out = {
            "as_of": as_of.isoformat(),
            "region": region or None,
            "from": start.isoformat(),
            "to": end.isoformat(),
        }
        out.update(flat)
        for key, value in nest(flat).items():
            out.setdefault(key, value)
        self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2, sort_keys=False))
