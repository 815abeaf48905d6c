"""`shuangjian jobs list|status|run JOB [--day DATE]|catch-up`: the daily jobs the worker runs.

- ``list``: every job with its Asia/Shanghai time and the command it stands for.
- ``status``: each job's last run (day, status, duration, counts) and its missing days.
- ``run JOB [--day DATE]``: run one job now for DATE (default its latest due day), recorded as a
  manual run; refused (exit 1) when that day already has a running or successful run.
- ``catch-up``: run whatever is due and missing, as the worker does at its start.
Usage errors print ``参数错误：…`` and exit 2, as the other commands do.
"""

import sys

from django.core.management.base import BaseCommand

from shuangjian.common.importing import parse_date
from shuangjian.ops.jobs import JOBS, job_labels, job_run, jobs_catch_up, latest_due_day, missing_days
from shuangjian.ops.models import JobRun, RunStatus, RunTrigger


class Command(BaseCommand):
    help = "定时作业：jobs list | status | run JOB [--day DATE] | catch-up"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["list", "status", "run", "catch-up"])
        parser.add_argument("job", nargs="?", help="作业编号（run 时必填）")
        parser.add_argument("--day", help="作业日期（默认最近一个已到时间的日期，北京时间）")

    def handle(self, *args, **options):
        action = options["action"]
        if action == "list":
            for job in JOBS.values():
                self.stdout.write(f"{job.at:%H:%M}\t{job.id}\t{job.title}\t{job.command}")
            return
        if action == "status":
            for job in JOBS.values():
                last = JobRun.objects.filter(job=job.id).exclude(status=RunStatus.RUNNING).first()
                missing = "、".join(d.isoformat() for d in missing_days(job)) or "无"
                if last is None:
                    self.stdout.write(f"{job.id}\t从未运行\t待补跑：{missing}")
                    continue
                counts = "，".join(f"{label} {value}" for label, value in job_labels(job.id, last.counts))
                self.stdout.write(
                    f"{job.id}\t{last.day}\t{last.get_status_display()}\t{last.duration_ms} ms\t"
                    f"{counts}\t待补跑：{missing}"
                )
            return
        if action == "catch-up":
            for done in jobs_catch_up(trigger=RunTrigger.MANUAL):
                self._print(done)
            return
        job_id = options.get("job")
        if job_id not in JOBS:
            named = f"未知的作业“{job_id}”" if job_id else "请指定作业"
            self.stderr.write(f"参数错误：{named}，可用：{'、'.join(JOBS)}")
            sys.exit(2)
        try:
            day = parse_date(options["day"]) if options.get("day") else latest_due_day(JOBS[job_id])
        except ValueError as error:
            self.stderr.write(f"参数错误：--day {error}")
            sys.exit(2)
        if day > latest_due_day(JOBS[job_id]):
            self.stderr.write(
                f"参数错误：--day {day} 晚于该作业最近一次应运行的日期 {latest_due_day(JOBS[job_id])}，不能提前运行"
            )
            sys.exit(2)
        run = job_run(job_id, day=day, trigger=RunTrigger.MANUAL)
        if run is None:
            self.stderr.write(f"{job_id} {day} 已在运行或已成功运行，未重复执行")
            sys.exit(1)
        self._print(run)
        if run.status != RunStatus.SUCCEEDED:
            sys.exit(1)

    def _print(self, run: JobRun) -> None:
        counts = "，".join(f"{label} {value}" for label, value in job_labels(run.job, run.counts))
        self.stdout.write(f"{run.job}\t{run.day}\t{run.get_status_display()}\t{run.duration_ms} ms\t{counts}")
        for warning in run.warnings:
            self.stdout.write(f"提示：{warning}")
        if run.error:
            self.stderr.write(run.error)
