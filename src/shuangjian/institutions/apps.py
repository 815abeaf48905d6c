from django.apps import AppConfig


class InstitutionsConfig(AppConfig):
    name = "shuangjian.institutions"
    verbose_name = "校外培训机构"

    def ready(self) -> None:
        from shuangjian.accounts.demo import DEMO_BOUND_ACCOUNTS
        from shuangjian.common.importing import IMPORTERS
        from shuangjian.common.operations import DAILY_JOB_RUNNERS

        from . import rules  # noqa: F401  (declares the registry's rule parameters)

        IMPORTERS["institutions"] = "shuangjian.institutions.importers.InstitutionImporter"
        DAILY_JOB_RUNNERS["compliance_scan"] = "shuangjian.institutions.compliance.compliance_scan_job"
        DEMO_BOUND_ACCOUNTS.append(
            (
                "jigou",
                "INSTITUTION",
                "机构管理员",
                "institution",
                "shuangjian.institutions.demo.demo_account_institution",
            )
        )
