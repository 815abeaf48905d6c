"""Pages of the schedule (provincial regulators) and of background tasks (their owners' scope)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from shuangjian.common.queue import queue_length
from shuangjian.common.views import ProvincialRequiredMixin

from .jobs import JOBS, job_labels
from .models import JobRun
from .selectors import jobs_overview, worker_state


class JobsView(ProvincialRequiredMixin, View):
    """定时作业: per daily job its time, last run (when, how long, what changed, failed with which
    error), days still missing, next run; the worker's last heartbeat and the queue length."""

    def get(self, request):
        return render(request, "ops/jobs.html", {
            "rows": jobs_overview(), "worker": worker_state(), "queue_length": queue_length(),
        })

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
