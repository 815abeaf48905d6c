from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "shuangjian.stats"
    verbose_name = "统计与专报"

    def ready(self) -> None:
        from shuangjian.common import kpicards
        from shuangjian.common.operations import BACKGROUND_HANDLERS, DAILY_JOB_RUNNERS, MINUTE_TASKS

        from . import rules  # noqa: F401
        from .kpis import kpi_cards_for, kpi_info_for, kpi_values_for

        kpicards.register(values=kpi_values_for, cards=kpi_cards_for, info=kpi_info_for)

        from .snapshots import receivers_connect

        receivers_connect()
        DAILY_JOB_RUNNERS["stats_snapshots"] = "shuangjian.stats.snapshots.snapshots_build_job"
        MINUTE_TASKS["stats-snapshots-refresh"] = "shuangjian.stats.snapshots.snapshots_refresh"
        BACKGROUND_HANDLERS["weekly"] = "shuangjian.stats.weekly.weekly_task_run"
