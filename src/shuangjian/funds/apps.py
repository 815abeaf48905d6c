from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "shuangjian.funds"
    verbose_name = "预收费监管"

    def ready(self) -> None:
        from shuangjian.common.importing import IMPORTERS
        from shuangjian.common.operations import DAILY_JOB_RUNNERS

        from . import rules  # noqa: F401  (declares the rule parameters)

        IMPORTERS["fund-events"] = "shuangjian.funds.importers.FundEventImporter"
        DAILY_JOB_RUNNERS["funds_tick"] = "shuangjian.funds.services.funds_tick_job"
