from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "shuangjian.risk"
    verbose_name = "风险预警"

    def ready(self) -> None:
        from . import rules  # noqa: F401  (declares the rule parameters)
