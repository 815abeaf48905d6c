"""Licensing pages: licence applications (list, filing, detail, decision, resubmission) and their
material files."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView

from shuangjian.common.views import RegulatorRequiredMixin, ScopedQuerysetMixin

from .. import services
from ..choices import ApplicationState, Status
from ..forms import ApplicationForm, DecisionForm, ResubmitForm
from ..models import ApplicationMaterial, Institution, LicenseApplication
from ._shared import form_errors_text, is_regulator


class ApplicationListView(ScopedQuerysetMixin, ListView):
    """Licence applications: a regulator's region, or an institution's own (filter by state)."""

    model = LicenseApplication
    paginate_by = 50
    template_name = "institutions/application_list.html"

    def get_queryset(self):
        qs = super().get_queryset().select_related("institution", "institution__county")
        state = self.request.GET.get("state")
        if state in ApplicationState.values:
            qs = qs.filter(state=state)
        return qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        inst = getattr(user, "institution", None)
        context.update(
            states=ApplicationState.choices,
            today=timezone.localdate(),
            can_apply=bool(inst and inst.status == Status.APPLYING),
        )
        return context


class ApplicationCreateView(View):
    """Institution staff file a licence application with the required materials."""

    def _inst(self, request) -> Institution:
        inst = getattr(request.user, "institution", None)
        if inst is None:
            raise PermissionDenied
        return inst

    def get(self, request):
        inst = self._inst(request)
        form = ApplicationForm(
            initial={"category": inst.category, "mode": inst.mode, "audiences": inst.audience_list}
        )
        return render(request, "institutions/application_form.html", {"form": form, "institution": inst})

    def post(self, request):
        inst = self._inst(request)
        form = ApplicationForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                application = services.application_submit(
                    institution=inst,
                    actor=request.user,
                    category=form.cleaned_data["category"],
                    mode=form.cleaned_data["mode"],
                    audiences=form.cleaned_data["audiences"],
                    description=form.cleaned_data["description"],
                    materials=form.materials(),
                )
            except services.RegistryError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("申请已提交，办理期限：%s") % application.due_on.isoformat())
                return redirect("institutions:application_detail", pk=application.pk)
        return render(request, "institutions/application_form.html", {"form": form, "institution": inst})


class ApplicationDetailView(ScopedQuerysetMixin, DetailView):
    """One application: status, deadline, materials, the reviewer's reason; review form for the
    regulator, resubmission form for the applicant after 需补正."""

    model = LicenseApplication
    template_name = "institutions/application_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        app = self.object
        user = self.request.user
        context.update(
            materials=app.materials.all(),
            can_decide=is_regulator(user) and app.state == ApplicationState.SUBMITTED,
            can_reject=is_regulator(user)
            and app.state in (ApplicationState.SUBMITTED, ApplicationState.CHANGES_REQUESTED),
            can_resubmit=getattr(user, "institution_id", None) == app.institution_id
            and app.state == ApplicationState.CHANGES_REQUESTED,
            decision_form=DecisionForm(),
            resubmit_form=ResubmitForm(),
            history=app.history.select_related("history_user").order_by("-history_date"),
            overdue=app.state == ApplicationState.SUBMITTED and app.due_on < timezone.localdate(),
        )
        return context


class ApplicationDecideView(RegulatorRequiredMixin, View):
    """POST: approve / request changes / reject an application in the regulator's scope."""

    def post(self, request, pk):
        app = get_object_or_404(LicenseApplication.objects.visible_to(request.user), pk=pk)
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                app = services.application_decide(
                    application=app,
                    actor=request.user,
                    decision=form.cleaned_data["decision"],
                    reason=form.cleaned_data["reason"],
                )
                messages.success(request, _("审核意见已保存：%s") % app.get_state_display())
            except services.RegistryError as error:
                messages.error(request, str(error))
        else:
            messages.error(request, form_errors_text(form))
        return redirect("institutions:application_detail", pk=app.pk)


class ApplicationResubmitView(View):
    """POST: the applicant adds materials and resubmits after 需补正."""

    def post(self, request, pk):
        app = get_object_or_404(LicenseApplication.objects.visible_to(request.user), pk=pk)
        if getattr(request.user, "institution_id", None) != app.institution_id:
            raise PermissionDenied
        form = ResubmitForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.application_resubmit(
                    application=app,
                    actor=request.user,
                    description=form.cleaned_data["description"],
                    materials=form.materials(),
                )
                messages.success(request, _("已重新提交"))
            except services.RegistryError as error:
                messages.error(request, str(error))
        return redirect("institutions:application_detail", pk=app.pk)


class MaterialDownloadView(View):
    """A material file, for the applicant and the regulators in scope (404 otherwise)."""

    def get(self, request, pk):
        material = get_object_or_404(ApplicationMaterial.objects.visible_to(request.user), pk=pk)
        try:
            handle = material.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        ext = material.file.name.rsplit(".", 1)[-1]
        return FileResponse(
            handle,
            content_type=material.content_type,
            as_attachment=True,
            filename=f"{material.get_kind_display()}-{material.pk}.{ext}",
        )
