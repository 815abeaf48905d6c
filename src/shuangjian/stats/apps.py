from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "shuangjian.stats"
    verbose_name = "统计与专报"

    def ready(self) -> None:
        from . import rules  # noqa: F401
