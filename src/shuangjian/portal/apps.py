from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "shuangjian.portal"
    verbose_name = "公众服务"
