"""Run records of the scheduled daily jobs (定时作业) and the background tasks (后台任务).

Both are operational logs written by the worker: a :class:`JobRun` row per attempt of a daily job
for one Shanghai day, a :class:`BackgroundTask` row per piece of long work a user started from a
page (an import upload, a weekly report, a scan) with its progress and its result report.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shuangjian.common.scoping import ScopedQuerySet

from .choices import RunStatus, RunTrigger, TaskStatus


class JobRun(models.Model):
    """One attempt of daily job ``job`` for the Shanghai date ``day``.

    At most one attempt per (job, day) is running or succeeded (a partial unique constraint): the
    row is the claim that keeps two workers, or the schedule and the catch-up, from running the same
    job for the same day twice. ``counts`` holds what the job changed (``{"lessons_confirmed": 3}``),
    ``covers_from`` the first missed day a catch-up run stands in for (jobs whose one run covers
    every missed day), ``duration_ms`` the wall time in milliseconds.
    """

    job = models.CharField(_("作业"), max_length=40, db_index=True)
    day = models.DateField(_("作业日期"))
    covers_from = models.DateField(_("覆盖起始日"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING)
    trigger = models.CharField(_("触发方式"), max_length=10, choices=RunTrigger.choices)
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("耗时（毫秒）"), null=True, blank=True)
    counts = models.JSONField(_("变更计数"), default=dict, blank=True)
    warnings = models.JSONField(_("提示"), default=list, blank=True)
    error = models.TextField(_("错误"), blank=True)
    worker = models.CharField(_("执行进程"), max_length=120, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("定时作业运行记录")
        verbose_name_plural = _("定时作业运行记录")
        constraints = [
            models.UniqueConstraint(
                fields=["job", "day"],
                condition=Q(status__in=["RUNNING", "SUCCEEDED"]),
                name="ops_jobrun_one_live_run_per_day",
            ),
        ]
        indexes = [models.Index(fields=["job", "day", "status"], name="ops_jobrun_job_day_status")]

    def __str__(self) -> str:
        return f"{self.job} {self.day} {self.status}"


class WorkerBeat(models.Model):
    """When a worker last checked the schedule (the catch-up runs every few minutes): the jobs page
    warns when no worker has been seen for a while."""

    worker = models.CharField(_("执行进程"), max_length=120, primary_key=True)
    seen_at = models.DateTimeField(_("最近检查时间"))

    class Meta:
        verbose_name = _("任务进程心跳")
        verbose_name_plural = _("任务进程心跳")

    def __str__(self) -> str:
        return f"{self.worker} {self.seen_at:%Y-%m-%d %H:%M}"


LIVE_TASK_STATES = [TaskStatus.QUEUED, TaskStatus.RUNNING]


class BackgroundTask(models.Model):
    """Long work a user started from a page, run by the worker: progress and the result report.

    ``kind`` names the handler (``import``, ``weekly``, ``compliance-scan``), ``params`` its
    arguments (``{"import_kind": "institutions", "skip_invalid": false}``), ``upload`` the uploaded
    file kept in the default storage, ``content_hash`` its SHA-256: while one task with a given
    (kind, content_hash) is queued or running a second one is refused by a partial unique
    constraint, so the same file is never applied twice at once. ``done`` / ``total`` are rows (or
    steps) done so far; ``phase`` says what is being done; ``result`` is the report the command
    would print (summary line, counts, warnings, row errors). Scoped like every record: the task
    belongs to its creator's region, institution or school.
    """

    kind = models.CharField(_("类型"), max_length=40)
    title = models.CharField(_("名称"), max_length=200)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    upload = models.FileField(_("上传文件"), upload_to="tasks/%Y/%m/", max_length=200, blank=True)
    upload_name = models.CharField(_("文件名"), max_length=200, blank=True)
    content_hash = models.CharField(_("内容摘要"), max_length=64, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.QUEUED)
    phase = models.CharField(_("阶段"), max_length=100, blank=True)
    done = models.PositiveIntegerField(_("已完成"), default=0)
    total = models.PositiveIntegerField(_("总数"), default=0)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    error = models.TextField(_("错误"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所属区域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("所属机构"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("所属学校"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    worker = models.CharField(_("执行进程"), max_length=120, blank=True)

    scope_region_field = "region"
    scope_institution_field = "institution"
    scope_school_field = "school"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_hash"],
                condition=Q(status__in=["QUEUED", "RUNNING"]) & ~Q(content_hash=""),
                name="ops_task_one_live_per_content",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_status_display()}）"

    @property
    def percent(self) -> int:
        """Progress in whole percent (0 while the total is unknown)."""
        return min(100, self.done * 100 // self.total) if self.total else 0

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_TASK_STATES
