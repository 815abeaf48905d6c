from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "shuangjian.funds"
    verbose_name = "预收费监管"
