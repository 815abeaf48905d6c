"""`shuangjian classify --file FILE --json` (DESIGN.md "Command contracts").

FILE: .csv (UTF-8 / BOM / GBK) or .xlsx with columns 项目名称, 项目简介 and optionally 适用对象 and
申报类别. Prints a JSON list, one object per row in file order:
{"项目名称": …, "category": "SUBJECT"|"NON_SUBJECT", "disguised": true|false, "reasons": [...]}.
Exit 0 on success, 2 when the file cannot be used (message in Chinese on stderr).
"""

import json
import sys

from django.core.management.base import BaseCommand

from shuangjian.common.importing import ImportFileError, cell_text, read_table
from shuangjian.common.text import nfkc
from shuangjian.institutions.classification import classify


class Command(BaseCommand):
    help = "培训项目分类鉴别：shuangjian classify --file FILE --json"

    def add_arguments(self, parser):
        parser.add_argument(
            "--file", required=True, help=".csv 或 .xlsx，列：项目名称、项目简介[、适用对象、申报类别]"
        )
        parser.add_argument("--json", action="store_true", help="输出 JSON（默认即为 JSON）")

    def handle(self, *args, **options):
        try:
            rows = read_table(options["file"])
        except ImportFileError as error:
            self.stderr.write(f"分类鉴别失败：{error}")
            sys.exit(2)
        if not rows:
            self.stderr.write("分类鉴别失败：文件为空：第1行应为表头")
            sys.exit(2)
        header = {nfkc(h): i for i, h in enumerate(rows[0]) if h is not None and nfkc(h)}
        missing = [h for h in ("项目名称", "项目简介") if h not in header]
        if missing:
            self.stderr.write("分类鉴别失败：缺少必需的列：" + "、".join(f"“{m}”" for m in missing))
            sys.exit(2)
        out = []
        for row in rows[1:]:
            if all(c is None or str(c).strip() == "" for c in row):
                continue
            cells = {h: (row[i] if i < len(row) else None) for h, i in header.items()}
            name = cell_text(cells, "项目名称")
            verdict = classify(
                name,
                cell_text(cells, "项目简介"),
                audience=cell_text(cells, "适用对象"),
                declared=cell_text(cells, "申报类别"),
            )
            out.append(
                {
                    "项目名称": name,
                    "category": verdict.category,
                    "disguised": verdict.disguised,
                    "reasons": verdict.reasons,
                }
            )
        self.stdout.write(json.dumps(out, ensure_ascii=False, indent=1 if not options["json"] else None))
