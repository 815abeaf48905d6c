from django.apps import AppConfig


class DemoConfig(AppConfig):
    """演示数据: the demo province's generators and ``shuangjian demo load``."""

    name = "shuangjian.demo"
    verbose_name = "演示数据"

    def ready(self) -> None:
        from shuangjian.common.operations import DEMO_LOADED

        if "shuangjian.demo.loader.already_loaded" not in DEMO_LOADED:
            DEMO_LOADED.append("shuangjian.demo.loader.already_loaded")
