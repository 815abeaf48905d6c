from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "shuangjian.complaints"
    verbose_name = "投诉举报"
