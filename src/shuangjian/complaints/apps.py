from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "shuangjian.complaints"
    verbose_name = "投诉举报"

    def ready(self) -> None:
        from shuangjian.common.importing import IMPORTERS

        from . import rules  # noqa: F401  (declares the rule parameters)

        IMPORTERS["reports"] = "shuangjian.complaints.importers.ReportImporter"
