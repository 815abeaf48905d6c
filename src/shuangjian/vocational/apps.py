from django.apps import AppConfig


class VocationalConfig(AppConfig):
    name = "shuangjian.vocational"
    verbose_name = "职业教育"

    def ready(self) -> None:
        from shuangjian.accounts.demo import DEMO_BOUND_ACCOUNTS
        from shuangjian.common.importing import IMPORTERS

        from . import rules  # noqa: F401  (declares this area's rule parameters)

        IMPORTERS["vocational-schools"] = "shuangjian.vocational.importers.VocationalSchoolImporter"
        IMPORTERS["vocational-majors"] = "shuangjian.vocational.importers.SchoolMajorImporter"
        DEMO_BOUND_ACCOUNTS.append(
            (
                "zhixiao",
                "VOCATIONAL",
                "职业院校管理员",
                "vocational_school",
                "shuangjian.vocational.demo_accounts.demo_account_vocational_school",
            )
        )
