"""`shuangjian backup --out FILE`: the database and the uploaded files in one .tar.gz (ops/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shuangjian.ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "备份数据库与上传文件到一个 .tar.gz：shuangjian backup --out FILE"

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, required=True, help="备份文件路径（.tar.gz）")

    def handle(self, *args, **options):
        try:
            result = backup_create(out=options["out"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"已备份：{options['out']}（{result.vendor}，上传文件 {result.media_files} 个，"
            f"{result.size_bytes / 1024 / 1024:.1f} MiB）"
        )
