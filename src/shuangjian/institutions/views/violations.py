"""Compliance pages: violations in the regulator's region (list, .xlsx export, resolve) and the
compliance scan."""

from __future__ import annotations

import io

from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from shuangjian.common.views import RegulatorRequiredMixin

from .. import selectors, services
from ..choices import ViolationStatus
from ..compliance import ALL_RULES, compliance_scan
from ..forms import ResolveForm
from ..models import Violation
from ._shared import regions_for


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
            regions=regions_for(self.request.user),
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
