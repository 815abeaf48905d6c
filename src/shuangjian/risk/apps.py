from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "shuangjian.risk"
    verbose_name = "风险预警"

    def ready(self) -> None:
        from . import receivers, rules  # noqa: F401  (rules: declares the rule parameters)

        receivers.connect()  # rescore after payments, refund requests and 爆雷/冒烟 reports
