from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "shuangjian.governance"
    verbose_name = "协同治理"

    def ready(self) -> None:
        from shuangjian.common.importing import IMPORTERS

        from . import rules  # noqa: F401  (declares this area's rule parameters)

        IMPORTERS["supervisors"] = "shuangjian.governance.importers.SupervisorImporter"
        IMPORTERS["admission-plans"] = "shuangjian.governance.importers.AdmissionPlanImporter"
