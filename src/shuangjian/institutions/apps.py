from django.apps import AppConfig


class InstitutionsConfig(AppConfig):
    name = "shuangjian.institutions"
    verbose_name = "校外培训机构"

    def ready(self) -> None:
        from shuangjian.common.importing import IMPORTERS

        from . import rules  # noqa: F401  (declares the registry's rule parameters)

        IMPORTERS["institutions"] = "shuangjian.institutions.importers.InstitutionImporter"
