"""`shuangjian complaints escalate [--as-of DATE]` and `shuangjian complaints purge-pending`.

escalate: escalates overdue reports to the city, then the province (idempotent; run daily from cron).
purge-pending: deletes photos kept for public resubmission that were never attached (older than a day).
A bad ``--as-of`` prints ``参数错误：…`` on stderr and exits 2 (as ``kpis`` and ``report`` do).
"""

import datetime as dt

from django.core.management.base import BaseCommand

from shuangjian.common.errors import usage_error
from shuangjian.common.importing import parse_date
from shuangjian.complaints.services import pending_photos_purge, reports_escalate


class Command(BaseCommand):
    help = "投诉举报：escalate（逾期升级督办，可重复执行）/ purge-pending（清理未提交的暂存照片）"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["escalate", "purge-pending"])
        parser.add_argument("--as-of", help="判定日期（默认今天，北京时间）")

    def handle(self, *args, **options):
        if options["action"] == "purge-pending":
            count = pending_photos_purge(older_than=dt.timedelta(days=1))
            self.stdout.write(f"已清理暂存照片 {count} 张")
            return
        as_of = None
        if options["as_of"]:
            try:
                as_of = parse_date(options["as_of"])
            except ValueError as error:
                # Usage errors: same contract as the other commands (参数错误：…, exit 2).
                usage_error(self, f"--as-of {error}")
        summary = reports_escalate(as_of=as_of)
        for warning in summary.warnings:
            self.stderr.write(f"提示：{warning}")
        self.stdout.write(
            f"升级市级督办 {len(summary.to_city)} 件，升级省级督办 {len(summary.to_province)} 件"
        )
        for number in summary.to_city:
            self.stdout.write(f"  市级督办 {number}")
        for number in summary.to_province:
            self.stdout.write(f"  省级督办 {number}")
