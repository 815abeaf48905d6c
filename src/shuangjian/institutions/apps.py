from django.apps import AppConfig


class InstitutionsConfig(AppConfig):
    name = "shuangjian.institutions"
    verbose_name = "校外培训机构"
