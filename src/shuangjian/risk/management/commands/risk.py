"""`shuangjian risk scan [--as-of DATE] [--region CODE]` and `shuangjian risk escalate [--as-of DATE]`.

scan: scores every institution (one transaction each), stores the day's snapshot, raises warnings
and their tasks; running it twice for a day changes nothing more. escalate: escalates ignored tasks
to the city, then the province; idempotent. Usage errors (bad date, unknown region) print
``参数错误：…`` on stderr and exit 2, as the other commands do.
"""

import datetime as dt

from django.core.management.base import BaseCommand

from shuangjian.common.errors import UsageError, usage_error
from shuangjian.common.text import nfkc


class _UsageError(UsageError):
    """A bad argument; the message is Chinese (printed by :func:`usage_error`)."""


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(nfkc(value))
    except ValueError:
        raise _UsageError(f"--as-of 日期格式应为 YYYY-MM-DD：{value}") from None


class Command(BaseCommand):
    help = "风险预警：scan 计算风险分并生成预警任务；escalate 逾期任务升级督办"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["scan", "escalate"])
        parser.add_argument("--as-of", dest="as_of")
        parser.add_argument("--region")

    def handle(self, *args, **options):
        from shuangjian.regions.models import Region

        from ...services import risk_scan, tasks_escalate

        region = options.get("region")
        try:
            as_of = _date(options["as_of"])
            if region and not Region.objects.filter(code=region).exists():
                raise _UsageError(f"区划代码“{region}”不存在")
        except _UsageError as error:
            usage_error(self, error)
        if options["action"] == "scan":

            def progress(done: int, total: int) -> None:
                self.stderr.write(f"已评估 {done}/{total}")

            summary = risk_scan(as_of=as_of, region_code=region, progress=progress)
            levels = "，".join(f"{k}:{v}" for k, v in sorted(summary.warnings.items())) or "无"
            self.stdout.write(
                f"已评估机构 {summary.scored} 家；新增预警 {levels}；升级替换 {summary.superseded} 件"
            )
            for warning in summary.calendar_warnings:
                self.stdout.write(f"提示：{warning}")
        else:
            escalated = tasks_escalate(as_of=as_of)
            self.stdout.write(f"升级市级督办 {escalated.city} 件，升级省级督办 {escalated.province} 件")
