from django.apps import AppConfig


class CoeducationConfig(AppConfig):
    name = "shuangjian.coeducation"
    verbose_name = "家校社共育"

    def ready(self) -> None:
        from shuangjian.common.importing import IMPORTERS

        IMPORTERS["parent-schools"] = "shuangjian.coeducation.importers.ParentSchoolImporter"
