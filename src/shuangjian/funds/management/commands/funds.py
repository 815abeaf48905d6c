"""`shuangjian funds balances|check|tick` (DESIGN.md "Command contracts").

- ``balances [--institution CODE] --json``: every contract with paid / released / refunded /
  balance in fen, hours and status, and the totals, as one JSON object.
- ``check``: verifies every ledger invariant; exit 0 when all hold, 1 listing the first violations.
- ``tick [--now ISO]``: runs the online flow's timers (automatic lesson confirmation and refund
  approval, RULES.md §1.5); safe to run any number of times.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


class Command(BaseCommand):
    help = "预收费监管：funds balances [--institution CODE] --json | funds check | funds tick"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        balances = sub.add_parser("balances", help="合同余额与合计")
        balances.add_argument("--institution", help="统一社会信用代码")
        balances.add_argument("--json", action="store_true", help="输出 JSON")
        check = sub.add_parser("check", help="校验账簿不变量")
        check.add_argument("--limit", type=int, default=20)
        tick = sub.add_parser("tick", help="执行到期的自动确认与自动退费")
        tick.add_argument("--now", help="以该时间为当前时间（ISO 8601，测试与补跑用）")

    def handle(self, *args, **options):
        action = options["action"]
        if action == "balances":
            return self._balances(options)
        if action == "check":
            return self._check(options)
        return self._tick(options)

    def _balances(self, options):
        from shuangjian.common.codes import CreditCodeError, credit_code_normalize
        from shuangjian.funds.ledger import yuan
        from shuangjian.funds.selectors import balances

        code = None
        if options.get("institution"):
            try:
                code = credit_code_normalize(options["institution"])
            except CreditCodeError as error:
                self.stderr.write(f"--institution：{error}")
                sys.exit(2)
        data = balances(credit_code=code)
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        totals = data["totals"]
        for row in data["contracts"]:
            self.stdout.write(
                f"{row['credit_code']} {row['contract_no']} 缴费{yuan(row['paid_fen'])} 划拨{yuan(row['released_fen'])} "
                f"退费{yuan(row['refunded_fen'])} 余额{yuan(row['balance_fen'])} {row['status']}"
            )
        self.stdout.write(
            f"合计：缴费{yuan(totals['paid_fen'])}，划拨{yuan(totals['released_fen'])}，退费{yuan(totals['refunded_fen'])}，"
            f"托管余额{yuan(totals['custody_balance_fen'])}，履约中合同{totals['open_contracts']}份"
        )

    def _check(self, options):
        from shuangjian.funds.selectors import ledger_check

        problems, counts = ledger_check(limit=options["limit"])
        if problems:
            self.stderr.write(f"账簿校验未通过（前{len(problems)}项）：")
            for problem in problems:
                self.stderr.write(f"- {problem}")
            if counts.get("more"):
                self.stderr.write(f"……另有{counts['more']}项")
            sys.exit(1)
        self.stdout.write(
            f"账簿校验通过：{counts['transfers']}笔转账、{counts['contracts']}份合同、{counts['institutions']}家机构，"
            "全部不变量成立"
        )

    def _tick(self, options):
        from shuangjian.funds.services import funds_tick

        now = None
        if options.get("now"):
            from shuangjian.common.importing import parse_datetime

            try:
                now = parse_datetime(options["now"])
            except ValueError as error:
                raise CommandError(str(error), returncode=2) from None
            if now > timezone.now():
                # A later "now" would confirm lessons and approve refunds before their deadlines
                # and release the parents' money early.
                raise CommandError(
                    f"--now {options['now']} 晚于当前时间：计时只能补跑过去的时间", returncode=2
                )
        report = funds_tick(now=now or timezone.now())
        for warning in report.warnings:
            self.stderr.write(f"提示：{warning}")
        self.stdout.write(
            f"自动确认课时{report.lessons_confirmed}笔，自动同意退费{report.refunds_approved}笔"
        )
