from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "shuangjian.schools"
    verbose_name = "校内减负"

    def ready(self) -> None:
        from shuangjian.accounts.demo import DEMO_BOUND_ACCOUNTS
        from shuangjian.common.importing import IMPORTERS

        from . import rules  # noqa: F401  (declares this area's rule parameters)

        IMPORTERS["schools"] = "shuangjian.schools.importers.SchoolImporter"
        IMPORTERS["school-classes"] = "shuangjian.schools.importers.ClassImporter"
        IMPORTERS["school-weekly"] = "shuangjian.schools.importers.AfterSchoolWeeklyImporter"
        IMPORTERS["school-homework"] = "shuangjian.schools.importers.HomeworkImporter"
        IMPORTERS["school-exams"] = "shuangjian.schools.importers.ExamImporter"
        DEMO_BOUND_ACCOUNTS.append(
            ("xuexiao", "SCHOOL", "学校管理员", "school", "shuangjian.schools.demo.demo_account_school")
        )
