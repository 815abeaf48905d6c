from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "shuangjian.risk"
    verbose_name = "风险预警"

    def ready(self) -> None:
        from shuangjian.common.operations import DAILY_JOB_RUNNERS

        from . import receivers, rules  # noqa: F401  (rules: declares the rule parameters)

        receivers.connect()  # rescore after payments, refund requests and 爆雷/冒烟 reports
        DAILY_JOB_RUNNERS["risk_scan"] = "shuangjian.risk.services.risk_scan_job"
        DAILY_JOB_RUNNERS["risk_escalate"] = "shuangjian.risk.services.tasks_escalate_job"
