from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "shuangjian.enforcement"
    verbose_name = "执法检查"
