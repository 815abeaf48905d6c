"""`shuangjian restore FILE [--force]`: put a `shuangjian backup` archive back (ops/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shuangjian.ops.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "从备份文件恢复数据库与上传文件：shuangjian restore FILE [--force]（目标库须为空，或加 --force 覆盖）"
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="shuangjian backup 生成的 .tar.gz")
        parser.add_argument("--force", action="store_true", help="目标数据库已有数据时仍然覆盖")

    def handle(self, *args, **options):
        try:
            result = backup_restore(archive=options["archive"], force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"已恢复：{options['archive']}（{result.vendor}，上传文件 {result.media_files} 个）"
        )
