from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "shuangjian.enforcement"
    verbose_name = "执法检查"

    def ready(self) -> None:
        from shuangjian.risk.demo import AFTER_SCAN
        from shuangjian.risk.signals import CASE_COUNTERS

        from .selectors import illegal_charging_cases_by_institution

        if illegal_charging_cases_by_institution not in CASE_COUNTERS:
            CASE_COUNTERS.append(illegal_charging_cases_by_institution)
        if "shuangjian.enforcement.demo.after_scan" not in AFTER_SCAN:
            AFTER_SCAN.append("shuangjian.enforcement.demo.after_scan")
