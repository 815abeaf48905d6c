from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "shuangjian.common"
    verbose_name = "公共"
