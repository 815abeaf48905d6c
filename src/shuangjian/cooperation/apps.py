from django.apps import AppConfig


class CooperationConfig(AppConfig):
    name = "shuangjian.cooperation"
    verbose_name = "校企合作"

    def ready(self) -> None:
        from shuangjian.common.importing import IMPORTERS

        from . import rules  # noqa: F401  (declares this area's rule parameters)

        IMPORTERS["vocational-programmes"] = "shuangjian.cooperation.importers.ProgrammeImporter"
        IMPORTERS["x-certificate-sites"] = "shuangjian.cooperation.importers.SiteImporter"
