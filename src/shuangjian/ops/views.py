"""Pages of the schedule (provincial regulators) and of background tasks (their owners' scope)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from shuangjian.common.queue import queue_length
from shuangjian.common.scoping import region_visible_to
from shuangjian.common.views import ProvincialRequiredMixin, RegulatorRequiredMixin

from .background import import_kinds_for, task_submit
from .forms import BackgroundImportForm, WeeklyTaskForm
from .jobs import JOBS, job_labels
from .models import BackgroundTask, JobRun
from .selectors import jobs_overview, worker_state


class JobsView(ProvincialRequiredMixin, View):
    """定时作业: per daily job its time, last run (when, how long, what changed, failed with which
    error), days still missing, next run; the worker's last heartbeat and the queue length."""

    def get(self, request):
        return render(
            request,
            "ops/jobs.html",
            {
                "rows": jobs_overview(),
                "worker": worker_state(),
                "queue_length": queue_length(),
            },
        )

    def post(self, request):
        """立即检查: enqueue a catch-up (runs whatever is due and missing) in the worker."""
        from .tasks import jobs_catch_up_now

        jobs_catch_up_now()
        messages.success(request, _("已提交补跑检查：到期未运行的作业将由任务进程执行"))
        return redirect("ops:jobs")


class JobHistoryView(ProvincialRequiredMixin, View):
    """Every recorded run of one daily job, newest first, with counts and errors."""

    def get(self, request, job_id: str):
        job = JOBS.get(job_id)
        if job is None:
            raise Http404
        page = Paginator(JobRun.objects.filter(job=job.id), 50).get_page(request.GET.get("page"))
        runs = [(run, job_labels(job.id, run.counts)) for run in page.object_list]
        return render(request, "ops/job_history.html", {"job": job, "page": page, "runs": runs})


# --- background tasks -------------------------------------------------------------------------------
class _TaskMixin:
    request: Any

    def _submit(self, **kwargs: Any):
        from .background import TaskDuplicate

        try:
            task = task_submit(user=self.request.user, **kwargs)
        except TaskDuplicate as duplicate:
            messages.error(self.request, str(duplicate))
            return redirect("ops:task", pk=duplicate.existing.pk)
        messages.success(
            self.request, _("已提交后台任务：关闭浏览器不影响执行，可随时在“后台任务”中查看进度和结果")
        )
        return redirect("ops:task", pk=task.pk)


class ImportUploadView(_TaskMixin, View):
    """后台导入: upload a file of any kind the user may import; it runs in the worker (progress page).

    ``?kind=institutions`` preselects a kind. Same rules as ``shuangjian import KIND FILE``.
    """

    def _kinds(self, request) -> dict[str, str]:
        kinds = import_kinds_for(request.user)
        if not kinds:
            raise PermissionDenied(_("无权导入数据"))
        return kinds

    def get(self, request):
        kinds = self._kinds(request)
        initial = {"kind": request.GET.get("kind")} if request.GET.get("kind") in kinds else {}
        return render(
            request, "ops/import.html", {"form": BackgroundImportForm(kinds=kinds, initial=initial)}
        )

    def post(self, request):
        kinds = self._kinds(request)
        form = BackgroundImportForm(request.POST, request.FILES, kinds=kinds)
        if not form.is_valid():
            return render(request, "ops/import.html", {"form": form}, status=400)
        kind = form.cleaned_data["kind"]
        upload = form.cleaned_data["file"]
        return self._submit(
            kind=f"import:{kind}",
            title=_("导入%(title)s：%(name)s") % {"title": kinds[kind], "name": upload.name},
            upload=upload,
            params={"import_kind": kind, "skip_invalid": form.cleaned_data["skip_invalid"]},
        )


class WeeklyTaskView(RegulatorRequiredMixin, _TaskMixin, View):
    """POST: generate a week's report (Word and PDF, filed in the archive) in the background."""

    def post(self, request):
        form = WeeklyTaskForm(request.POST)
        if not form.is_valid():
            messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
            return redirect("stats:weekly")
        region = region_visible_to(request.user, form.cleaned_data["region"] or None)  # 404 outside the scope
        code = region.code if region else ""
        week = form.cleaned_data["week"]
        return self._submit(
            kind="weekly",
            title=_("生成每周专报 %(week)s %(region)s")
            % {"week": week, "region": region.full_name if region else ""},
            params={"week": week, "region": code},
            dedupe_key=f"{week}|{code}",
        )


class ComplianceScanTaskView(RegulatorRequiredMixin, _TaskMixin, View):
    """POST: run the compliance scan over the regulator's own region in the background."""

    def post(self, request):
        region = "" if request.user.is_superuser else request.user.region_id
        name = request.user.region.full_name if getattr(request.user, "region", None) else _("全部")
        return self._submit(
            kind="compliance-scan",
            title=_("合规扫描：%s") % name,
            params={"region": region},
            dedupe_key=f"compliance|{region}",
        )


class TaskListView(View):
    """后台任务: the tasks the user may see (own region's, institution's or school's), newest first."""

    def get(self, request):
        page = Paginator(BackgroundTask.objects.visible_to(request.user).select_related("created_by"), 50)
        return render(request, "ops/task_list.html", {"page": page.get_page(request.GET.get("page"))})


class TaskDetailView(View):
    """One task: progress while it runs (the page polls :class:`TaskProgressView`), then its result
    report. 404 for a task outside the user's scope."""

    def get(self, request, pk: int):
        task = get_object_or_404(BackgroundTask.objects.visible_to(request.user), pk=pk)
        return render(request, "ops/task_detail.html", {"task": task})


class TaskProgressView(View):
    """The progress/result fragment of a task (htmx polls it every second while the task is live)."""

    def get(self, request, pk: int):
        task = get_object_or_404(BackgroundTask.objects.visible_to(request.user), pk=pk)
        return render(request, "ops/_task_state.html", {"task": task})
