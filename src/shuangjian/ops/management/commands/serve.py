"""`shuangjian serve`: the production server for one machine (what `make run` starts).

Prepares the database and static files, then runs side by side, until Ctrl-C / SIGTERM:
- gunicorn (``shuangjian.ops.gunicorn_conf``: workers sized from the cores) serving
  ``shuangjian.wsgi``;
- the task-queue worker (``shuangjian run_huey``) when the Huey app is installed;
- in demo mode (``SHUANGJIAN_DEMO=1``), the demo province's loader in the background, so the site
  answers at once (the figures fill in while it loads; its output goes to ``var/demo-load.log``).
Any of the long-running processes ending on its own stops the others (exit status 1).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

GUNICORN_CONF = Path(__file__).resolve().parents[2] / "gunicorn_conf.py"


def _manage(*args: str) -> list[str]:
    """The command line running ``shuangjian ARGS`` with this interpreter."""
    return [sys.executable, "-m", "shuangjian.manage", *args]


class Command(BaseCommand):
    help = "生产方式启动：gunicorn 网页服务 + 任务队列工作进程（演示模式下后台加载演示数据）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--bind",
            default=os.environ.get("BIND", "127.0.0.1:8000"),
            help="地址:端口（默认 127.0.0.1:8000，或环境变量 BIND）",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="网页工作进程数（默认按 CPU 核数：2×核数+1，或环境变量 WEB_CONCURRENCY）",
        )
        parser.add_argument(
            "--no-worker", action="store_true", help="不启动任务队列工作进程（另一台机器运行时）"
        )
        parser.add_argument(
            "--no-prepare",
            action="store_true",
            help="跳过 migrate / createcachetable / collectstatic（多台机器时由一台执行）",
        )
        parser.add_argument(
            "--demo-scale",
            choices=["small", "province", "none"],
            default="small",
            help="演示模式下后台加载的演示数据规模（none：不加载）",
        )

    def handle(self, *args, **options):
        if not options["no_prepare"]:
            self._prepare()
        demo_loader = None
        if settings.DEMO_MODE:
            call_command("demo-accounts", stdout=self.stdout)
            demo_loader = self._start_demo_loader(options["demo_scale"])

        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get(
                "DJANGO_SETTINGS_MODULE", "shuangjian.settings.production"
            ),
            "BIND": options["bind"],
        }
        if options["workers"]:
            env["WEB_CONCURRENCY"] = str(options["workers"])
        children: dict[str, subprocess.Popen] = {
            "web": subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF), "shuangjian.wsgi:application"],
                env=env,
            ),
        }
        if not options["no_worker"] and "huey.contrib.djhuey" in settings.INSTALLED_APPS:
            children["worker"] = subprocess.Popen(_manage("run_huey"), env=env)
        names = "、".join({"web": "网页服务 (gunicorn)", "worker": "任务队列工作进程"}[n] for n in children)
        self.stdout.write(f"双减监管平台: http://{options['bind']}/  （{names}；Ctrl-C 停止）")
        self.stdout.flush()

        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        status = 0
        while not stopping:
            ended = [n for n, p in children.items() if p.poll() is not None]
            if ended:
                self.stderr.write(
                    f"{ended[0]} 进程已退出（状态 {children[ended[0]].returncode}），停止其余进程"
                )
                status = 1
                break
            if demo_loader is not None and demo_loader.poll() is not None:
                self.stdout.write(
                    "演示数据加载完成"
                    if demo_loader.returncode == 0
                    else f"演示数据加载失败（状态 {demo_loader.returncode}），见 var/demo-load.log"
                )
                self.stdout.flush()
                demo_loader = None
            time.sleep(0.5)
        self._stop([*children.values(), *([demo_loader] if demo_loader else [])])
        if status:
            raise CommandError("服务异常退出")

    def _prepare(self) -> None:
        from django.db import connection

        # A brand-new SQLite database holds nothing to lose: its first migrate runs without waiting
        # for the disk after every statement (synchronous=OFF, ~1 minute saved on a first start),
        # then the connection goes back to FULL like every other one.
        fresh_sqlite = (
            connection.vendor == "sqlite"
            and "django_migrations" not in connection.introspection.table_names()
        )
        if fresh_sqlite:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous=OFF")
        call_command("migrate", interactive=False, verbosity=0)
        if fresh_sqlite:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous=FULL")
        call_command("createcachetable", verbosity=0)
        call_command("load-regions", stdout=self.stdout)
        call_command("collectstatic", interactive=False, verbosity=0)

    def _start_demo_loader(self, scale: str) -> subprocess.Popen | None:
        from shuangjian.common.operations import DEMO_LOADED

        if scale == "none" or any(import_string(path)() for path in DEMO_LOADED):
            return None
        log_path = Path(settings.VAR_DIR) / "demo-load.log"
        log = log_path.open("w")
        self.stdout.write(f"演示数据（{scale}）正在后台加载，网站已可使用，数字会陆续出现；日志：{log_path}")
        return subprocess.Popen(
            _manage("demo", "load", "--scale", scale),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @staticmethod
    def _stop(processes: list[subprocess.Popen]) -> None:
        """SIGTERM each child (graceful: gunicorn finishes its requests), SIGKILL after 30 s."""
        for p in processes:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 30
        for p in processes:
            try:
                p.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
