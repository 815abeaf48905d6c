"""`shuangjian report weekly --week YYYY-Www [--region CODE] --out FILE.docx|.pdf|.html`."""

from pathlib import Path

from django.core.management.base import BaseCommand

from shuangjian.common.errors import usage_error
from shuangjian.stats.weekly import WeeklyReportError, render, weekly_build


class Command(BaseCommand):
    help = "生成每周专报：shuangjian report weekly --week 2023-W22 [--region 430000] --out 专报.docx"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["weekly"])
        parser.add_argument("--week", required=True, help="ISO 周，如 2023-W22")
        parser.add_argument("--region", help="区划代码（默认湖南省 430000）")
        parser.add_argument("--out", required=True, help="输出文件：.docx、.pdf 或 .html")

    def handle(self, *args, **options):
        out = Path(options["out"])
        fmt = out.suffix.lower().lstrip(".")
        try:
            if fmt not in {"docx", "pdf", "html"}:
                raise WeeklyReportError(f"不支持的格式“{out.suffix}”：请用 .docx、.pdf 或 .html")
            report = weekly_build(week=options["week"], region_code=options["region"])
            data = render(report, fmt)
        except WeeklyReportError as error:
            usage_error(self, f"{error}")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
        self.stdout.write(f"已生成 {report.title} {report.subtitle}：{out}（{len(data):,} 字节）")
