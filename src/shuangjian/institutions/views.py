"""Registry pages: regulators (list by region, detail, lifecycle, import, compliance, licensing),
institution staff (own data, applications) and the public (白名单 / 黑名单, no login).

Every scoped read goes through ``Model.objects.visible_to(request.user)``; a foreign record is 404.
Writes call :mod:`.services`; refused operations show the service's Chinese reason.
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView
from django_ratelimit.decorators import ratelimit

from shuangjian.common.importing import ImportFileError
from shuangjian.common.models import RuleParameter
from shuangjian.common.rules import RULES, province_prefix, rule_value
from shuangjian.common.scoping import regions_visible_to
from shuangjian.common.services import rule_parameter_set
from shuangjian.common.views import RegulatorRequiredMixin, ScopedQuerysetMixin
from shuangjian.regions.models import Region, RegionLevel

from . import selectors, services
from .choices import ApplicationState, Category, ItemStatus, Mode, Status, ViolationStatus
from .compliance import ALL_RULES, compliance_scan
from .forms import (
    ApplicationForm,
    DecisionForm,
    ImportForm,
    ItemForm,
    ParticularsForm,
    PractitionerEditForm,
    PractitionerForm,
    RegisterForm,
    ResolveForm,
    ResubmitForm,
    RuleParameterForm,
    SessionForm,
    SiteForm,
    TransitionForm,
)
from .importers import InstitutionImporter
from .models import (
    ApplicationMaterial,
    Institution,
    InstitutionProfile,
    LicenseApplication,
    Practitioner,
    Site,
    TrainingItem,
    Violation,
)


def _is_regulator(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.is_regulator))


def _regions_for(user) -> list[Region]:
    """Regions a regulator may filter by: every prefecture/county below its own."""
    return list(regions_visible_to(user, include_own=False))


class InstitutionListView(ScopedQuerysetMixin, ListView):
    """Institutions the user may open, by region, with filters (name / code, status, category,
    mode, fund supervision, active on a date)."""

    model = Institution
    paginate_by = 50
    template_name = "institutions/institution_list.html"

    def get(self, request, *args, **kwargs):
        user = request.user
        if getattr(user, "institution_id", None) and not _is_regulator(user):
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
            regions=_regions_for(self.request.user),
            statuses=Status.choices,
            categories=Category.choices,
            modes=Mode.choices,
            querystring=params.urlencode(),
            is_regulator=_is_regulator(self.request.user),
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
            is_regulator=_is_regulator(user),
            is_own=getattr(user, "institution_id", None) == inst.pk,
            actions=services.available_actions(inst) if _is_regulator(user) else [],
            transition_form=TransitionForm(),
        )
        return context


def _form_errors_text(form) -> str:
    """ "审核意见：请选择…；理由：…" — every error of a bound form, each with its field's label."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            parts.append(f"{label}：{error}" if label else str(error))
    return "；".join(parts) or str(_("提交的内容无效"))


def _scoped_institution(request, pk) -> Institution:
    return get_object_or_404(Institution.objects.visible_to(request.user), pk=pk)


class InstitutionTransitionView(RegulatorRequiredMixin, View):
    """POST: a lifecycle action on an institution in the regulator's scope (404 otherwise)."""

    def post(self, request, pk):
        inst = _scoped_institution(request, pk)
        form = TransitionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _form_errors_text(form))
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
        inst = _scoped_institution(request, pk)
        form = ParticularsForm(request.POST)
        if not form.is_valid():
            messages.error(request, _form_errors_text(form))
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


class OwnInstitutionMixin:
    """Institution staff editing their own institution's data (sites, staff, items, sessions)."""

    request: Any

    def institution(self, pk) -> Institution:
        inst = _scoped_institution(self.request, pk)
        if getattr(self.request.user, "institution_id", None) != inst.pk:
            raise PermissionDenied
        return inst


class _OwnFormView(OwnInstitutionMixin, View):
    form_class: Any = None
    title: Any = ""

    def save(self, inst: Institution, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def render_form(self, request, inst, form, **extra):
        return render(
            request,
            "institutions/form.html",
            {
                "form": form,
                "title": self.title,
                "institution": inst,
                **extra,
            },
        )

    def get(self, request, pk):
        inst = self.institution(pk)
        return self.render_form(request, inst, self.make_form(inst))

    def make_form(self, inst, data=None):
        return self.form_class(data)

    def post(self, request, pk):
        inst = self.institution(pk)
        form = self.make_form(inst, request.POST)
        if form.is_valid():
            try:
                self.save(inst, form.cleaned_data)
            except services.RegistryError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("已保存"))
                return redirect("institutions:detail", pk=inst.pk)
        return self.render_form(request, inst, form)


class SiteAddView(_OwnFormView):
    form_class = SiteForm
    title = _("登记办学场所")

    def save(self, inst, data):
        services.site_save(institution=inst, actor=self.request.user, **data)


class PractitionerAddView(_OwnFormView):
    form_class = PractitionerForm
    title = _("登记从业人员")

    def save(self, inst, data):
        services.practitioner_save(institution=inst, actor=self.request.user, **data)


class ItemAddView(_OwnFormView):
    form_class = ItemForm
    title = _("登记培训项目")

    def save(self, inst, data):
        price = data.pop("price_yuan")
        services.item_save(institution=inst, actor=self.request.user, price_per_hour_fen=price, **data)


class _OwnEditView(OwnInstitutionMixin, View):
    """Edit one of the caller's own institution's records (404 when not visible, 403 when not own)."""

    model: Any = None
    form_class: Any = None
    title: Any = ""

    def _object(self, pk):
        obj = get_object_or_404(self.model.objects.visible_to(self.request.user), pk=pk)
        self.institution(obj.institution_id)
        return obj

    def initial(self, obj) -> dict[str, Any]:
        raise NotImplementedError

    def save(self, obj, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def _render(self, obj, form):
        return render(
            self.request,
            "institutions/form.html",
            {"form": form, "title": self.title, "institution": obj.institution},
        )

    def get(self, request, pk):
        obj = self._object(pk)
        return self._render(obj, self.form_class(initial=self.initial(obj)))

    def post(self, request, pk):
        obj = self._object(pk)
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                self.save(obj, dict(form.cleaned_data))
            except services.RegistryError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("已保存"))
                return redirect("institutions:detail", pk=obj.institution_id)
        return self._render(obj, form)


class SiteEditView(_OwnEditView):
    model = Site
    form_class = SiteForm
    title = _("修改办学场所")

    def initial(self, obj):
        return {
            "address": obj.address,
            "floor_area_m2": obj.floor_area_m2,
            "capacity": obj.capacity,
            "fire_safety_ok": obj.fire_safety_ok,
        }

    def save(self, obj, data):
        services.site_save(institution=obj.institution, actor=self.request.user, site=obj, **data)


class PractitionerEditView(_OwnEditView):
    model = Practitioner
    form_class = PractitionerEditForm
    title = _("修改从业人员")

    def initial(self, obj):
        fields = [
            "name",
            "role",
            "subject",
            "teaches_subject_training",
            "teacher_certificate",
            "professional_certificate",
            "in_service_teacher",
            "background_check",
            "active",
        ]
        return {f: getattr(obj, f) for f in fields}

    def save(self, obj, data):
        services.practitioner_save(
            institution=obj.institution, actor=self.request.user, practitioner=obj, **data
        )


class ItemEditView(_OwnEditView):
    model = TrainingItem
    form_class = ItemForm
    title = _("修改培训项目（修改后需重新核准）")

    def initial(self, obj):
        fields = [
            "name",
            "description",
            "category",
            "subject_area",
            "mode",
            "class_size",
            "class_minutes",
            "total_hours",
        ]
        values = {f: getattr(obj, f) for f in fields}
        values.update(grades=obj.grade_list, price_yuan=f"{obj.price_per_hour_fen / 100:.2f}")
        return values

    def save(self, obj, data):
        price = data.pop("price_yuan")
        services.item_save(
            institution=obj.institution, actor=self.request.user, item=obj, price_per_hour_fen=price, **data
        )


class SessionAddView(OwnInstitutionMixin, View):
    """Institution staff schedule a session of one of their items."""

    def _item(self, pk) -> TrainingItem:
        item = get_object_or_404(
            TrainingItem.objects.visible_to(self.request.user).select_related("institution"), pk=pk
        )
        self.institution(item.institution_id)
        return item

    def _form(self, item, data=None):
        return SessionForm(data, practitioners=item.institution.practitioners.filter(active=True))

    def get(self, request, pk):
        item = self._item(pk)
        return render(
            request,
            "institutions/form.html",
            {"form": self._form(item), "title": _("排课：%s") % item.name, "institution": item.institution},
        )

    def post(self, request, pk):
        item = self._item(pk)
        form = self._form(item, request.POST)
        if form.is_valid():
            try:
                session = services.session_add(item=item, actor=request.user, **form.cleaned_data)
            except services.RegistryError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("已排课"))
                from .compliance import check_institution

                time_rules = ["TIME-REST-DAY", "TIME-ONLINE-LENGTH", "TIME-ONLINE-BREAK", "TIME-LATEST-END"]
                for rule, finding in check_institution(item.institution, rule_ids=time_rules):
                    if finding.fingerprint == f"session:{session.pk}":
                        messages.warning(
                            request,
                            _("注意：该节课违反“%(title)s”（%(source)s），将被列入违规记录")
                            % {"title": rule.title, "source": rule.source},
                        )
                return redirect("institutions:detail", pk=item.institution_id)
        return render(
            request,
            "institutions/form.html",
            {"form": form, "title": _("排课：%s") % item.name, "institution": item.institution},
        )


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


# --- import ---------------------------------------------------------------------------------------
class ImportView(RegulatorRequiredMixin, View):
    """Upload a registry file (same rules as ``shuangjian import institutions``); row errors shown.

    A regulator below the province may only import rows of its own region: rows elsewhere are
    reported as errors (nothing changes unless 跳过错误行).
    """

    template_name = "institutions/import.html"

    def get(self, request):
        return render(
            request, self.template_name, {"form": ImportForm(), "columns": InstitutionImporter.columns}
        )

    def post(self, request):
        form = ImportForm(request.POST, request.FILES)
        report = None
        error = ""
        if form.is_valid():
            upload = form.cleaned_data["file"]
            importer = ScopedInstitutionImporter(actor=request.user)
            try:
                report = importer.run(
                    upload.name,
                    data=upload.read(),
                    filename=upload.name,
                    skip_invalid=form.cleaned_data["skip_invalid"],
                )
            except ImportFileError as exc:
                error = str(exc)
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "report": report,
                "error": error,
                "columns": InstitutionImporter.columns,
                "shown_errors": report.errors[:500] if report else [],
            },
        )


class ScopedInstitutionImporter(InstitutionImporter):
    """The registry importer restricted to the acting regulator's region subtree."""

    def validate_records(self, records):
        from shuangjian.common.importing import RowError

        errors = super().validate_records(records)
        region = getattr(self.actor, "region", None)
        if region is not None and not self.actor.is_superuser:
            for number, rec in records:
                if not region.contains(rec.county):
                    errors.append(
                        RowError(
                            number, "区县代码", f"“{rec.county}”不在本单位管辖范围（{region.full_name}）内"
                        )
                    )
        return errors


# --- compliance -----------------------------------------------------------------------------------
class ViolationListView(RegulatorRequiredMixin, ListView):
    """Violations in the regulator's region, filterable by region, rule, status, source and
    institution; counts per county; ``institutions:violations_export`` gives the same as .xlsx."""

    paginate_by = 50
    template_name = "institutions/violation_list.html"

    def get_queryset(self):
        qs = Violation.objects.visible_to(self.request.user).select_related(
            "institution", "institution__county"
        )
        if "status" not in self.request.GET:
            qs = qs.filter(status=ViolationStatus.OPEN)
        return selectors.violations_filter(qs, self.request.GET)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        by_county = (
            self.get_queryset()
            .values("institution__county__full_name")
            .annotate(n=Count("id"))
            .order_by("-n")[:30]
        )
        params = self.request.GET.copy()
        params.pop("page", None)
        context.update(
            regions=_regions_for(self.request.user),
            rules=ALL_RULES,
            statuses=ViolationStatus.choices,
            by_county=by_county,
            querystring=params.urlencode(),
            sources=sorted(
                set(Violation.objects.visible_to(self.request.user).values_list("source", flat=True))
            ),
        )
        return context


class ViolationExportView(ViolationListView):
    """The filtered violations as an .xlsx workbook (openpyxl)."""

    def get(self, request, *args, **kwargs):
        import openpyxl

        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = "违规记录"
        sheet.append(
            [
                "区县",
                "统一社会信用代码",
                "机构名称",
                "规则编号",
                "违规事项",
                "证据",
                "政策依据",
                "来源",
                "发现时间",
                "状态",
                "处理说明",
            ]
        )
        for v in self.get_queryset().iterator(chunk_size=2000):
            evidence = "；".join(f"{k}：{val}" for k, val in (v.evidence or {}).items())
            sheet.append(
                [
                    v.institution.county.full_name,
                    v.institution.credit_code,
                    v.institution.name,
                    v.rule_id,
                    v.title,
                    evidence[:32000],
                    v.policy_source,
                    v.source,
                    timezone.localtime(v.detected_at).strftime("%Y-%m-%d %H:%M"),
                    v.get_status_display(),
                    v.resolution,
                ]
            )
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        stamp = timezone.localdate().strftime("%Y%m%d")
        response["Content-Disposition"] = f"attachment; filename=violations-{stamp}.xlsx"
        return response


class ViolationResolveView(RegulatorRequiredMixin, View):
    """POST: mark a violation in scope as handled, with a note."""

    def post(self, request, pk):
        violation = get_object_or_404(Violation.objects.visible_to(request.user), pk=pk)
        form = ResolveForm(request.POST)
        if form.is_valid():
            try:
                services.violation_resolve(
                    violation=violation, actor=request.user, resolution=form.cleaned_data["resolution"]
                )
                messages.success(request, _("已标记为已处理"))
            except services.RegistryError as error:
                messages.error(request, str(error))
        else:
            messages.error(request, _("请填写处理说明"))
        return redirect(request.POST.get("next") or reverse("institutions:violations"))


class ScanView(RegulatorRequiredMixin, View):
    """POST: run the compliance scan over the regulator's own region."""

    def post(self, request):
        region = None if request.user.is_superuser else request.user.region_id
        result = compliance_scan(region_code=region)
        messages.success(request, result.summary())
        for warning in result.warnings:
            messages.warning(request, warning)
        return redirect("institutions:violations")


class RulesView(RegulatorRequiredMixin, View):
    """The compliance rules with their sources and current parameter values; the provincial
    regulator sets values (whole province or one region) here."""

    def _context(self, request, form=None):
        region = None if request.user.is_superuser else request.user.region_id
        keys = sorted(
            {k for rule in ALL_RULES for k in rule.params} | {"institutions.review_deadline_workdays"}
        )
        overrides = RuleParameter.objects.filter(key__startswith="institutions.").select_related("region")
        return {
            "rules": [(r, r.parameters(region)) for r in ALL_RULES],
            "deadline": {
                "spec": RULES["institutions.review_deadline_workdays"],
                "value": rule_value("institutions.review_deadline_workdays", region),
            },
            "overrides": overrides,
            "can_edit": request.user.is_provincial,
            "form": form or RuleParameterForm(keys=keys),
        }

    def get(self, request):
        return render(request, "institutions/rules.html", self._context(request))

    def post(self, request):
        if not request.user.is_provincial:
            raise PermissionDenied
        keys = sorted(
            {k for rule in ALL_RULES for k in rule.params} | {"institutions.review_deadline_workdays"}
        )
        form = RuleParameterForm(request.POST, keys=keys)
        if form.is_valid():
            data = form.cleaned_data
            rule_parameter_set(
                key=data["key"],
                region_code=data["region"] or None,
                value=data["value"],
                note=data["note"],
                actor=request.user,
            )
            messages.success(request, _("规则参数已保存"))
            return redirect("institutions:rules")
        return render(request, "institutions/rules.html", self._context(request, form))


# --- licensing ------------------------------------------------------------------------------------
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
            can_decide=_is_regulator(user) and app.state == ApplicationState.SUBMITTED,
            can_reject=_is_regulator(user)
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
            messages.error(request, _form_errors_text(form))
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


# --- public pages (no login) ----------------------------------------------------------------------
def _limited(request) -> HttpResponse:
    return render(request, "institutions/public_limited.html", status=429)


@method_decorator(login_not_required, name="dispatch")
@method_decorator(ratelimit(key="ip", rate="30/m", method="GET", block=False), name="get")
class PublicSearchView(View):
    """白名单: search licensed institutions by name, credit code or county (rate-limited per IP)."""

    def get(self, request):
        if getattr(request, "limited", False):
            return _limited(request)
        q = (request.GET.get("q") or "").strip()[:60]
        county = (request.GET.get("county") or "").strip()[:20]
        results = None
        if q or county:
            qs = selectors.public_whitelist(q=q, county=county).annotate(
                n_items=Count("items", filter=Q(items__status=ItemStatus.APPROVED))
            )
            results = Paginator(qs, 30).get_page(request.GET.get("page"))
        return render(
            request,
            "institutions/public_search.html",
            {
                "q": q,
                "county": county,
                "results": results,
                "counties": Region.objects.filter(
                    level=RegionLevel.COUNTY, code__startswith=province_prefix()
                ),
            },
        )


@method_decorator(login_not_required, name="dispatch")
@method_decorator(ratelimit(key="ip", rate="60/m", method="GET", block=False), name="get")
class PublicDetailView(View):
    """A licensed (or blacklisted) institution's public page: licence, approved items and prices."""

    def get(self, request, credit_code):
        if getattr(request, "limited", False):
            return _limited(request)
        inst = get_object_or_404(
            Institution.objects.select_related("county").filter(
                status__in=[Status.LICENSED, Status.RECTIFYING, Status.REVOKED, Status.BANNED]
            ),
            credit_code=credit_code.upper(),
        )
        return render(
            request,
            "institutions/public_detail.html",
            {
                "inst": inst,
                "items": selectors.public_items(inst) if inst.is_operating else [],
                "episodes": inst.episodes.all(),
                "former_names": selectors.institution_former_names(inst),
            },
        )


@method_decorator(login_not_required, name="dispatch")
@method_decorator(ratelimit(key="ip", rate="60/m", method="GET", block=False), name="get")
class PublicBlacklistView(View):
    """黑名单: revoked licences and unlicensed operators closed by the regulator, searchable by the
    current or an earlier name or the credit code (``?q=``)."""

    def get(self, request):
        if getattr(request, "limited", False):
            return _limited(request)
        q = (request.GET.get("q") or "").strip()[:60]
        page = Paginator(selectors.public_blacklist(q=q), 50).get_page(request.GET.get("page"))
        return render(request, "institutions/public_blacklist.html", {"page": page, "q": q})
