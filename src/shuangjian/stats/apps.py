from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "shuangjian.stats"
    verbose_name = "统计与专报"

    def ready(self) -> None:
        from shuangjian.common import kpicards

        from . import rules  # noqa: F401
        from .kpis import kpi_cards_for, kpi_info_for, kpi_values_for

        kpicards.register(values=kpi_values_for, cards=kpi_cards_for, info=kpi_info_for)

        from .snapshots import receivers_connect

        receivers_connect()
