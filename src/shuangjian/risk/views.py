"""Pages of the risk area: the board (风险看板), an institution's risk page, the task list and a task.

All reads go through ``Model.objects.visible_to(request.user)`` (selectors); a record outside the
user's region is 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from shuangjian.accounts.choices import Role
from shuangjian.common.views import RegulatorRequiredMixin

from . import selectors, services
from .models import RiskAssessment, RiskWarning, TaskOutcome, TaskState, WarningTask
from .scoring import Level


class BoardView(RegulatorRequiredMixin, TemplateView):
    """风险看板: institutions of the user's region by score; filter by level, sort, search."""

    template_name = "risk/board.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        g = self.request.GET
        from shuangjian.regions.models import Region

        region = g.get("region") or ""
        region_code = region if region.isdigit() and Region.objects.filter(code=region).exists() else None
        qs = selectors.board(
            self.request.user,
            level=g.get("level", ""),
            sort=g.get("sort", "score"),
            q=(g.get("q") or "").strip(),
            region_code=region_code,
        )
        page = Paginator(qs, 50).get_page(g.get("page"))
        today = timezone.localdate()
        context.update(
            page=page,
            levels=Level.choices,
            level=g.get("level", ""),
            sort=g.get("sort", "score"),
            q=g.get("q", ""),
            stats=selectors.risk_stats(as_of=today, user=self.request.user),
        )
        return context


class InstitutionRiskView(RegulatorRequiredMixin, TemplateView):
    """An institution's risk: current score and explanation, trend chart, warnings and tasks."""

    template_name = "risk/institution.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        assessment = get_object_or_404(
            RiskAssessment.objects.visible_to(user).select_related("institution", "county"),
            institution_id=self.kwargs["pk"],
        )
        snapshots = selectors.trend(user, assessment.institution_id)
        warnings = (
            RiskWarning.objects.visible_to(user)
            .filter(institution_id=assessment.institution_id)
            .select_related("task")
            .order_by("-raised_on", "-id")
        )
        context.update(
            assessment=assessment,
            chart=selectors.trend_svg_points(snapshots),
            warnings=warnings,
            institution=assessment.institution,
        )
        return context


class TaskListView(RegulatorRequiredMixin, TemplateView):
    """预警处置任务 list: open ones first by deadline; filter by state or overdue."""

    template_name = "risk/tasks.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        g = self.request.GET
        state = g.get("state", "OPEN_ANY")
        today = timezone.localdate()
        qs = selectors.tasks_for(self.request.user, state=state, overdue=g.get("overdue") == "1", today=today)
        page = Paginator(qs, 50).get_page(g.get("page"))
        context.update(
            page=page, states=TaskState.choices, state=state, overdue=g.get("overdue") == "1", today=today
        )
        return context


class TaskDetailView(RegulatorRequiredMixin, TemplateView):
    """A task with its warning's explanation, and the actions its state allows (签收 / 处置 / 关闭)."""

    template_name = "risk/task.html"

    def get_task(self) -> WarningTask:
        return get_object_or_404(
            WarningTask.objects.visible_to(self.request.user).select_related(
                "warning__institution", "county"
            ),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        task = self.get_task()
        can_act = self.request.user.role == Role.COUNTY or self.request.user.is_superuser
        context.update(
            task=task,
            warning=task.warning,
            outcomes=[c for c in TaskOutcome.choices if c[0] != TaskOutcome.SUPERSEDED],
            today=timezone.localdate(),
            can_act=can_act,
            escalations=task.escalations.select_related("region"),
        )
        return context

    def post(self, request, *args, **kwargs):
        task = self.get_task()
        if not (request.user.role == Role.COUNTY or request.user.is_superuser):
            raise Http404
        action = request.POST.get("action")
        try:
            if action == "acknowledge":
                services.task_acknowledge(task_id=task.pk, actor=request.user)
                messages.success(request, _("已签收"))
            elif action == "handle":
                services.task_handle(
                    task_id=task.pk,
                    actor=request.user,
                    outcome=request.POST.get("outcome", ""),
                    note=request.POST.get("note", ""),
                )
                messages.success(request, _("已登记处置结果"))
            elif action == "close":
                services.task_close(task_id=task.pk, actor=request.user, note=request.POST.get("note", ""))
                messages.success(request, _("任务已关闭，预警解除"))
            else:
                messages.error(request, _("未知操作"))
        except services.TaskError as exc:
            messages.error(request, str(exc))
        return redirect("risk:task", pk=task.pk)
