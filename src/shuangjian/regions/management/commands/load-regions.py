"""`shuangjian load-regions`: load China's divisions from the shipped GB/T 2260 table."""

from pathlib import Path

from django.core.management.base import BaseCommand

from shuangjian.regions.services import DATA_FILE, regions_load


class Command(BaseCommand):
    help = "加载全国省、地、县三级行政区划（GB/T 2260），可重复执行。"

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DATA_FILE, help="CSV: code,name,level,parent_code")

    def handle(self, *args, **options):
        result = regions_load(path=options["file"])
        self.stdout.write(f"行政区划：新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}")
