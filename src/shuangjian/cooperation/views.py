"""Pages of school–enterprise cooperation (校企合作): overview with charts by city and by 专业大类,
programmes (filing workflow, agreements, mentors, apprentices, 工学交替 plan, annual reports, order-class
outcomes), placement rates, enterprises, the 1+X catalogue and assessment sites (application, review,
revocation, results), industry–education bodies, craftsmen and training volumes.

Every read goes through ``Model.objects.visible_to(request.user)`` (foreign ids answer 404); every
write calls :mod:`.services` on POST. Lists export the same rows as .xlsx (``?format=xlsx``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from shuangjian.common.exporting import xlsx_response
from shuangjian.common.kpicards import kpi_info, kpi_values
from shuangjian.common.rules import rule_value
from shuangjian.regions.models import Region, RegionLevel

from . import access, forms, selectors, services
from .checks import programme_checks
from .choices import FilingState, ProgrammeKind, SiteState
from .models import (
    AssessmentSession,
    AssessmentSite,
    CraftsmanRecognition,
    Enterprise,
    IndustryEducationBody,
    Programme,
    TrainingVolume,
    XCertificate,
)

OVERVIEW_KPIS = [
    "vocational.apprenticeship.schools",
    "vocational.apprenticeship.majors",
    "vocational.apprenticeship.students",
    "vocational.order_class.schools",
    "vocational.order_class.students",
    "vocational.order_class.placement_rate",
    "vocational.x_certificate.pilot_share",
    "vocational.x_certificate.sites",
    "vocational.x_certificate.sites_active",
    "vocational.x_certificate.pass_rate",
]


def _date(value: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default


def _display(kpi_id: str, value: Any) -> str:
    if value is None:
        return "—"
    if kpi_info([kpi_id])[kpi_id]["is_rate"]:
        return f"{value * 100:.2f}%"
    return f"{value:,}"


class StaffOrRegulatorMixin(LoginRequiredMixin):
    """Regulators and vocational-school staff (each sees only their scope)."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not (
            user.is_superuser or user.is_regulator or access.user_school_id(user)
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class OverviewView(StaffOrRegulatorMixin, TemplateView):
    """校企合作 overview: the document's figures for the user's region, charts by city and 专业大类."""

    template_name = "cooperation/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        as_of = _date(self.request.GET.get("as_of"), timezone.localdate())
        region_code = None
        if self.request.GET.get("region"):
            region = Region.objects.filter(code=self.request.GET["region"]).first()
            prefix = user.region.subtree_prefix if getattr(user, "region_id", None) else ""
            if region is None or not region.code.startswith(prefix):
                raise Http404
            region_code = region.code
        values = kpi_values(OVERVIEW_KPIS, user=user, as_of=as_of, region_code=region_code)
        info = kpi_info(OVERVIEW_KPIS)
        cards = [
            {
                "id": k,
                "name": info[k]["name"],
                "value": _display(k, values[k]),
                "definition": info[k]["definition"],
            }
            for k in OVERVIEW_KPIS
        ]

        def scoped(model):  # the user's scope, then the region's subtree (as the KPI registry scopes)
            qs = model.objects.visible_to(user)
            return qs.in_region(region_code) if region_code else qs

        programmes = scoped(Programme)
        app = selectors.apprenticeship_programmes(programmes, as_of)
        oc = selectors.active_programmes(programmes, as_of, ProgrammeKind.ORDER_CLASS)
        cities = {
            r.code: r.name for r in Region.objects.filter(level=RegionLevel.PREFECTURE, code__startswith="43")
        }
        app_city, oc_city = selectors.by_city(app), selectors.by_city(oc)
        city_codes = sorted(set(app_city) | set(oc_city))
        by_city = {
            "names": [cities.get(c, c) for c in city_codes],
            "apprenticeship": [app_city.get(c, {}).get("students", 0) for c in city_codes],
            "order_class": [oc_city.get(c, {}).get("students", 0) for c in city_codes],
        }
        cat_app, cat_oc = selectors.by_major_category(app), selectors.by_major_category(oc)
        cats = sorted(
            set(cat_app) | set(cat_oc),
            key=lambda c: -(cat_app.get(c, {}).get("students", 0) + cat_oc.get(c, {}).get("students", 0)),
        )
        by_category = {
            "names": cats,
            "apprenticeship": [cat_app.get(c, {}).get("students", 0) for c in cats],
            "order_class": [cat_oc.get(c, {}).get("students", 0) for c in cats],
        }
        city_rows = [
            {"name": cities.get(c, c), "app": app_city.get(c, {}), "oc": oc_city.get(c, {})}
            for c in city_codes
        ]
        context.update(
            as_of=as_of,
            cards=cards,
            by_city=by_city,
            by_category=by_category,
            city_rows=city_rows,
            category_rows=[{"name": c, "app": cat_app.get(c, {}), "oc": cat_oc.get(c, {})} for c in cats],
            pending=selectors.overdue_reviews(programmes, timezone.localdate()).count(),
            to_review=programmes.filter(state=FilingState.SUBMITTED).count(),
            sites_to_review=scoped(AssessmentSite).filter(state=SiteState.APPLIED).count(),
        )
        return context


# --- programmes ---------------------------------------------------------------------------------
PROGRAMME_HEADERS = [
    "项目编号",
    "项目类型",
    "学校",
    "办学层次",
    "区县",
    "专业代码",
    "专业名称",
    "专业大类",
    "合作企业",
    "企业信用代码",
    "年级",
    "学生人数",
    "协议签订日期",
    "结束日期",
    "备案状态",
    "订单企业录用率",
]


def programme_row(p: Programme) -> list:
    outcome = getattr(p, "outcome", None)
    return [
        p.code,
        p.get_kind_display(),
        p.school.name,
        p.school.get_level_display(),
        p.school.county.full_name,
        p.major_code,
        p.major_name,
        p.major_category,
        p.enterprise.name,
        p.enterprise.credit_code,
        p.entry_year,
        p.students,
        p.agreement_signed_on,
        p.ended_on,
        p.get_state_display(),
        outcome.placement_rate if outcome else None,
    ]


def filtered_programmes(request) -> Any:
    g = request.GET
    qs = selectors.programmes_visible(request.user).select_related("outcome")
    if g.get("kind") in ProgrammeKind.values:
        qs = qs.filter(kind=g["kind"])
    if g.get("state") in FilingState.values:
        qs = qs.filter(state=g["state"])
    if g.get("q"):
        q = g["q"].strip()
        qs = qs.filter(
            Q(code__icontains=q)
            | Q(school__name__icontains=q)
            | Q(enterprise__name__icontains=q)
            | Q(major_name__icontains=q)
            | Q(major_code__startswith=q)
        )
    if g.get("region"):
        qs = qs.filter(school__county__code__startswith=g["region"].rstrip("0") or "43")
    if g.get("low") == "1":
        threshold = float(rule_value("cooperation.low_placement_rate"))
        low = [
            o.programme_id
            for o in selectors.OrderClassOutcome.objects.filter(programme__in=qs)
            if o.placement_rate is not None and o.placement_rate < threshold
        ]
        qs = qs.filter(pk__in=low)
    return qs.order_by("-entry_year", "code")


class ProgrammeListView(StaffOrRegulatorMixin, TemplateView):
    """校企合作项目 list with filters (type, state, text, low placement) and .xlsx export."""

    template_name = "cooperation/programme_list.html"

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "xlsx":
            return xlsx_response(
                "校企合作项目.xlsx",
                PROGRAMME_HEADERS,
                (programme_row(p) for p in filtered_programmes(request)),
                title="校企合作项目",
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(filtered_programmes(self.request), 50).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            page=page,
            g=self.request.GET,
            query=query.urlencode(),
            kinds=ProgrammeKind.choices,
            states=FilingState.choices,
            can_create=bool(access.user_school_id(self.request.user)),
            low_threshold=rule_value("cooperation.low_placement_rate"),
        )
        return context


class ProgrammeCreateView(LoginRequiredMixin, TemplateView):
    """A vocational school's staff file a new programme (草稿)."""

    template_name = "cooperation/programme_form.html"

    def school(self):
        school_id = access.user_school_id(self.request.user)
        if not school_id:
            raise PermissionDenied
        return self.request.user.vocational_school

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", forms.ProgrammeForm(school=self.school()))
        return context

    def post(self, request, *args, **kwargs):
        school = self.school()
        form = forms.ProgrammeForm(request.POST, school=school)
        if form.is_valid():
            d = form.cleaned_data
            try:
                enterprise, _created = services.enterprise_upsert(
                    credit_code=d["credit_code"],
                    name=d["enterprise_name"],
                    industry=d["industry"],
                    actor=request.user,
                )
                programme = services.programme_create(
                    actor=request.user,
                    school=school,
                    kind=d["kind"],
                    major_code=d["major_code"],
                    enterprise=enterprise,
                    entry_year=d["entry_year"],
                    students=d["students"],
                    agreement_signed_on=d["agreement_signed_on"],
                    name=d["name"],
                )
            except services.CooperationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("项目已创建（草稿），请登记导师、学徒和工学交替安排后提交备案。"))
                return redirect("cooperation:programme", programme.pk)
        return self.render_to_response(self.get_context_data(form=form))


class ProgrammeDetailView(StaffOrRegulatorMixin, TemplateView):
    """A programme: agreements, mentors, apprentices, plan, checks, reports, outcome, history, actions."""

    template_name = "cooperation/programme_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        programme = get_object_or_404(selectors.programmes_visible(self.request.user), pk=kwargs["pk"])
        user = self.request.user
        staff = access.is_school_staff_of(user, programme.school) and access.user_school_id(user) is not None
        editable = staff and programme.state in (FilingState.DRAFT, FilingState.RETURNED)
        context.update(
            p=programme,
            staff=staff,
            editable=editable,
            reviewer=programme.state == FilingState.SUBMITTED
            and access.can_review_filing(user, programme.school),
            reviewer_label=access.reviewer_level_label(programme.school),
            findings=programme_checks(programme)
            if programme.kind == ProgrammeKind.APPRENTICESHIP or editable
            else [],
            agreements=programme.agreements.select_related("apprentice"),
            mentors=programme.mentors.all(),
            apprentices=programme.apprentices.select_related(
                "school_mentor", "enterprise_mentor", "agreement"
            ),
            periods=programme.periods.all(),
            reports=programme.annual_reports.all(),
            outcome=getattr(programme, "outcome", None),
            history=programme.history.select_related("history_user").order_by("-history_date")[:30],
            mentor_form=forms.MentorForm(),
            apprentice_form=forms.ApprenticeForm(programme=programme),
            period_form=forms.PeriodForm(),
            report_form=forms.AnnualReportForm(),
            outcome_form=forms.OutcomeForm(),
            complete_form=forms.CompleteForm(),
            review_form=forms.ReviewForm(),
            today=timezone.localdate(),
        )
        return context


class ProgrammeActionView(LoginRequiredMixin, View):
    """POST one action on a programme (fetched through visible_to: a foreign id is 404)."""

    FORMS = {
        "mentor": forms.MentorForm,
        "apprentice": forms.ApprenticeForm,
        "period": forms.PeriodForm,
        "report": forms.AnnualReportForm,
        "outcome": forms.OutcomeForm,
        "complete": forms.CompleteForm,
        "review": forms.ReviewForm,
    }

    def post(self, request, pk: int, action: str):
        programme = get_object_or_404(Programme.objects.visible_to(request.user), pk=pk)
        if action == "submit":
            self._call(
                request,
                lambda: services.programme_submit(programme=programme, actor=request.user),
                _("已提交备案，等待审核。"),
            )
            return redirect("cooperation:programme", pk)
        form_class = self.FORMS.get(action)
        if form_class is None:
            raise Http404
        form = (
            form_class(request.POST, programme=programme)
            if action == "apprentice"
            else form_class(request.POST)
        )
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                messages.error(request, f"{label}：{'；'.join(errors)}" if label else "；".join(errors))
            return redirect("cooperation:programme", pk)
        d = form.cleaned_data
        user = request.user
        calls = {
            "mentor": lambda: services.mentor_add(programme=programme, actor=user, **d),
            "apprentice": lambda: services.apprentice_add(programme=programme, actor=user, **d),
            "period": lambda: services.period_add(programme=programme, actor=user, **d),
            "report": lambda: services.annual_report_file(programme=programme, actor=user, **d),
            "outcome": lambda: services.order_outcome_record(programme=programme, actor=user, **d),
            "complete": lambda: services.programme_complete(programme=programme, actor=user, **d),
            "review": lambda: services.programme_review(programme=programme, actor=user, **d),
        }
        self._call(request, calls[action], _("已保存。"))
        return redirect("cooperation:programme", pk)

    @staticmethod
    def _call(request, fn, ok: str) -> None:
        try:
            fn()
        except services.CooperationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, ok)


class PlacementView(StaffOrRegulatorMixin, TemplateView):
    """订单班 placement rates per programme, school or enterprise (lowest first), with export."""

    template_name = "cooperation/placement.html"
    GROUPS = {"programme": "订单班", "school": "学校", "enterprise": "订单企业"}

    def rows(self):
        by = self.request.GET.get("by") or ""
        group = by if by in self.GROUPS else "programme"
        as_of = _date(self.request.GET.get("as_of"), timezone.localdate())
        start, end = selectors.placement_window(as_of, None, None)
        start = _date(self.request.GET.get("from"), start)
        end = _date(self.request.GET.get("to"), end)
        outcomes = selectors.outcomes_in(Programme.objects.visible_to(self.request.user), start, end)
        return group, start, end, selectors.placement_by(outcomes, group)

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "xlsx":
            group, _start, _end, rows = self.rows()
            return xlsx_response(
                "订单班录用率.xlsx",
                [self.GROUPS[group], "订单班数", "毕业人数", "订单企业录用", "录用率"],
                ([r.label, r.classes, r.graduates, r.hired_by_orderer, r.rate] for r in rows),
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        group, start, end, rows = self.rows()
        context.update(
            group=group,
            groups=self.GROUPS.items(),
            start=start,
            end=end,
            rows=rows,
            threshold=float(rule_value("cooperation.low_placement_rate")),
            query=self.request.GET.urlencode(),
        )
        return context


# --- enterprises --------------------------------------------------------------------------------
class EnterpriseListView(StaffOrRegulatorMixin, TemplateView):
    template_name = "cooperation/enterprise_list.html"

    def queryset(self):
        qs = Enterprise.objects.visible_to(self.request.user).annotate(n=Count("programmes"))
        q = (self.request.GET.get("q") or "").strip()
        if q:
            qs = qs.filter(Q(name__icontains=q) | Q(credit_code__startswith=q.upper()))
        if self.request.GET.get("ie") == "1":
            qs = qs.filter(ie_status="RECOGNISED")
        return qs.order_by("-n", "name")

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "xlsx":
            return xlsx_response(
                "合作企业.xlsx",
                [
                    "统一社会信用代码",
                    "企业名称",
                    "行业",
                    "注册地",
                    "产教融合型企业",
                    "认定层级",
                    "认定日期",
                    "合作项目数",
                ],
                (
                    [
                        e.credit_code,
                        e.name,
                        e.industry,
                        e.county.full_name if e.county_id else "",
                        e.get_ie_status_display() if e.ie_status else "",
                        e.get_ie_level_display(),
                        e.ie_recognised_on,
                        e.n,
                    ]
                    for e in self.queryset().select_related("county")
                ),
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            page=Paginator(self.queryset(), 50).get_page(self.request.GET.get("page")), g=self.request.GET
        )
        return context


class EnterpriseDetailView(StaffOrRegulatorMixin, TemplateView):
    """An enterprise with every programme the user may see (across schools) and its placement rate."""

    template_name = "cooperation/enterprise_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        enterprise = get_object_or_404(Enterprise.objects.visible_to(self.request.user), pk=kwargs["pk"])
        programmes = selectors.programmes_visible(self.request.user).filter(enterprise=enterprise)
        outcomes = selectors.OrderClassOutcome.objects.filter(programme__in=programmes)
        rows = selectors.placement_by(outcomes, "enterprise")
        context.update(
            e=enterprise,
            programmes=programmes,
            placement=rows[0] if rows else None,
            ie_form=forms.IeStatusForm(
                initial={
                    "status": enterprise.ie_status,
                    "level": enterprise.ie_level,
                    "recognised_on": enterprise.ie_recognised_on,
                }
            ),
            can_recognise=self.request.user.is_superuser or self.request.user.is_regulator,
            history=enterprise.history.select_related("history_user").order_by("-history_date")[:20],
        )
        return context

    def post(self, request, pk: int):
        enterprise = get_object_or_404(Enterprise.objects.visible_to(request.user), pk=pk)
        form = forms.IeStatusForm(request.POST)
        if form.is_valid():
            try:
                services.enterprise_set_ie_status(
                    enterprise=enterprise, actor=request.user, **form.cleaned_data
                )
            except services.CooperationError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("已保存。"))
        else:
            messages.error(request, _("请检查填写的内容。"))
        return redirect("cooperation:enterprise", pk)


# --- 1+X ----------------------------------------------------------------------------------------
class CertificateListView(StaffOrRegulatorMixin, TemplateView):
    """The 1+X certificate catalogue (public reference data) with the sites each has in the user's scope."""

    template_name = "cooperation/certificate_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visible = AssessmentSite.objects.visible_to(self.request.user)
        sites = dict(
            visible.filter(state=SiteState.APPROVED)
            .values("certificate")
            .annotate(n=Count("pk"))
            .values_list("certificate", "n")
        )
        certificates = [
            (c, sites.get(c.pk, 0)) for c in XCertificate.objects.prefetch_related("credit_links")
        ]
        context.update(certificates=certificates)
        return context


SITE_HEADERS = [
    "站点编号",
    "学校",
    "区县",
    "证书名称",
    "培训评价组织",
    "等级",
    "状态",
    "批准日期",
    "撤销日期",
]


class SiteListView(StaffOrRegulatorMixin, TemplateView):
    template_name = "cooperation/site_list.html"

    def queryset(self):
        qs = AssessmentSite.objects.visible_to(self.request.user).select_related(
            "school", "school__county", "certificate"
        )
        g = self.request.GET
        if g.get("state") in SiteState.values:
            qs = qs.filter(state=g["state"])
        if g.get("q"):
            q = g["q"].strip()
            qs = qs.filter(
                Q(code__icontains=q) | Q(school__name__icontains=q) | Q(certificate__name__icontains=q)
            )
        return qs.order_by("code")

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "xlsx":
            return xlsx_response(
                "1+X考核站点.xlsx",
                SITE_HEADERS,
                (
                    [
                        s.code,
                        s.school.name,
                        s.school.county.full_name,
                        s.certificate.name,
                        s.certificate.organisation,
                        s.level_labels,
                        s.get_state_display(),
                        s.approved_on,
                        s.revoked_on,
                    ]
                    for s in self.queryset()
                ),
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            page=Paginator(self.queryset(), 50).get_page(self.request.GET.get("page")),
            g=self.request.GET,
            states=SiteState.choices,
            query=query.urlencode(),
            can_apply=bool(access.user_school_id(self.request.user)),
        )
        return context


class SiteApplyView(LoginRequiredMixin, TemplateView):
    """A vocational school's staff apply for a 1+X assessment site."""

    template_name = "cooperation/site_form.html"

    def school(self):
        if not access.user_school_id(self.request.user):
            raise PermissionDenied
        return self.request.user.vocational_school

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", forms.SiteApplyForm())
        context["school"] = self.school()
        return context

    def post(self, request, *args, **kwargs):
        school = self.school()
        form = forms.SiteApplyForm(request.POST)
        if form.is_valid():
            try:
                site = services.site_apply(actor=request.user, school=school, **form.cleaned_data)
            except services.CooperationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("已提交考核站点申请，等待省级审核。"))
                return redirect("cooperation:site", site.pk)
        return self.render_to_response(self.get_context_data(form=form))


class SiteDetailView(StaffOrRegulatorMixin, TemplateView):
    template_name = "cooperation/site_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        site = get_object_or_404(
            AssessmentSite.objects.visible_to(self.request.user).select_related("school", "certificate"),
            pk=kwargs["pk"],
        )
        user = self.request.user
        sessions = site.sessions.all()
        context.update(
            s=site,
            sessions=sessions,
            rates=selectors.pass_rates(sessions),
            reviewer=access.can_review_site(user, site.school) and access.user_school_id(user) is None,
            staff=access.user_school_id(user) == site.school_id,
            review_form=forms.SiteReviewForm(),
            session_form=forms.SessionForm(site=site),
            history=site.history.select_related("history_user").order_by("-history_date")[:20],
        )
        return context

    def post(self, request, pk: int):
        site = get_object_or_404(AssessmentSite.objects.visible_to(request.user), pk=pk)
        action = request.POST.get("action")
        form = (
            forms.SessionForm(request.POST, site=site)
            if action == "session"
            else forms.SiteReviewForm(request.POST)
        )
        if not form.is_valid():
            messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
            return redirect("cooperation:site", pk)
        d = form.cleaned_data
        try:
            if action == "session":
                services.session_record(site=site, actor=request.user, **d)
            elif d["decision"] == "revoke":
                services.site_revoke(site=site, actor=request.user, reason=d["reason"])
            else:
                services.site_review(
                    site=site, actor=request.user, decision=d["decision"], reason=d["reason"]
                )
        except services.CooperationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已保存。"))
        return redirect("cooperation:site", pk)


# --- bodies, craftsmen, training volumes ---------------------------------------------------------
class BodyListView(StaffOrRegulatorMixin, TemplateView):
    template_name = "cooperation/body_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        qs = (
            IndustryEducationBody.objects.visible_to(self.request.user)
            .select_related("county")
            .annotate(n=Count("members", distinct=True), a=Count("activities", distinct=True))
        )
        context.update(
            bodies=qs,
            form=forms.BodyForm(),
            can_add=self.request.user.is_superuser or self.request.user.is_regulator,
        )
        return context

    def post(self, request, *args, **kwargs):
        form = forms.BodyForm(request.POST)
        if form.is_valid():
            try:
                body = services.body_create(actor=request.user, **form.cleaned_data)
            except services.CooperationError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("已登记。成员单位和活动可在详情页查看。"))
                return redirect("cooperation:body", body.pk)
        else:
            messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("cooperation:bodies")


class BodyDetailView(StaffOrRegulatorMixin, TemplateView):
    template_name = "cooperation/body_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        body = get_object_or_404(IndustryEducationBody.objects.visible_to(self.request.user), pk=kwargs["pk"])
        context.update(
            b=body,
            members=body.members.select_related("school", "enterprise"),
            activities=body.activities.all(),
        )
        return context


class CraftsmanListView(StaffOrRegulatorMixin, TemplateView):
    """Craftsman recognitions (四级工匠) with counts per level and year; export."""

    template_name = "cooperation/craftsman_list.html"

    def queryset(self):
        return CraftsmanRecognition.objects.visible_to(self.request.user).select_related("county", "school")

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "xlsx":
            return xlsx_response(
                "工匠认定.xlsx",
                ["姓名", "级别", "年度", "领域", "工作单位", "区县"],
                (
                    [c.person_name, c.get_level_display(), c.year, c.field, c.employer, c.county.full_name]
                    for c in self.queryset()
                ),
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        qs = self.queryset()
        counts = {(r["level"], r["year"]): r["n"] for r in qs.values("level", "year").annotate(n=Count("pk"))}
        years = sorted({y for _l, y in counts}, reverse=True)[:6]
        from .choices import CraftsmanLevel

        table = [
            {"label": label, "cells": [counts.get((value, y), 0) for y in years]}
            for value, label in CraftsmanLevel.choices
        ]
        context.update(
            page=Paginator(qs, 50).get_page(self.request.GET.get("page")),
            years=years,
            table=table,
            form=forms.CraftsmanForm(),
            can_add=self.request.user.is_superuser or self.request.user.is_regulator,
        )
        return context

    def post(self, request, *args, **kwargs):
        form = forms.CraftsmanForm(request.POST)
        if form.is_valid():
            try:
                _rec, created = services.craftsman_record(actor=request.user, **form.cleaned_data)
            except services.CooperationError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request, _("已登记。") if created else _("该人员本年度同级别认定已登记，未重复记录。")
                )
        else:
            messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("cooperation:craftsmen")


class TrainingVolumeListView(StaffOrRegulatorMixin, TemplateView):
    """补贴性培训 and 市场化社会培训 person-times per school and year; export; school staff file theirs."""

    template_name = "cooperation/volume_list.html"

    def queryset(self):
        return TrainingVolume.objects.visible_to(self.request.user).select_related("school", "school__county")

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "xlsx":
            return xlsx_response(
                "社会培训量.xlsx",
                ["学校", "区县", "年度", "补贴性培训（人次）", "市场化社会培训（人次）"],
                (
                    [v.school.name, v.school.county.full_name, v.year, v.subsidised, v.market]
                    for v in self.queryset()
                ),
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        qs = self.queryset()
        from django.db.models import Sum

        totals = qs.values("year").annotate(s=Sum("subsidised"), m=Sum("market")).order_by("-year")
        context.update(
            page=Paginator(qs, 50).get_page(self.request.GET.get("page")),
            totals=totals,
            form=forms.VolumeForm(),
            can_file=bool(access.user_school_id(self.request.user)),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not access.user_school_id(request.user):
            raise PermissionDenied
        form = forms.VolumeForm(request.POST)
        if form.is_valid():
            try:
                services.training_volume_record(
                    actor=request.user, school=request.user.vocational_school, **form.cleaned_data
                )
            except services.CooperationError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("已保存。"))
        else:
            messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("cooperation:volumes")


class SessionListView(StaffOrRegulatorMixin, TemplateView):
    """1+X assessment sessions with pass rates per level; export."""

    template_name = "cooperation/session_list.html"

    def queryset(self):
        return AssessmentSession.objects.visible_to(self.request.user).select_related(
            "site", "site__school", "site__certificate"
        )

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "xlsx":
            return xlsx_response(
                "1+X考核结果.xlsx",
                ["站点编号", "学校", "证书", "等级", "考核日期", "参考人数", "通过人数"],
                (
                    [
                        s.site.code,
                        s.site.school.name,
                        s.site.certificate.name,
                        s.level,
                        s.held_on,
                        s.candidates,
                        s.passed,
                    ]
                    for s in self.queryset()
                ),
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        qs = self.queryset()
        context.update(
            page=Paginator(qs, 50).get_page(self.request.GET.get("page")), rates=selectors.pass_rates(qs)
        )
        return context
