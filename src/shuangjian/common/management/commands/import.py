"""`shuangjian import KIND FILE [--skip-invalid]` (DESIGN.md "Command contracts").

Exit codes: 0 applied, 1 rejected (nothing changed), 2 usage error (unknown kind, unreadable file).
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from shuangjian.common.importing import IMPORTERS, ImportFileError, importer_for


class Command(BaseCommand):
    help = "导入机构名册、托管账户流水或投诉举报线索：shuangjian import KIND FILE [--skip-invalid]"

    def add_arguments(self, parser):
        parser.add_argument("kind", help="institutions | fund-events | reports | ...")
        parser.add_argument("file")
        parser.add_argument("--skip-invalid", action="store_true", help="导入有效行，报告无效行")
        parser.add_argument("--quiet", action="store_true", help="不显示进度")

    def handle(self, *args, **options):
        kind = options["kind"]
        if kind not in IMPORTERS:
            self.stderr.write(f"未知的导入类型“{kind}”，可用：{'、'.join(sorted(IMPORTERS))}")
            sys.exit(2)

        def progress(done: int, total: int) -> None:
            if not options["quiet"] and total >= 2000:
                self.stderr.write(f"\r校验中 {done}/{total} ({done * 100 // total}%)", ending="")
                self.stderr.flush()

        importer = importer_for(kind)(progress=progress)
        try:
            report = importer.run(options["file"], skip_invalid=options["skip_invalid"])
        except ImportFileError as error:
            self.stderr.write(f"导入失败：{error}")
            sys.exit(2)
        except CommandError:
            raise
        if not options["quiet"] and report.total_rows >= 2000:
            self.stderr.write("")
        for warning in report.warnings:
            self.stderr.write(f"提示：{warning}")
        for row_error in report.errors:
            self.stderr.write(str(row_error))
        self.stdout.write(report.summary())
        if not report.applied:
            sys.exit(1)
