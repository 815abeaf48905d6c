"""`shuangjian demo load [--scale small|province]`: build the demo province (demo mode only).

The generators of :mod:`shuangjian.demo` write real files into a temporary folder and import them
through the platform's own import commands and services (see ``shuangjian.demo.loader``). Running it
again changes nothing: every import is idempotent.
"""

import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "生成演示省份数据（仅演示模式）：shuangjian demo load [--scale small|province]"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["load"])
        parser.add_argument("--scale", choices=["small", "province"], default="small")
        parser.add_argument("--force", action="store_true", help="即使已加载也重新导入（各导入均幂等）")

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError("演示数据只能在演示模式（SHUANGJIAN_DEMO=1）下生成")
        from shuangjian.demo.loader import already_loaded, load

        if already_loaded() and not options["force"]:
            self.stdout.write("演示数据已存在，跳过（重新导入请加 --force）")
            return

        with tempfile.TemporaryDirectory(prefix="shuangjian-demo-") as tmp:
            load(scale=options["scale"], workdir=Path(tmp), stdout=self.stdout)
        self.stdout.write(f"演示数据已加载（规模：{options['scale']}）")
