from django.apps import AppConfig


class OpsConfig(AppConfig):
    """运行维护: the daily jobs' schedule and run records, and long work run in the background."""

    name = "shuangjian.ops"
    verbose_name = "运行维护"
