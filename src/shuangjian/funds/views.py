"""Pages of the custody ledger: the regulator's overview and export, contracts, the parent's look-up.

Every page reads through ``Model.objects.visible_to(request.user)``; a contract outside the user's
scope is 404. Writes call the services in :mod:`shuangjian.funds.services`.
"""

from __future__ import annotations

import io
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, Sum
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView
from django_ratelimit.decorators import ratelimit

from shuangjian.accounts.models import Role
from shuangjian.common.text import fen_to_yuan_text, nfkc
from shuangjian.common.views import RegulatorRequiredMixin, ScopedQuerysetMixin

from . import selectors, services
from .ledger import FundsRefused
from .models import (
    Contract,
    ContractStatus,
    EventSource,
    Lesson,
    LessonStatus,
    PrepaymentViolation,
    RefundRequest,
    RefundRequestStatus,
    Transfer,
)


class FundsIndexView(TemplateView):
    """预收费监管 home: regulators get the overview; institution staff their contracts."""

    template_name = "funds/index.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and user.role == Role.INSTITUTION and not user.is_superuser:
            return redirect("funds:contracts")
        if not (user.is_authenticated and (user.is_superuser or user.is_regulator)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        contracts = Contract.objects.visible_to(user)
        totals = contracts.aggregate(
            paid=Sum("paid_fen"), released=Sum("released_fen"), refunded=Sum("refunded_fen")
        )
        paid, released, refunded = (totals["paid"] or 0, totals["released"] or 0, totals["refunded"] or 0)
        institutions = selectors.institution_summary(contracts)
        points = selectors.monthly_trend(Transfer.objects.visible_to(user))
        context.update(
            cards=[
                (_("托管余额（未消课预收费）"), fen_to_yuan_text(paid - released - refunded)),
                (_("累计缴费"), fen_to_yuan_text(paid)),
                (_("累计划拨（已结算）"), fen_to_yuan_text(released)),
                (_("累计退费"), fen_to_yuan_text(refunded)),
                (_("履约中合同"), contracts.filter(status=ContractStatus.OPEN).count()),
                (_("违规预收费"), PrepaymentViolation.objects.visible_to(user).count()),
            ],
            regions=selectors.region_summary(contracts),
            institutions=institutions[:50],
            institution_count=len(institutions),
            trend=points,
            svg=selectors.trend_svg_points(points),
            disputes=Lesson.objects.visible_to(user)
            .filter(status=LessonStatus.DISPUTED)
            .select_related("contract")[:50],
        )
        return context


class FundsExportView(RegulatorRequiredMixin, View):
    """The regulator's per-institution table as .xlsx (scoped to the user's region)."""

    def get(self, request):
        import openpyxl

        contracts = Contract.objects.visible_to(request.user)
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "机构资金监管"
        sheet.append(
            [
                "统一社会信用代码",
                "机构名称",
                "所在区县",
                "合同数",
                "履约中合同",
                "累计缴费（元）",
                "累计划拨（元）",
                "累计退费（元）",
                "托管余额（元）",
            ]
        )
        for row in selectors.institution_summary(contracts):
            sheet.append(
                [
                    row.key,
                    row.name,
                    row.region,
                    row.contracts,
                    row.open_contracts,
                    row.paid_fen / 100,
                    row.released_fen / 100,
                    row.refunded_fen / 100,
                    row.custody_fen / 100,
                ]
            )
        regions = book.create_sheet("按区县")
        regions.append(
            [
                "区县",
                "合同数",
                "履约中合同",
                "累计缴费（元）",
                "累计划拨（元）",
                "累计退费（元）",
                "托管余额（元）",
            ]
        )
        for row in selectors.region_summary(contracts):
            regions.append(
                [
                    row.name,
                    row.contracts,
                    row.open_contracts,
                    row.paid_fen / 100,
                    row.released_fen / 100,
                    row.refunded_fen / 100,
                    row.custody_fen / 100,
                ]
            )
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="funds-{stamp}.xlsx"'
        return response


class ContractListView(ScopedQuerysetMixin, ListView):
    """Contracts the user may open (an institution its own), searchable by number or student reference."""

    model = Contract
    paginate_by = 50
    template_name = "funds/contract_list.html"

    def get_queryset(self):
        qs = super().get_queryset().select_related("institution", "county").order_by("-opened_at", "pk")
        q = nfkc(self.request.GET.get("q", ""))
        if q:
            qs = qs.filter(
                Q(contract_no__iexact=q) | Q(student_ref__iexact=q) | Q(institution__name__icontains=q)
            )
        status = self.request.GET.get("status", "")
        if status in ContractStatus.values:
            qs = qs.filter(status=status)
        return qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["statuses"] = ContractStatus.choices
        return context


class ContractDetailView(ScopedQuerysetMixin, DetailView):
    """One contract: balance, history, lessons waiting for the parent, refund requests; 404 outside scope."""

    model = Contract
    template_name = "funds/contract_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contract = self.object
        user = self.request.user
        context.update(
            history=selectors.contract_history(contract),
            lessons=contract.lessons.order_by("-recorded_at")[:100],
            refund_requests=contract.refund_requests.all(),
            is_staff_of=bool(user.institution_id and user.institution_id == contract.institution_id),
            is_regulator=bool(user.is_superuser or user.is_regulator),
            form_key=uuid.uuid4().hex,
            violations=contract.violations.all(),
        )
        return context


def _institution_staff(request, institution_id: int) -> None:
    user = request.user
    if not (user.is_superuser or (user.institution_id and user.institution_id == institution_id)):
        raise PermissionDenied


class LessonRecordView(View):
    """Institution staff record a lesson given (消课登记): the release waits for the parent (RULES.md §1.5)."""

    def post(self, request, pk: int):
        contract = get_object_or_404(Contract.objects.visible_to(request.user), pk=pk)
        _institution_staff(request, contract.institution_id)
        try:
            services.consumption_record(
                key=f"WEB-{request.POST.get('form_key') or uuid.uuid4().hex}"[:64],
                institution=contract.institution,
                contract_no=contract.contract_no,
                student_ref=contract.student_ref,
                hours=nfkc(request.POST.get("hours")),
                occurred_at=timezone.now(),
                confirmed=False,
                source=EventSource.WEB,
                actor=request.user,
            )
            messages.success(request, _("已登记课时，等待家长确认后划拨"))
        except FundsRefused as refusal:
            messages.error(request, str(refusal))
        return HttpResponseRedirect(reverse("funds:contract", args=[pk]))


class RefundAnswerView(View):
    """Institution staff answer a parent's refund request (approve refunds the whole remaining balance)."""

    def post(self, request, pk: int):
        refund_request = get_object_or_404(RefundRequest.objects.visible_to(request.user), pk=pk)
        _institution_staff(request, refund_request.contract.institution_id)
        try:
            services.refund_request_answer(
                request_id=refund_request.pk,
                approve=request.POST.get("decision") == "approve",
                answer=request.POST.get("answer", ""),
                actor=request.user,
            )
            messages.success(request, _("已答复退费申请"))
        except FundsRefused as refusal:
            messages.error(request, str(refusal))
        return HttpResponseRedirect(reverse("funds:contract", args=[refund_request.contract_id]))


class DisputeResolveView(RegulatorRequiredMixin, View):
    """A regulator resolves a disputed lesson: release it or void it."""

    def post(self, request, pk: int):
        lesson = get_object_or_404(Lesson.objects.visible_to(request.user), pk=pk)
        try:
            services.lesson_dispute_resolve(
                lesson_id=lesson.pk, release=request.POST.get("decision") == "release", actor=request.user
            )
            messages.success(request, _("已处理课时异议"))
        except FundsRefused as refusal:
            messages.error(request, str(refusal))
        return HttpResponseRedirect(reverse("funds:contract", args=[lesson.contract_id]))


class ViolationListView(ScopedQuerysetMixin, ListView):
    """Over-limit prepayments (违规预收费) raised against institutions in the user's scope."""

    model = PrepaymentViolation
    paginate_by = 50
    template_name = "funds/violation_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("institution", "contract", "county")


# --- the parent's look-up (public) ----------------------------------------------------------------------
def _find_contract(contract_no: str, code: str) -> Contract | None:
    contract_no, code = nfkc(contract_no), nfkc(code).upper()
    if not contract_no or not code:
        return None
    return (
        Contract.objects.select_related("institution")
        .filter(contract_no=contract_no, verification_code=code)
        .first()
    )


@method_decorator(login_not_required, name="dispatch")
@method_decorator(ratelimit(key="ip", rate="20/m", method="POST", block=False), name="dispatch")
class ParentLookupView(View):
    """家长查询: a parent opens one contract by its number and verification code (查询码).

    Shows balance, hours and history; lets the parent confirm or dispute a pending lesson and ask
    for a refund (RULES.md §1.5). Public, POST only for the look-up (the code never sits in a URL),
    rate-limited to 20 POSTs a minute per IP. A wrong number or code gives one neutral message.
    """

    template_name = "funds/lookup.html"

    def get(self, request):
        return render(request, self.template_name, {})

    def post(self, request):
        if getattr(request, "limited", False):
            return render(request, self.template_name, {"error": _("查询过于频繁，请稍后再试")}, status=429)
        contract = _find_contract(request.POST.get("contract_no", ""), request.POST.get("code", ""))
        if contract is None:
            return render(
                request,
                self.template_name,
                {"error": _("合同编号或查询码不正确"), "contract_no": request.POST.get("contract_no", "")},
            )
        action = request.POST.get("action", "")
        notice = ""
        try:
            if action in ("confirm", "dispute"):
                lesson = contract.lessons.filter(pk=request.POST.get("lesson")).first()
                if lesson is None:
                    raise FundsRefused(_("找不到该课时记录"))
                if action == "confirm":
                    services.lesson_confirm(lesson_id=lesson.pk)
                    notice = _("已确认课时，费用将划拨给机构")
                else:
                    services.lesson_dispute(lesson_id=lesson.pk, reason=request.POST.get("reason", ""))
                    notice = _("已提出异议，该课时费用暂停划拨，等待监管部门处理")
            elif action == "refund":
                services.refund_request_create(contract_id=contract.pk, reason=request.POST.get("reason", ""))
                notice = _("已提交退费申请，机构逾期未答复将自动同意")
        except FundsRefused as refusal:
            notice = ""
            error = str(refusal)
        else:
            error = ""
        contract.refresh_from_db()
        return render(
            request,
            self.template_name,
            {
                "contract": contract,
                "code": contract.verification_code,
                "history": selectors.contract_history(contract),
                "lessons": contract.lessons.order_by("-recorded_at")[:50],
                "pending_refund": contract.refund_requests.filter(
                    status=RefundRequestStatus.REQUESTED
                ).first(),
                "notice": notice,
                "error": error,
            },
        )
