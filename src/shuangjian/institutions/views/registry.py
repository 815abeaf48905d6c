"""Registry pages of regulators: the institution list and detail, lifecycle actions, dated changes
of particulars, registering an applicant or a closed unlicensed operator, item approval."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView

from shuangjian.common.views import RegulatorRequiredMixin, ScopedQuerysetMixin
from shuangjian.regions.models import Region, RegionLevel

from .. import selectors, services
from ..choices import Category, Mode, Status, ViolationStatus
from ..forms import ParticularsForm, RegisterForm, TransitionForm
from ..models import Institution, InstitutionProfile, TrainingItem
from ._shared import form_errors_text, is_regulator, regions_for, scoped_institution


class InstitutionListView(ScopedQuerysetMixin, ListView):
    """Institutions the user may open, by region, with filters (name / code, status, category,
    mode, fund supervision, active on a date)."""

    model = Institution
    paginate_by = 50
    template_name = "institutions/institution_list.html"

    def get(self, request, *args, **kwargs):
        user = request.user
        if getattr(user, "institution_id", None) and not is_regulator(user):
            return redirect("institutions:detail", pk=user.institution_id)  # staff: their own page
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        qs = super().get_queryset().select_related("county")
        return selectors.institution_filter(qs, self.request.GET)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        context.update(
            regions=regions_for(self.request.user),
            statuses=Status.choices,
            categories=Category.choices,
            modes=Mode.choices,
            querystring=params.urlencode(),
            is_regulator=is_regulator(self.request.user),
            total=self.get_queryset().count(),
        )
        return context


class InstitutionDetailView(ScopedQuerysetMixin, DetailView):
    """One institution: episodes, sites, staff, items and sessions, applications, violations and
    its audit history; lifecycle actions for regulators. 404 outside the user's scope."""

    model = Institution
    template_name = "institutions/institution_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        inst = self.object
        user = self.request.user
        history = []
        for record in inst.history.select_related("history_user").order_by("-history_date")[:30]:
            history.append(
                {
                    "when": record.history_date,
                    "who": record.history_user,
                    "what": _("机构"),
                    "reason": record.history_change_reason or "",
                    "status": record.get_status_display(),
                }
            )
        for episode in inst.episodes.all():
            for record in episode.history.select_related("history_user").order_by("-history_date")[:10]:
                history.append(
                    {
                        "when": record.history_date,
                        "who": record.history_user,
                        "what": _("办学期间：%s") % episode.get_category_display(),
                        "reason": record.history_change_reason or "",
                        "status": "",
                    }
                )
        for record in (
            InstitutionProfile.history.filter(institution_id=inst.pk)
            .select_related("history_user")
            .order_by("-history_date")[:20]
        ):
            history.append(
                {
                    "when": record.history_date,
                    "who": record.history_user,
                    "what": _("登记事项"),
                    "reason": record.history_change_reason or "",
                    "status": "",
                }
            )
        history.sort(key=lambda h: h["when"], reverse=True)
        context.update(
            name_history=selectors.institution_name_history(inst),
            former_names=selectors.institution_former_names(inst),
            profiles=inst.profiles.select_related("episode", "county").order_by(
                "valid_from", "episode__approved_on"
            ),
            particulars_form=ParticularsForm(),
            episodes=inst.episodes.all(),
            sites=inst.sites.all(),
            practitioners=inst.practitioners.all(),
            items=inst.items.prefetch_related("sessions"),
            applications=inst.applications.all(),
            violations=inst.violations.filter(status=ViolationStatus.OPEN)[:50],
            history=history[:40],
            is_regulator=is_regulator(user),
            is_own=getattr(user, "institution_id", None) == inst.pk,
            actions=services.available_actions(inst) if is_regulator(user) else [],
            transition_form=TransitionForm(),
        )
        return context


class InstitutionTransitionView(RegulatorRequiredMixin, View):
    """POST: a lifecycle action on an institution in the regulator's scope (404 otherwise)."""

    def post(self, request, pk):
        inst = scoped_institution(request, pk)
        form = TransitionForm(request.POST)
        if not form.is_valid():
            messages.error(request, form_errors_text(form))
        else:
            try:
                services.institution_transition(
                    institution=inst,
                    action=form.cleaned_data["action"],
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    on=form.cleaned_data["on"],
                )
                messages.success(request, _("操作已完成"))
            except services.RegistryError as error:
                messages.error(request, str(error))
        return redirect("institutions:detail", pk=inst.pk)


class InstitutionParticularsView(RegulatorRequiredMixin, View):
    """POST: a dated change of registered particulars (rename, fund supervision) on an institution in
    the regulator's scope (404 otherwise); audited with the user and the reason."""

    def post(self, request, pk):
        inst = scoped_institution(request, pk)
        form = ParticularsForm(request.POST)
        if not form.is_valid():
            messages.error(request, form_errors_text(form))
        else:
            data = form.cleaned_data
            fund = {"1": True, "0": False}.get(data.get("fund_supervised") or "")
            try:
                services.institution_particulars_change(
                    institution=inst,
                    actor=request.user,
                    on=data["on"],
                    reason=data["reason"],
                    name=(data.get("name") or "").strip() or None,
                    fund_supervised=fund,
                )
                messages.success(request, _("登记事项变更已记录"))
            except services.RegistryError as error:
                messages.error(request, str(error))
        return redirect("institutions:detail", pk=inst.pk)


class RegisterView(RegulatorRequiredMixin, View):
    """A regulator registers an applicant institution (申请中) or a closed unlicensed operator
    (无证取缔 → 黑名单) in a county of its own region."""

    def _counties(self):
        user = self.request.user
        qs = Region.objects.filter(level=RegionLevel.COUNTY)
        if not user.is_superuser:
            qs = qs.filter(code__startswith=user.region.subtree_prefix)
        return list(qs)

    def _render(self, form):
        return render(self.request, "institutions/form.html", {"form": form, "title": _("登记机构")})

    def get(self, request):
        return self._render(RegisterForm(counties=self._counties()))

    def post(self, request):
        form = RegisterForm(request.POST, counties=self._counties())
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["kind"] == "UNLICENSED":
                    inst = services.unlicensed_record_closed(
                        credit_code=data["credit_code"],
                        name=data["name"],
                        county_code=data["county"],
                        address=data["address"],
                        actor=request.user,
                        reason=data["reason"],
                    )
                else:
                    inst = services.institution_register_applicant(
                        credit_code=data["credit_code"],
                        name=data["name"],
                        county_code=data["county"],
                        address=data["address"],
                        nature=data["nature"],
                        category=data["category"],
                        actor=request.user,
                    )
            except services.RegistryError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("已登记"))
                return redirect("institutions:detail", pk=inst.pk)
        return self._render(form)


class ItemStatusView(RegulatorRequiredMixin, View):
    """POST: a regulator approves (核准) or withdraws (下架) a training item in its scope."""

    def post(self, request, pk):
        item = get_object_or_404(TrainingItem.objects.visible_to(request.user), pk=pk)
        try:
            services.item_set_status(
                item=item,
                actor=request.user,
                status=request.POST.get("status", ""),
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("项目状态已更新"))
        except services.RegistryError as error:
            messages.error(request, str(error))
        return redirect("institutions:detail", pk=item.institution_id)
