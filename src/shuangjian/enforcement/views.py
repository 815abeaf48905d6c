"""Pages of the enforcement area: cases (list / detail with its life / open / export) and campaigns
(list / detail with figures by kind and region / create / export). Every read is scoped through
``Case.objects.visible_to`` (campaigns through ``selectors.campaigns_visible``); foreign ids are 404.
Only county regulators act on cases (open, decide, close); provinces and cities read and export.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from shuangjian.accounts.choices import Role
from shuangjian.common.exporting import xlsx_response
from shuangjian.common.text import fen_to_yuan_text
from shuangjian.common.views import RegulatorRequiredMixin
from shuangjian.complaints.models import Report
from shuangjian.risk.models import RiskWarning

from . import selectors, services
from .forms import CampaignForm, CaseCloseForm, CaseDecideForm, CaseOpenForm, InspectionForm
from .legal import LEGAL_BASES
from .models import Campaign, Case, CaseKind, CaseState, Inspection, Measure


def _date(value: str | None, default: dt.date | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default


def _can_act(user) -> bool:
    return user.is_superuser or user.role == Role.COUNTY


def filtered_cases(request):
    """The case list's queryset from the query string (kind, state, campaign, dates, q)."""
    g = request.GET
    campaign = None
    if (g.get("campaign") or "").isdigit():
        campaign = selectors.campaigns_visible(request.user).filter(pk=g["campaign"]).first()
    state = g.get("state") if g.get("state") in CaseState.values else None
    qs = selectors.cases_qs(
        user=request.user,
        date_from=_date(g.get("from"), None),
        date_to=_date(g.get("to"), None),
        kind=g.get("kind") or None,
        campaign=campaign,
        state=state,
        include_revoked=state == CaseState.REVOKED,
    )
    if g.get("q"):
        q = g["q"].strip()
        qs = (
            qs.filter(number__icontains=q)
            | qs.filter(institution__name__icontains=q)
            | qs.filter(party_name__icontains=q)
        )
    return qs


CASE_HEADERS = [
    "立案编号",
    "案件类型",
    "承办区县",
    "当事人",
    "专项整治",
    "立案日期",
    "状态",
    "处理措施",
    "法律依据",
    "罚款（元）",
    "没收违法所得（元）",
    "责令退费（元）",
    "拆除广告（条）",
    "涉及机构/人数",
    "结案日期",
]


def case_row(case: Case) -> list:
    return [
        case.number,
        case.get_kind_display(),
        case.county.full_name,
        case.party_label,
        case.campaign.name if case.campaign_id else "",
        case.opened_on,
        case.get_state_display(),
        "、".join(str(Measure(m).label) for m in case.measures if m in Measure.values),
        "；".join(LEGAL_BASES[b].label for b in case.legal_bases if b in LEGAL_BASES),
        case.fine_fen / 100,
        case.confiscated_fen / 100,
        case.refund_ordered_fen / 100,
        case.ads_removed,
        case.subjects_count,
        case.closed_on,
    ]


class CaseListView(RegulatorRequiredMixin, TemplateView):
    """案件 list with filters; links to the .xlsx export of the same rows."""

    template_name = "enforcement/case_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(filtered_cases(self.request), 50).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            page=page,
            kinds=CaseKind.choices,
            states=CaseState.choices,
            g=self.request.GET,
            campaigns=selectors.campaigns_visible(self.request.user),
            query=query.urlencode(),
            can_act=_can_act(self.request.user),
        )
        return context


class CaseExportView(RegulatorRequiredMixin, TemplateView):
    def get(self, request, *args, **kwargs):
        rows = (case_row(c) for c in filtered_cases(request).iterator(chunk_size=500))
        return xlsx_response(f"案件清单_{timezone.localdate():%Y%m%d}.xlsx", CASE_HEADERS, rows, title="案件")


class CaseDetailView(RegulatorRequiredMixin, TemplateView):
    """A case: party, sources (reports, warnings), legal bases, measures, and its next steps."""

    template_name = "enforcement/case_detail.html"

    def get_case(self) -> Case:
        return get_object_or_404(
            Case.objects.visible_to(self.request.user).select_related(
                "county", "institution", "campaign", "handler"
            ),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case = kwargs.get("case") or self.get_case()
        today = timezone.localdate()
        context.update(
            case=case,
            bases=[LEGAL_BASES[b] for b in case.legal_bases if b in LEGAL_BASES],
            measures=[Measure(m).label for m in case.measures if m in Measure.values],
            reports=Report.objects.filter(cases=case),
            can_act=_can_act(self.request.user),
            warnings=RiskWarning.objects.filter(cases=case).select_related("institution"),
            fine=fen_to_yuan_text(case.fine_fen),
            confiscated=fen_to_yuan_text(case.confiscated_fen),
            refund=fen_to_yuan_text(case.refund_ordered_fen),
            decide_form=kwargs.get("decide_form")
            or CaseDecideForm(
                initial={
                    "decided_on": today,
                    "legal_bases": case.legal_bases,
                    "ads_removed": case.ads_removed,
                }
            ),
            close_form=kwargs.get("close_form") or CaseCloseForm(initial={"closed_on": today}),
            history=case.history.select_related("history_user").order_by("-history_date")[:20],
        )
        return context

    def post(self, request, *args, **kwargs):
        case = self.get_case()
        if not _can_act(request.user):
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "investigate":
                services.case_investigate(case_id=case.pk, actor=request.user)
            elif action == "decide":
                form = CaseDecideForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(case=case, decide_form=form))
                d = form.cleaned_data
                services.case_decide(
                    case_id=case.pk,
                    actor=request.user,
                    decided_on=d["decided_on"],
                    decision=d["decision"],
                    measures=d["measures"],
                    legal_bases=d["legal_bases"],
                    fine_fen=d["fine"],
                    confiscated_fen=d["confiscated"],
                    refund_ordered_fen=d["refund_ordered"],
                    ads_removed=d["ads_removed"],
                )
            elif action == "close":
                close_form = CaseCloseForm(request.POST)
                if not close_form.is_valid():
                    return self.render_to_response(self.get_context_data(case=case, close_form=close_form))
                services.case_close(
                    case_id=case.pk,
                    actor=request.user,
                    closed_on=close_form.cleaned_data["closed_on"],
                    note=close_form.cleaned_data["note"],
                )
            elif action == "revoke":
                services.case_revoke(
                    case_id=case.pk, actor=request.user, reason=request.POST.get("reason", "")
                )
            else:
                messages.error(request, _("未知操作"))
                return redirect("enforcement:case", pk=case.pk)
            messages.success(request, _("已保存"))
        except services.CaseError as exc:
            messages.error(request, str(exc))
        return redirect("enforcement:case", pk=case.pk)


class CaseCreateView(RegulatorRequiredMixin, TemplateView):
    """立案 form (county regulators): the party, sources (report numbers, warning ids), legal bases."""

    template_name = "enforcement/case_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not _can_act(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def _form(self, data=None):
        initial = {"opened_on": timezone.localdate()}
        if self.request.GET.get("warning"):
            initial["warning_ids"] = self.request.GET["warning"]
        if self.request.GET.get("report"):
            initial["report_numbers"] = self.request.GET["report"]
        return CaseOpenForm(
            data,
            user=self.request.user,
            campaigns=selectors.campaigns_visible(self.request.user),
            initial=initial,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = kwargs.get("form") or self._form()
        return context

    def post(self, request, *args, **kwargs):
        from shuangjian.institutions.models import Institution

        form = self._form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        d = form.cleaned_data
        user = request.user
        institution = None
        if d["credit_code"]:
            institution = Institution.objects.visible_to(user).filter(credit_code=d["credit_code"]).first()
            if institution is None:
                form.add_error("credit_code", _("未找到该机构（或不在您的管辖范围内）"))
        numbers = form.split(d["report_numbers"])
        reports = list(Report.objects.visible_to(user).filter(number__in=numbers))
        if len(reports) != len(set(numbers)):
            missing = sorted(set(numbers) - {r.number for r in reports})
            form.add_error("report_numbers", _("未找到线索：{n}").format(n="、".join(missing)))
        ids = form.split(d["warning_ids"])
        if any(not i.isdigit() for i in ids):
            form.add_error("warning_ids", _("预警编号应为数字"))
            ids = []
        warnings = list(RiskWarning.objects.visible_to(user).filter(pk__in=ids))
        if len(warnings) != len(set(ids)):
            form.add_error(
                "warning_ids",
                _("未找到预警：{n}").format(n="、".join(sorted(set(ids) - {str(w.pk) for w in warnings}))),
            )
        campaign = None
        if d["campaign"]:
            campaign = selectors.campaigns_visible(user).filter(pk=d["campaign"]).first()
        if form.errors:
            return self.render_to_response(self.get_context_data(form=form))
        try:
            case = services.case_open(
                kind=d["kind"],
                county_code=d["county"],
                opened_on=d["opened_on"],
                facts=d["facts"],
                institution=institution,
                party_name=d["party_name"],
                party_id_number=d["party_id_number"],
                party_is_person=d["party_is_person"],
                campaign=campaign,
                reports=reports,
                warnings=warnings,
                legal_bases=d["legal_bases"],
                ads_removed=d["ads_removed"] or 0,
                subjects_count=d["subjects_count"],
                actor=user,
            )
        except services.CaseError as exc:
            form.add_error(None, str(exc))
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, _("已立案：{n}").format(n=case.number))
        return redirect("enforcement:case", pk=case.pk)


# --- campaigns ----------------------------------------------------------------------------------------
class CampaignListView(RegulatorRequiredMixin, TemplateView):
    template_name = "enforcement/campaign_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["campaigns"] = selectors.campaigns_visible(self.request.user).select_related("region")
        return context


def _campaign_period(request, campaign: Campaign) -> tuple[dt.date, dt.date]:
    return (
        _date(request.GET.get("from"), None) or campaign.start_on,
        _date(request.GET.get("to"), None) or campaign.end_on,
    )


class CampaignDetailView(RegulatorRequiredMixin, TemplateView):
    """A campaign's figures for its period (or a sub-period): by kind, by region (the user's children)."""

    template_name = "enforcement/campaign_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        campaign = get_object_or_404(
            selectors.campaigns_visible(user).select_related("region"), pk=self.kwargs["pk"]
        )
        date_from, date_to = _campaign_period(self.request, campaign)
        context.update(
            campaign=campaign,
            date_from=date_from,
            date_to=date_to,
            kinds=CaseKind.choices,
            stats=selectors.enforcement_stats(
                date_from=date_from, date_to=date_to, user=user, campaign=campaign
            ),
            rows=selectors.stats_by_region(
                date_from=date_from, date_to=date_to, user=user, campaign=campaign
            ),
            inspections=Inspection.objects.visible_to(user).filter(campaign=campaign).count(),
        )
        return context


class CampaignExportView(RegulatorRequiredMixin, TemplateView):
    def get(self, request, *args, **kwargs):
        campaign = get_object_or_404(selectors.campaigns_visible(request.user), pk=self.kwargs["pk"])
        date_from, date_to = _campaign_period(request, campaign)
        rows = selectors.stats_by_region(
            date_from=date_from, date_to=date_to, user=request.user, campaign=campaign
        )
        headers = [
            "区划代码",
            "地区",
            *[str(label) for _v, label in CaseKind.choices],
            "立案合计",
            "结案",
            "拆除广告（条）",
            "取缔黑机构（家）",
        ]
        body = [
            [
                r["code"],
                r["name"],
                *r["by_kind"],
                r["opened"],
                r["closed"],
                r["ads_removed"],
                r["unlicensed_closed"],
            ]
            for r in rows
        ]
        return xlsx_response(
            f"{campaign.name}_{date_from:%Y%m%d}-{date_to:%Y%m%d}.xlsx", headers, body, title="分地区统计"
        )


class CampaignCreateView(RegulatorRequiredMixin, TemplateView):
    template_name = "enforcement/campaign_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = kwargs.get("form") or CampaignForm(user=self.request.user)
        return context

    def post(self, request, *args, **kwargs):
        form = CampaignForm(request.POST, user=request.user)
        if form.is_valid():
            d = form.cleaned_data
            try:
                campaign = services.campaign_create(
                    name=d["name"],
                    region_code=d["region"],
                    start_on=d["start_on"],
                    end_on=d["end_on"],
                    focus=d["focus"],
                    actor=request.user,
                )
            except services.CaseError as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("enforcement:campaign", pk=campaign.pk)
        return self.render_to_response(self.get_context_data(form=form))


# --- inspections --------------------------------------------------------------------------------------
class InspectionListView(RegulatorRequiredMixin, TemplateView):
    """检查 list (scoped), newest first; county officers record new ones."""

    template_name = "enforcement/inspection_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        qs = (
            Inspection.objects.visible_to(self.request.user)
            .select_related("county", "institution", "campaign")
            .order_by("-inspected_on", "-id")
        )
        context.update(
            page=Paginator(qs, 50).get_page(self.request.GET.get("page")), can_act=_can_act(self.request.user)
        )
        return context


class InspectionCreateView(RegulatorRequiredMixin, TemplateView):
    template_name = "enforcement/inspection_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not _can_act(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def _form(self, data=None):
        return InspectionForm(
            data,
            user=self.request.user,
            campaigns=selectors.campaigns_visible(self.request.user),
            initial={"inspected_on": timezone.localdate()},
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = kwargs.get("form") or self._form()
        return context

    def post(self, request, *args, **kwargs):
        from shuangjian.institutions.models import Institution

        form = self._form(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            institution = None
            if d["credit_code"]:
                institution = (
                    Institution.objects.visible_to(request.user).filter(credit_code=d["credit_code"]).first()
                )
                if institution is None:
                    form.add_error("credit_code", _("未找到该机构（或不在您的管辖范围内）"))
            campaign = (
                selectors.campaigns_visible(request.user).filter(pk=d["campaign"]).first()
                if d["campaign"]
                else None
            )
            if not form.errors:
                try:
                    services.inspection_record(
                        county_code=d["county"],
                        inspected_on=d["inspected_on"],
                        institution=institution,
                        place=d["place"],
                        campaign=campaign,
                        inspectors=d["inspectors"],
                        findings=d["findings"],
                        problem_found=d["problem_found"],
                        actor=request.user,
                    )
                except services.CaseError as exc:
                    form.add_error(None, str(exc))
                else:
                    messages.success(request, _("已登记检查"))
                    return redirect("enforcement:inspections")
        return self.render_to_response(self.get_context_data(form=form))
