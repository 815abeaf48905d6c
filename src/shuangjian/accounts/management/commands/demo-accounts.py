"""`shuangjian demo-accounts`: create one login per role and print the passwords (demo mode only)."""

from django.core.management.base import BaseCommand

from shuangjian.accounts.demo import demo_accounts_create


class Command(BaseCommand):
    help = "创建各角色演示账户并打印密码（仅演示模式）。"

    def handle(self, *args, **options):
        accounts = demo_accounts_create()
        self.stdout.write("演示账户（每次启动重新生成密码）：")
        for a in accounts:
            self.stdout.write(f"  {a.role:<8} {a.username:<12} 密码 {a.password:<16} 范围 {a.scope}")
