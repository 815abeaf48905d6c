from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "shuangjian.risk"
    verbose_name = "风险预警"
