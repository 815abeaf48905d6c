from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "shuangjian.schools"
    verbose_name = "校内减负"
