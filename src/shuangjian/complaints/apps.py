from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "shuangjian.complaints"
    verbose_name = "投诉举报"

    def ready(self) -> None:
        from shuangjian.common.importing import IMPORTERS
        from shuangjian.common.operations import DAILY_JOB_RUNNERS

        from . import rules  # noqa: F401  (declares the rule parameters)

        IMPORTERS["reports"] = "shuangjian.complaints.importers.ReportImporter"
        DAILY_JOB_RUNNERS["complaints_escalate"] = "shuangjian.complaints.services.reports_escalate_job"
