"""`shuangjian compliance scan [--region CODE] [--since DATE] [--rule ID ...]`: run every compliance
rule over the registry and record violations; `shuangjian compliance rules` lists the rules.

Exit 0 after a scan (violations found or not); 2 on usage errors.
"""

import datetime as dt

from django.core.management.base import BaseCommand

from shuangjian.common.errors import usage_error
from shuangjian.institutions.compliance import ALL_RULES, RULES_BY_ID, compliance_scan
from shuangjian.regions.models import Region


class Command(BaseCommand):
    help = "合规扫描：shuangjian compliance scan [--region CODE] [--since DATE]；shuangjian compliance rules"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["scan", "rules"])
        parser.add_argument("--region", help="只扫描该区划（及下辖）")
        parser.add_argument("--since", help="只检查该日期及以后的排课（YYYY-MM-DD）")
        parser.add_argument("--today", help="以该日期为扫描日（许可证有效期等，默认今天）")
        parser.add_argument("--rule", action="append", help="只运行指定规则编号，可重复")

    def handle(self, *args, **options):
        if options["action"] == "rules":
            for rule in ALL_RULES:
                self.stdout.write(f"{rule.id}\t{rule.title}\t{rule.source}")
                for p in rule.parameters():
                    self.stdout.write(f"    {p['key']} = {p['value']} {p['unit']}（{p['source']}）")
            return
        region = options.get("region")
        if region and not Region.objects.filter(code=region).exists():
            usage_error(self, f"区划代码“{region}”不存在")
        try:
            since = dt.date.fromisoformat(options["since"]) if options.get("since") else None
            today = dt.date.fromisoformat(options["today"]) if options.get("today") else None
        except ValueError:
            usage_error(self, "--since / --today 日期格式应为 YYYY-MM-DD")
        rules = None
        if options.get("rule"):
            unknown = [r for r in options["rule"] if r not in RULES_BY_ID]
            if unknown:
                usage_error(self, "未知的规则编号：" + "、".join(unknown))
            rules = [RULES_BY_ID[r] for r in options["rule"]]
        result = compliance_scan(region_code=region, today=today, since=since, rules=rules)
        for warning in result.warnings:
            self.stderr.write(f"提示：{warning}")
        for rule_id, count in result.by_rule.items():
            self.stdout.write(f"{rule_id}\t{RULES_BY_ID[rule_id].title}\t{count}")
        self.stdout.write(result.summary())
