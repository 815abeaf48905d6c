"""Pages of co-governance. Regulators read through ``Model.objects.visible_to(user)`` (foreign ids 404)
and act through :mod:`.services`; a social supervisor sees only the tasks assigned to them (phone
first) and files findings with photos that become reports in the county's queue. GET never writes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import UserPassesTestMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from shuangjian.common.errors import DomainError
from shuangjian.common.exporting import xlsx_response
from shuangjian.common.importing import ImportFileError, importer_for
from shuangjian.common.views import RegulatorRequiredMixin

from . import forms, selectors, services
from .choices import Level
from .models import (
    AdmissionPlan,
    CampaignTarget,
    CoordinationTask,
    CoordinationUnit,
    InspectionCampaign,
    PublicityEvent,
    Rectification,
    SupervisionTask,
    Supervisor,
    SupervisorStatus,
)


def _errors(error: Exception) -> list[str]:
    """Chinese messages of a refusal (DomainError, ValidationError or PermissionDenied)."""
    if isinstance(error, ValidationError):
        return [str(m) for m in error.messages]
    return [str(error)]


class _PostMixin:
    """POST handlers named ``post_<action>``; refusals become messages, then back to the page."""

    request: Any

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "")
        handler = getattr(self, f"post_{action}", None)
        if handler is None:
            raise Http404
        try:
            response = handler(request, *args, **kwargs)
        except (DomainError, ValidationError, PermissionDenied) as error:
            for message in _errors(error):
                messages.error(request, message)
            response = None
        return response or HttpResponseRedirect(request.path)


# --- Overview ---------------------------------------------------------------------------------------


class IndexView(RegulatorRequiredMixin, TemplateView):
    """协同治理 overview: supervisors by level, tasks, coordination, inspection, admissions, publicity."""

    template_name = "governance/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, today = self.request.user, timezone.localdate()
        in_office = selectors.supervisors_in_office(as_of=today, user=user)
        latest_year = (
            AdmissionPlan.objects.visible_to(user).order_by("-year").values_list("year", flat=True).first()
        )
        context.update(
            today=today,
            by_level={
                lvl: in_office.filter(level=lvl).count() for lvl in (Level.PROVINCE, Level.CITY, Level.COUNTY)
            },
            tasks_open=SupervisionTask.objects.visible_to(user).filter(status="ASSIGNED").count(),
            tasks_overdue=SupervisionTask.objects.visible_to(user).overdue(today).count(),
            units=selectors.coordination_units(as_of=today, user=user).count(),
            coordination_overdue=selectors.coordination_overdue(as_of=today, user=user)[:20],
            campaigns=_campaigns_visible(user)[:5],
            admission_year=latest_year,
            shortfalls=selectors.admission_shortfalls(year=latest_year, user=user)[:20]
            if latest_year
            else [],
            admission=selectors.admission_figures(year=latest_year, user=user) if latest_year else None,
        )
        return context


def _campaigns_visible(user: Any):
    """Campaigns with at least one target the user may see (the province sees all)."""
    ids = CampaignTarget.objects.visible_to(user).values("campaign_id")
    return InspectionCampaign.objects.filter(pk__in=ids).select_related("indicator_set")


# --- Supervisors ------------------------------------------------------------------------------------

SUPERVISOR_HEADERS = [
    "聘书编号",
    "姓名",
    "层级",
    "选聘区域",
    "监督领域",
    "工作单位",
    "联系电话",
    "聘期开始",
    "聘期结束",
    "状态",
    "派发任务",
    "完成任务",
    "督查发现",
    "经核实发现",
]


class SupervisorListView(RegulatorRequiredMixin, TemplateView):
    """Supervisors the user may see, with performance; filters level / status / q; .xlsx export."""

    template_name = "governance/supervisor_list.html"

    def queryset(self):
        g = self.request.GET
        qs = Supervisor.objects.visible_to(self.request.user)
        if g.get("level"):
            qs = qs.filter(level=g["level"])
        if g.get("status"):
            qs = qs.filter(status=g["status"])
        if g.get("q"):
            qs = qs.filter(Q(name__icontains=g["q"]) | Q(number__icontains=g["q"]))
        return qs

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "xlsx":
            rows = selectors.supervisor_performance(self.queryset())
            return xlsx_response(
                f"社会监督员_{timezone.localdate():%Y%m%d}.xlsx",
                SUPERVISOR_HEADERS,
                (
                    [
                        r["supervisor"].number,
                        r["supervisor"].name,
                        r["supervisor"].get_level_display(),
                        r["supervisor"].region.full_name,
                        r["supervisor"].get_field_display(),
                        r["supervisor"].work_unit,
                        r["supervisor"].phone_masked,
                        r["supervisor"].term_start,
                        r["supervisor"].term_end,
                        r["supervisor"].get_status_display(),
                        r["tasks_total"],
                        r["tasks_done"],
                        r["findings_total"],
                        r["findings_confirmed"],
                    ]
                    for r in rows
                ),
                title="社会监督员",
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(self.queryset(), 50).get_page(self.request.GET.get("page"))
        ids = [s.pk for s in page.object_list]
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            page=page,
            rows=selectors.supervisor_performance(Supervisor.objects.filter(pk__in=ids)),
            g=self.request.GET,
            statuses=SupervisorStatus.choices,
            query=query.urlencode(),
        )
        return context


class SupervisorAppointView(RegulatorRequiredMixin, TemplateView):
    """选聘 form (the level follows the chosen region)."""

    template_name = "governance/form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", forms.SupervisorAppointForm(user=self.request.user))
        context["title"] = _("选聘社会监督员")
        return context

    def post(self, request, *args, **kwargs):
        form = forms.SupervisorAppointForm(request.POST, user=request.user)
        if form.is_valid():
            d = form.cleaned_data
            try:
                supervisor = services.supervisor_appoint(
                    actor=request.user,
                    number=d["number"].strip().upper(),
                    name=d["name"].strip(),
                    region_code=d["region"],
                    field=d["field"],
                    work_unit=d["work_unit"],
                    phone=d["phone"],
                    term_start=d["term_start"],
                    term_end=d["term_end"],
                    source=d["source"],
                    username=d["username"].strip(),
                    password=d["password"],
                )
            except (DomainError, ValidationError, PermissionDenied) as error:
                for message in _errors(error):
                    form.add_error(None, message)
            else:
                messages.success(request, _("已选聘 %(name)s") % {"name": supervisor.name})
                return redirect("governance:supervisor", pk=supervisor.pk)
        return self.render_to_response(self.get_context_data(form=form))


class SupervisorDetailView(RegulatorRequiredMixin, _PostMixin, TemplateView):
    """A supervisor: term, tasks, findings (→ reports), performance; assign a task, end or renew."""

    template_name = "governance/supervisor_detail.html"

    def supervisor(self) -> Supervisor:
        return get_object_or_404(
            Supervisor.objects.visible_to(self.request.user).select_related("region", "user"),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        supervisor = self.supervisor()
        perf = selectors.supervisor_performance(Supervisor.objects.filter(pk=supervisor.pk))[0]
        context.update(
            supervisor=supervisor,
            perf=perf,
            tasks=supervisor.tasks.select_related("county").order_by("-assigned_on", "-id")[:50],
            findings=supervisor.findings.select_related("report", "task").order_by("-filed_at")[:50],
            assign_form=forms.TaskAssignForm(user=self.request.user, supervisor=supervisor),
            end_form=forms.SupervisorEndForm(initial={"ended_on": timezone.localdate()}),
            renew_form=forms.SupervisorRenewForm(initial={"term_start": supervisor.term_end}),
            history=supervisor.history.select_related("history_user").order_by("-history_date")[:20],
            renewal=getattr(supervisor, "renewal", None),
        )
        return context

    def post_assign(self, request, *args, **kwargs):
        from shuangjian.institutions.models import Institution
        from shuangjian.schools.models import School

        supervisor = self.supervisor()
        form = forms.TaskAssignForm(request.POST, user=request.user, supervisor=supervisor)
        if not form.is_valid():
            raise services.GovernanceError(
                "；".join(f"{form.fields[k].label}：{'、'.join(map(str, v))}" for k, v in form.errors.items())
            )
        d = form.cleaned_data
        institution = school = None
        if d["institution_code"]:
            institution = (
                Institution.objects.visible_to(request.user)
                .filter(credit_code=d["institution_code"].strip().upper())
                .first()
            )
            if institution is None:
                raise services.GovernanceError(_("未找到该统一社会信用代码的机构"))
        if d["school_code"]:
            school = School.objects.visible_to(request.user).filter(code=d["school_code"].strip()).first()
            if school is None:
                raise services.GovernanceError(_("未找到该学校"))
        task = services.task_assign(
            actor=request.user,
            supervisor=supervisor,
            kind=d["kind"],
            title=d["title"],
            county_code=d["county"],
            instructions=d["instructions"],
            institution=institution,
            school=school,
        )
        messages.success(request, _("已派发任务，办理期限 %(d)s") % {"d": task.due_date})
        return redirect("governance:task", pk=task.pk)

    def post_end(self, request, *args, **kwargs):
        form = forms.SupervisorEndForm(request.POST)
        if not form.is_valid():
            raise services.GovernanceError(_("请填写离任日期和原因"))
        d = form.cleaned_data
        services.supervisor_end(
            actor=request.user,
            supervisor=self.supervisor(),
            ended_on=d["ended_on"],
            reason=d["reason"],
            dismiss=d["dismiss"],
        )
        messages.success(request, _("已办理离任"))

    def post_renew(self, request, *args, **kwargs):
        form = forms.SupervisorRenewForm(request.POST)
        if not form.is_valid():
            raise services.GovernanceError(_("请填写新聘书编号和聘期"))
        d = form.cleaned_data
        renewed = services.supervisor_renew(
            actor=request.user,
            supervisor=self.supervisor(),
            number=d["number"].strip().upper(),
            term_start=d["term_start"],
            term_end=d["term_end"],
        )
        messages.success(request, _("已续聘"))
        return redirect("governance:supervisor", pk=renewed.pk)


class TaskDetailView(RegulatorRequiredMixin, _PostMixin, TemplateView):
    """A supervision task (regulator side): its findings link to the reports they became."""

    template_name = "governance/task_detail.html"

    def task(self) -> SupervisionTask:
        return get_object_or_404(
            SupervisionTask.objects.visible_to(self.request.user).select_related(
                "supervisor", "county", "institution", "school"
            ),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        task = self.task()
        context.update(
            task=task,
            findings=task.findings.select_related("report"),
            today=timezone.localdate(),
            history=task.history.select_related("history_user").order_by("-history_date")[:20],
        )
        return context

    def post_cancel(self, request, *args, **kwargs):
        services.task_cancel(actor=request.user, task=self.task(), reason=request.POST.get("reason", ""))
        messages.success(request, _("任务已撤销"))


# --- The supervisor's own pages (phone first) --------------------------------------------------------


class SupervisorRequiredMixin(UserPassesTestMixin):
    """A logged-in social supervisor in office (their record is ``self.me``)."""

    request: Any
    me: Supervisor

    def test_func(self) -> bool:
        me = services.supervisor_of(self.request.user)
        if me is None:
            return False
        self.me = me
        return True


class MyTasksView(SupervisorRequiredMixin, TemplateView):
    template_name = "governance/my_tasks.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tasks = selectors.tasks_for_supervisor(self.me)
        context.update(
            me=self.me,
            open_tasks=tasks.filter(status="ASSIGNED").order_by("due_date"),
            done_tasks=tasks.exclude(status="ASSIGNED")[:30],
            today=timezone.localdate(),
            findings=self.me.findings.select_related("report").order_by("-filed_at")[:30],
        )
        return context


class MyTaskView(SupervisorRequiredMixin, _PostMixin, TemplateView):
    """One of the supervisor's tasks: file a finding with photos (→ a report in the county's queue),
    or report the task done. Another supervisor's task is 404."""

    template_name = "governance/my_task.html"

    def task(self) -> SupervisionTask:
        return get_object_or_404(selectors.tasks_for_supervisor(self.me), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        task = self.task()
        context.update(
            task=task,
            me=self.me,
            finding_form=kwargs.get("finding_form") or forms.FindingForm(),
            complete_form=forms.TaskCompleteForm(),
            findings=task.findings.select_related("report"),
            photo_errors=kwargs.get("photo_errors", []),
        )
        return context

    def post_finding(self, request, *args, **kwargs):
        from shuangjian.complaints.photos import MAX_PHOTOS, PhotoError, process_photo

        task = self.task()
        form = forms.FindingForm(request.POST)
        files = request.FILES.getlist("photos")
        photo_errors, photos = [], []
        if len(files) > MAX_PHOTOS:
            photo_errors.append(_("最多上传 %(n)d 张照片") % {"n": MAX_PHOTOS})
        for upload in files[:MAX_PHOTOS]:
            try:
                photos.append(process_photo(upload.name, upload.read()))
            except PhotoError as error:
                photo_errors.append(str(error))
        if not form.is_valid() or photo_errors:
            return self.render_to_response(
                self.get_context_data(finding_form=form, photo_errors=photo_errors)
            )
        d = form.cleaned_data
        finding = services.finding_file(
            actor=request.user,
            supervisor=self.me,
            task=task,
            report_type=d["report_type"],
            description=d["description"],
            place=d["place"],
            institution_text=d["institution_text"],
            photos=photos,
        )
        messages.success(
            request,
            _("已提交，线索编号 %(no)s，已转 %(county)s 办理")
            % {"no": finding.report.number, "county": finding.county.full_name},
        )

    def post_complete(self, request, *args, **kwargs):
        services.task_complete(actor=request.user, task=self.task(), summary=request.POST.get("summary", ""))
        messages.success(request, _("任务已完成"))
        return redirect("governance:my_tasks")


# --- Coordination group -------------------------------------------------------------------------------


class UnitListView(RegulatorRequiredMixin, _PostMixin, TemplateView):
    """Member units of the coordination groups the user may see, with duties and open tasks."""

    template_name = "governance/unit_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        units = (
            selectors.coordination_units(as_of=today, user=self.request.user)
            .select_related("region")
            .prefetch_related("duties")
        )
        context.update(
            units=units,
            form=forms.UnitAddForm(user=self.request.user),
            today=today,
            overdue=selectors.coordination_overdue(as_of=today, user=self.request.user),
        )
        return context

    def post_add(self, request, *args, **kwargs):
        form = forms.UnitAddForm(request.POST, user=request.user)
        if not form.is_valid():
            raise services.GovernanceError(_("请完整填写单位名称、区域、加入日期和依据"))
        d = form.cleaned_data
        unit = services.unit_add(
            actor=request.user,
            region_code=d["region"],
            name=d["name"],
            joined_on=d["joined_on"],
            source=d["source"],
        )
        return redirect("governance:unit", pk=unit.pk)


class UnitDetailView(RegulatorRequiredMixin, _PostMixin, TemplateView):
    template_name = "governance/unit_detail.html"

    def unit(self) -> CoordinationUnit:
        return get_object_or_404(
            CoordinationUnit.objects.visible_to(self.request.user).select_related("region"),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unit = self.unit()
        context.update(
            unit=unit,
            duties=unit.duties.all(),
            tasks=unit.tasks.order_by("-assigned_on", "-id"),
            duty_form=forms.DutyForm(),
            task_form=forms.CoordinationTaskForm(),
            today=timezone.localdate(),
        )
        return context

    def post_duty(self, request, *args, **kwargs):
        services.duty_add(
            actor=request.user,
            unit=self.unit(),
            text=request.POST.get("text", ""),
            source=request.POST.get("source", ""),
        )

    def post_leave(self, request, *args, **kwargs):
        try:
            left_on = dt.date.fromisoformat(request.POST.get("left_on", ""))
        except ValueError:
            raise services.GovernanceError(_("退出日期无效")) from None
        services.unit_leave(
            actor=request.user, unit=self.unit(), left_on=left_on, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("已办理退出"))
        return redirect("governance:units")

    def post_task(self, request, *args, **kwargs):
        form = forms.CoordinationTaskForm(request.POST)
        if not form.is_valid():
            raise services.GovernanceError(_("请填写任务和有效的办理时限"))
        d = form.cleaned_data
        task = services.coordination_task_assign(
            actor=request.user,
            unit=self.unit(),
            title=d["title"],
            detail=d["detail"],
            working_days=d["working_days"],
        )
        return redirect("governance:coordination_task", pk=task.pk)


class CoordinationTaskView(RegulatorRequiredMixin, _PostMixin, TemplateView):
    template_name = "governance/coordination_task.html"

    def task(self) -> CoordinationTask:
        return get_object_or_404(
            CoordinationTask.objects.visible_to(self.request.user).select_related("unit"),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        task = self.task()
        context.update(
            task=task,
            progress=task.progress.all(),
            form=forms.ProgressForm(),
            today=timezone.localdate(),
            history=task.history.select_related("history_user").order_by("-history_date")[:20],
        )
        return context

    def post_progress(self, request, *args, **kwargs):
        form = forms.ProgressForm(request.POST)
        if not form.is_valid():
            raise services.GovernanceError(_("请填写0至100的进度和进展情况"))
        services.coordination_progress_report(
            actor=request.user,
            task=self.task(),
            percent=form.cleaned_data["percent"],
            text=form.cleaned_data["text"],
        )


class CoordinationOverdueView(RegulatorRequiredMixin, TemplateView):
    """Overdue coordination tasks (also in the weekly report); ``?format=xlsx`` exports them."""

    template_name = "governance/coordination_overdue.html"

    def get(self, request, *args, **kwargs):
        tasks = selectors.coordination_overdue(as_of=timezone.localdate(), user=request.user)
        if request.GET.get("format") == "xlsx":
            return xlsx_response(
                "逾期交办任务.xlsx",
                ["承办单位", "任务", "交办日期", "办理期限", "状态"],
                ([t.unit.name, t.title, t.assigned_on, t.due_date, t.get_status_display()] for t in tasks),
                title="逾期交办任务",
            )
        return self.render_to_response(self.get_context_data(tasks=tasks, today=timezone.localdate()))


# --- Inspection campaigns -------------------------------------------------------------------------------


class CampaignListView(RegulatorRequiredMixin, TemplateView):
    template_name = "governance/campaign_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["campaigns"] = _campaigns_visible(self.request.user)
        return context


class CampaignDetailView(RegulatorRequiredMixin, TemplateView):
    """A campaign: its indicator set and the targets the user may see (ranking: stats:evaluation)."""

    template_name = "governance/campaign_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaign = get_object_or_404(_campaigns_visible(self.request.user), pk=self.kwargs["pk"])
        targets = (
            CampaignTarget.objects.visible_to(self.request.user)
            .filter(campaign=campaign)
            .select_related("region")
        )
        context.update(
            campaign=campaign,
            indicators=campaign.indicator_set.indicators.all(),
            targets=targets,
            rectifications=Rectification.objects.visible_to(self.request.user)
            .filter(target__campaign=campaign)
            .select_related("target__region"),
        )
        return context


class TargetView(RegulatorRequiredMixin, _PostMixin, TemplateView):
    """An inspected region: the inspection group scores indicators and issues rectification tasks; the
    region itself reports rectification; the inspecting level accepts it."""

    template_name = "governance/target.html"

    def target(self) -> CampaignTarget:
        return get_object_or_404(
            CampaignTarget.objects.visible_to(self.request.user).select_related(
                "region", "campaign__indicator_set"
            ),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        target = self.target()
        inspector_indicators = target.campaign.indicator_set.indicators.filter(method="INSPECTOR")
        is_self = self.request.user.region_id == target.region_id
        context.update(
            target=target,
            scores=target.scores.select_related("indicator", "inspector"),
            rectifications=target.rectifications.all(),
            is_self=is_self,
            score_form=forms.ScoreForm(indicators=inspector_indicators),
            rect_form=forms.RectificationForm(),
            report_form=forms.RectificationReportForm(),
            today=timezone.localdate(),
        )
        return context

    def post_score(self, request, *args, **kwargs):
        target = self.target()
        indicators = target.campaign.indicator_set.indicators.filter(method="INSPECTOR")
        form = forms.ScoreForm(request.POST, indicators=indicators)
        if not form.is_valid():
            raise services.GovernanceError(_("请选择指标并填写0至100的得分率和督查发现"))
        d = form.cleaned_data
        services.score_record(
            actor=request.user,
            target=target,
            indicator=indicators.get(pk=d["indicator"]),
            percent=d["percent"],
            finding=d["finding"],
        )
        messages.success(request, _("评分已保存"))

    def post_rectification(self, request, *args, **kwargs):
        services.rectification_assign(
            actor=request.user, target=self.target(), issue=request.POST.get("issue", "")
        )
        messages.success(request, _("已下达整改任务"))

    def _rectification(self, request) -> Rectification:
        return get_object_or_404(self.target().rectifications, pk=request.POST.get("rectification"))

    def post_rect_submit(self, request, *args, **kwargs):
        services.rectification_submit(
            actor=request.user,
            rectification=self._rectification(request),
            report=request.POST.get("report", ""),
        )

    def post_rect_review(self, request, *args, **kwargs):
        services.rectification_review(
            actor=request.user,
            rectification=self._rectification(request),
            accept=request.POST.get("accept") == "1",
            note=request.POST.get("note", ""),
        )


# --- Admissions and publicity ----------------------------------------------------------------------------

ADMISSION_HEADERS = [
    "年度",
    "区县",
    "学校标识码",
    "学校名称",
    "招生计划数",
    "指标生分配数",
    "指标生分配比例",
    "指标生录取数",
    "跨区域招生数",
]


class AdmissionsView(RegulatorRequiredMixin, TemplateView):
    """Admission plans of a year (``?year=``): totals, counties short of the goals, schools; .xlsx."""

    template_name = "governance/admissions.html"

    def year(self) -> int | None:
        years = list(
            AdmissionPlan.objects.visible_to(self.request.user)
            .order_by("-year")
            .values_list("year", flat=True)
            .distinct()
        )
        raw = self.request.GET.get("year", "")
        self.years = years
        if raw.isdigit() and int(raw) in years:
            return int(raw)
        return years[0] if years else None

    def get(self, request, *args, **kwargs):
        year = self.year()
        plans = selectors.admission_plans(year=year or 0, user=request.user).select_related("county")
        if request.GET.get("format") == "xlsx":
            return xlsx_response(
                f"优质普通高中招生计划_{year}.xlsx",
                ADMISSION_HEADERS,
                (
                    [
                        p.year,
                        p.county.full_name,
                        p.school_code,
                        p.school_name,
                        p.plan_total,
                        p.quota_allocated,
                        p.quota_share,
                        p.quota_admitted,
                        p.cross_district,
                    ]
                    for p in plans
                ),
                title="招生计划",
            )
        context = self.get_context_data(
            year=year,
            years=self.years,
            plans=plans[:300],
            plan_count=plans.count(),
            figures=selectors.admission_figures(year=year, user=request.user) if year else None,
            shortfalls=selectors.admission_shortfalls(year=year, user=request.user) if year else [],
        )
        return self.render_to_response(context)


class PublicityView(RegulatorRequiredMixin, _PostMixin, TemplateView):
    template_name = "governance/publicity.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            events=PublicityEvent.objects.visible_to(self.request.user).select_related("region")[:200],
            form=forms.PublicityForm(user=self.request.user, initial={"held_on": timezone.localdate()}),
        )
        return context

    def post_add(self, request, *args, **kwargs):
        form = forms.PublicityForm(request.POST, user=request.user)
        if not form.is_valid():
            raise services.GovernanceError(_("请完整填写宣传活动"))
        d = form.cleaned_data
        services.publicity_record(
            actor=request.user,
            region_code=d["region"],
            kind=d["kind"],
            title=d["title"],
            held_on=d["held_on"],
            count=d["count"],
            partner=d["partner"],
        )
        messages.success(request, _("已登记"))


# --- Imports (upload page) ---------------------------------------------------------------------------------

IMPORT_KINDS = {
    "supervisors": _("社会监督员名册"),
    "admission-plans": _("优质普通高中招生计划"),
    "parent-schools": _("家长学校名册"),
}


class ImportView(RegulatorRequiredMixin, TemplateView):
    """Upload a supervisors / admission-plans / parent-schools file: all or nothing, rows limited to the
    uploader's region, every bad cell listed; ``?template=1`` downloads the empty template."""

    template_name = "governance/import.html"

    def dispatch(self, request, *args, **kwargs):
        if kwargs["kind"] not in IMPORT_KINDS:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        importer = importer_for(kwargs["kind"])
        if request.GET.get("template"):
            return xlsx_response(
                f"{IMPORT_KINDS[kwargs['kind']]}模板.xlsx",
                [c.header for c in importer.columns],
                [],
                title=str(IMPORT_KINDS[kwargs["kind"]]),
            )
        return self.render_to_response(
            self.get_context_data(
                form=forms.ImportForm(), columns=importer.columns, title=IMPORT_KINDS[kwargs["kind"]]
            )
        )

    def post(self, request, *args, **kwargs):
        importer_class = importer_for(kwargs["kind"])
        form = forms.ImportForm(request.POST, request.FILES)
        report, file_error = None, ""
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = importer_class(actor=request.user).run(
                    upload.name, data=upload.read(), filename=upload.name
                )
            except ImportFileError as error:
                file_error = str(error)
        return self.render_to_response(
            self.get_context_data(
                form=form,
                columns=importer_class.columns,
                title=IMPORT_KINDS[kwargs["kind"]],
                report=report,
                file_error=file_error,
            )
        )
