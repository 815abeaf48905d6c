"""`shuangjian snapshots build [--date DATE]` and `shuangjian snapshots refresh`: the statistics'
snapshots (指标快照, :mod:`shuangjian.stats.snapshots`) by hand — the daily job and the minute task
run the same functions by themselves. Exit 2 on a usage error."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from shuangjian.common.errors import usage_error
from shuangjian.common.importing import parse_date
from shuangjian.stats.snapshots import snapshots_build, snapshots_refresh


class Command(BaseCommand):
    help = "预先计算统计指标快照（build：全省各级区域当日全部指标；refresh：重算有记录变动的快照）。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["build", "refresh"], help="build 或 refresh")
        parser.add_argument("--date", help="统计日（build），默认今天")

    def handle(self, *args, **options):
        if options["action"] == "refresh":
            counts = snapshots_refresh()
            self.stdout.write(f"已重算 {counts['refreshed']} 个快照，删除 {counts['deleted']} 个过期快照")
            return
        try:
            day = parse_date(options["date"]) if options["date"] else timezone.localdate()
        except ValueError as error:
            usage_error(self, f"--date：{error}")

        def progress(done: int, total: int) -> None:
            self.stderr.write(f"\r区域 {done}/{total}", ending="")

        counts = snapshots_build(day, progress=progress)
        self.stderr.write("")
        self.stdout.write(
            f"已计算 {counts['regions']} 个区域的 {counts['snapshots']} 个快照，删除 {counts['deleted']} 个过期快照"
        )
