from django.apps import AppConfig


class StemConfig(AppConfig):
    name = "shuangjian.stem"
    verbose_name = "STEM教育"

    def ready(self) -> None:
        from shuangjian.common.importing import IMPORTERS

        from . import rules  # noqa: F401  (declares this area's rule parameters)

        IMPORTERS["stem-courses"] = "shuangjian.stem.importers.StemCourseImporter"
