"""Pages of vocational education (职业教育).

Regulators: the registry and its figures drilled province → city → county → school (with bar charts),
the schools below the standard per county (.xlsx), coverage (public 中职 per county, 高职 per city, key
industries), imports. A vocational school's staff (role 职业院校): their own school's page and imports of
their own rows. Every record is read through ``Model.objects.visible_to(request.user)``; a foreign one is
404. Figures come from the KPI registry (``stats.kpis``, read through ``common.kpicards``) and :mod:`shuangjian.vocational.selectors`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import UserPassesTestMixin
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from shuangjian.common.exporting import XLSX_MIME, xlsx_response
from shuangjian.common.importing import ImportFileError
from shuangjian.common.kpicards import kpi_info, kpi_values
from shuangjian.common.scoping import region_visible_to as region_for
from shuangjian.common.views import RegulatorRequiredMixin
from shuangjian.regions.models import Region, RegionLevel

from .importers import TEMPLATE_KINDS, template_xlsx
from .models import Designation, Partnership, VocationalSchool, active_on_q, open_on_q
from .rules import ThresholdBook, rule_specs
from .selectors import (
    assess,
    assess_schools,
    city_coverage,
    county_coverage,
    industry_coverage,
    latest_return,
    shortfalls,
    target_rate,
    trend,
)

CARD_KPIS = [
    "vocational.schools_by_level.secondary",
    "vocational.schools_by_level.associate",
    "vocational.schools_by_level.bachelor",
    "vocational.secondary.public_counties",
    "vocational.double_excellence.schools",
    "vocational.centres",
    "vocational.city_training_centres",
    "vocational.higher.cities",
    "vocational.key_industries.covered",
    "vocational.standard.rate",
]
TABLE_KPIS = [
    "vocational.schools_by_level.secondary",
    "vocational.schools_by_level.associate",
    "vocational.schools_by_level.bachelor",
    "vocational.secondary.public_counties",
    "vocational.centres",
    "vocational.double_excellence.schools",
    "vocational.standard.rate",
]


def as_of_param(request: Any) -> dt.date:
    """``?as_of=YYYY-MM-DD`` (default today, Asia/Shanghai); a bad value falls back to today."""
    try:
        return dt.date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return timezone.localdate()


def display(kpi_id: str, value: Any) -> str:
    if value is None:
        return "—"
    if kpi_info([kpi_id])[kpi_id]["is_rate"]:
        return f"{Decimal(str(value)) * 100:.1f}%"
    return f"{value:,}" if isinstance(value, int) else str(value)


def fmt(value: Decimal | None, unit: str = "") -> str:
    """A figure for a page: integers with thousands separators, ratios as %, others to 2 decimals."""
    if value is None:
        return "—"
    if (
        unit == ""
        and value <= 1
        and value == value.quantize(Decimal("0.0001"))
        and value != value.to_integral()
    ):
        return f"{value * 100:.1f}%"
    if value == value.to_integral():
        return f"{int(value):,}"
    return f"{value:,.2f}"


def bars(items: list[tuple[str, float | None]], *, percent: bool, width: int = 420) -> dict[str, Any]:
    """Geometry of a horizontal SVG bar chart (label, value) — drawn server-side, no script."""
    top = max((v or 0) for _, v in items) if items else 0
    scale = 1.0 if percent else (top or 1)
    rows = []
    for i, (label, value) in enumerate(items):
        w = 0 if value is None else round(width * (value / scale if scale else 0))
        text = "—" if value is None else (f"{value * 100:.1f}%" if percent else f"{value:g}")
        rows.append(
            {"label": label, "y": 28 + i * 18, "width": max(w, 0), "text": text, "tx": 130 + max(w, 0) + 4}
        )
    return {"rows": rows, "height": 40 + len(items) * 18, "x0": 130, "x100": 130 + width}


class VocationalAccessMixin(UserPassesTestMixin):
    """Regulators, superusers and vocational school staff."""

    request: Any

    def test_func(self) -> bool:
        user = self.request.user
        return bool(
            user.is_authenticated
            and (user.is_superuser or user.is_regulator or getattr(user, "vocational_school_id", None))
        )


class IndexView(VocationalAccessMixin, View):
    """Regulators land on their region's page; a school's staff on their school's page."""

    def get(self, request, *args, **kwargs):
        if getattr(request.user, "vocational_school_id", None):
            return redirect("vocational:school", pk=request.user.vocational_school_id)
        region = region_for(request.user, None)
        return redirect("vocational:region", code=region.code if region else "430000")


class RegionView(RegulatorRequiredMixin, TemplateView):
    """A region's vocational figures, the divisions below it (drillable, with bars), its schools at county
    level, and the coverage gaps inside it. ``?format=xlsx`` exports the table."""

    template_name = "vocational/region.html"

    def setup_region(self) -> tuple[Region, dt.date]:
        region = region_for(self.request.user, self.kwargs["code"])
        if region is None:
            raise Http404
        return region, as_of_param(self.request)

    def child_rows(self, region: Region, as_of: dt.date) -> list[dict[str, Any]]:
        rows = []
        for child in Region.objects.filter(parent=region).order_by("code"):
            rows.append(
                {
                    "region": child,
                    "values": kpi_values(
                        TABLE_KPIS, user=self.request.user, as_of=as_of, region_code=child.code
                    ),
                }
            )
        return rows

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "xlsx":
            region, as_of = self.setup_region()
            rows = self.child_rows(region, as_of)
            info = kpi_info(TABLE_KPIS)
            headers = ["区划代码", "名称"] + [info[k]["name"] for k in TABLE_KPIS]
            table = [
                [r["region"].code, r["region"].name] + [r["values"][k] for k in TABLE_KPIS] for r in rows
            ]
            return xlsx_response(f"职业教育_{region.name}_{as_of}.xlsx", headers, table, title="职业教育")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        region, as_of = self.setup_region()
        user = self.request.user
        values = kpi_values(CARD_KPIS, user=user, as_of=as_of, region_code=region.code)
        info = kpi_info(CARD_KPIS)
        query = urlencode({"as_of": as_of.isoformat()})
        cards = [
            {
                "name": info[k]["name"],
                "value": display(k, values[k]),
                "definition": info[k]["definition"],
                "url": reverse("stats:records", args=[k])
                + "?"
                + urlencode({"as_of": as_of.isoformat(), "region": region.code})
                if info[k]["records"]
                else None,
            }
            for k in CARD_KPIS
        ]
        schools_qs = VocationalSchool.objects.visible_to(user).in_region(region.code)
        table = []
        if region.level != RegionLevel.COUNTY:
            for row in self.child_rows(region, as_of):
                table.append(
                    {
                        "region": row["region"],
                        "cells": [display(k, row["values"][k]) for k in TABLE_KPIS],
                        "rate": row["values"]["vocational.standard.rate"],
                        "public": row["values"]["vocational.schools_by_level.secondary"],
                    }
                )
        schools = []
        if region.level == RegionLevel.COUNTY:
            open_qs = schools_qs.filter(open_on_q(as_of)).order_by("level", "code")
            flags: dict[int, list[str]] = {}
            for d in Designation.objects.filter(active_on_q(as_of), school__in=open_qs).order_by("kind"):
                flags.setdefault(d.school_id, []).append(d.get_kind_display())
            for a in assess_schools(open_qs, as_of):
                schools.append({"school": a.school, "assessment": a, "flags": flags.get(a.school.pk, [])})
        coverage = county_coverage(schools_qs, region, as_of)
        context.update(
            region=region,
            as_of=as_of,
            query=query,
            cards=cards,
            table=table,
            schools=schools,
            headers=[info["name"] for info in kpi_info(TABLE_KPIS).values()],
            crumbs=[r for r in region.ancestors() if r.code.startswith(user.region.subtree_prefix)]
            if user.region_id
            else region.ancestors(),
            chart=bars([(r["region"].name, r["rate"]) for r in table], percent=True) if table else None,
            target=target_rate(as_of),
            rate=values["vocational.standard.rate"],
            counties_without=[c for c in coverage if not c.public_secondary],
            cities=city_coverage(schools_qs, region, as_of),
            industries=industry_coverage(schools_qs, as_of, region.code)
            if region.level == RegionLevel.PROVINCE
            else [],
            export_url="?" + urlencode({"as_of": as_of.isoformat(), "format": "xlsx"}),
        )
        return context


class SchoolDetailView(VocationalAccessMixin, TemplateView):
    """One school: registry data, designations, partnerships, majors, and its returns checked against
    the standard — per indicator the value, threshold, whether met and the gap — with the trend."""

    template_name = "vocational/school.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        school = get_object_or_404(
            VocationalSchool.objects.visible_to(user).select_related("county", "merged_into"),
            pk=self.kwargs["pk"],
        )
        as_of = as_of_param(self.request)
        book = ThresholdBook()
        assessment = assess(school, latest_return(school, as_of.year), book)
        history = trend(school, book)
        indicators = [(r.key, r.label) for r in assessment.results] if assessment.results else []
        trend_rows = [
            {
                "key": key,
                "label": label,
                "cells": [{"value": fmt(h["values"][key]), "meets": h["meets"][key]} for h in history],
            }
            for key, label in indicators
        ]
        context.update(
            school=school,
            as_of=as_of,
            assessment=assessment,
            results=[
                {
                    "r": r,
                    "value": fmt(r.value, r.unit),
                    "threshold": fmt(r.threshold, r.unit),
                    "gap": fmt(r.gap, r.unit),
                }
                for r in assessment.results
            ],
            years=[h["year"] for h in history],
            year_results=[h["meets_all"] for h in history],
            trend_rows=trend_rows,
            designations=school.designations.order_by("kind", "started_on"),
            partnerships=Partnership.objects.visible_to(user).filter(stage1=school).select_related("stage2")
            | Partnership.objects.filter(stage2=school, stage1__in=VocationalSchool.objects.visible_to(user)),
            majors=school.majors.select_related("major", "major__parent__parent").order_by(
                "stopped_year", "major__code"
            ),
            crumbs=[
                r
                for r in school.county.ancestors()
                if not user.region_id or r.code.startswith(user.region.subtree_prefix)
            ]
            if user.is_regulator
            else [],
            query=urlencode({"as_of": as_of.isoformat()}),
        )
        return context


SHORTFALL_HEADERS = [
    "区县代码",
    "区县",
    "学校标识码",
    "学校名称",
    "办学层次",
    "举办者",
    "标准类别",
    "统计年度",
    "结论",
    "未达标指标及差距",
]


class ShortfallsView(RegulatorRequiredMixin, TemplateView):
    """The 中职 schools in the 达标工程 scope that are below the standard, per county (``?region=``),
    each failing key indicator with its gap; ``?format=xlsx`` exports the list."""

    template_name = "vocational/shortfalls.html"

    def rows(self) -> tuple[Region, dt.date, list[dict[str, Any]]]:
        region = region_for(self.request.user, self.request.GET.get("region") or None)
        if region is None:
            raise Http404
        as_of = as_of_param(self.request)
        qs = (
            VocationalSchool.objects.visible_to(self.request.user)
            .in_region(region.code)
            .select_related("county")
        )
        out = []
        for a in shortfalls(qs, as_of):
            gaps = [
                f"{r.label}：{fmt(r.value, r.unit)}，{'应不低于' if r.direction == 'min' else '应不高于'}"
                f"{fmt(r.threshold, r.unit)}，差{fmt(r.gap, r.unit)}{r.unit}"
                if r.value is not None
                else f"{r.label}：未填报"
                for r in a.failing
            ]
            out.append({"a": a, "gaps": gaps})
        return region, as_of, out

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "xlsx":
            region, as_of, rows = self.rows()
            table = [
                [
                    r["a"].school.county_id,
                    r["a"].school.county.name,
                    r["a"].school.code,
                    r["a"].school.name,
                    r["a"].school.get_level_display(),
                    r["a"].school.get_sponsor_display(),
                    r["a"].set_label,
                    r["a"].year,
                    r["a"].result_label,
                    "；".join(r["gaps"]) or "未报送年报",
                ]
                for r in rows
            ]
            return xlsx_response(
                f"办学条件未达标学校_{region.name}_{as_of}.xlsx", SHORTFALL_HEADERS, table, title="未达标学校"
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        region, as_of, rows = self.rows()
        context.update(
            region=region,
            as_of=as_of,
            rows=rows,
            query=urlencode({"as_of": as_of.isoformat()}),
            export_url="?" + urlencode({"region": region.code, "as_of": as_of.isoformat(), "format": "xlsx"}),
        )
        return context


class RulesView(RegulatorRequiredMixin, TemplateView):
    """The standard's thresholds and the coverage rules in force, with their sources and status."""

    template_name = "vocational/rules.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        book = ThresholdBook()
        code = self.request.user.region_id if self.request.user.region_id else None
        context["rules"] = [
            {
                "key": s.key,
                "title": s.title,
                "unit": s.unit,
                "source": s.source,
                "status": s.status,
                "value": book.value(s.key, code) if s.key.startswith("vocational.standard.") else s.default,
            }
            for s in rule_specs()
        ]
        return context


class TemplateDownloadView(VocationalAccessMixin, View):
    """The empty .xlsx template of an import kind."""

    def get(self, request, kind: str):
        if kind not in TEMPLATE_KINDS:
            raise Http404
        response = HttpResponse(template_xlsx(kind), content_type=XLSX_MIME)
        response["Content-Disposition"] = f"attachment; filename={kind}.xlsx"
        return response


class ImportView(VocationalAccessMixin, View):
    """Upload a filled template; every row is checked against what the uploader may write."""

    template = "vocational/import.html"

    def get(self, request):
        return render(
            request, self.template, {"kinds": [(k, v.title, v.columns) for k, v in TEMPLATE_KINDS.items()]}
        )

    def post(self, request):
        kind = request.POST.get("kind", "")
        upload = request.FILES.get("file")
        if kind not in TEMPLATE_KINDS or upload is None:
            messages.error(request, _("请选择导入类型和文件"))
            return redirect("vocational:import")
        importer = TEMPLATE_KINDS[kind](actor=request.user)
        try:
            report = importer.run(
                upload.name,
                data=upload.read(),
                filename=upload.name,
                skip_invalid=bool(request.POST.get("skip_invalid")),
            )
        except ImportFileError as error:
            messages.error(request, str(error))
            return redirect("vocational:import")
        return render(
            request,
            self.template,
            {
                "kinds": [(k, v.title, v.columns) for k, v in TEMPLATE_KINDS.items()],
                "report": report,
                "errors": [str(e) for e in report.errors[:500]],
                "chosen": kind,
            },
        )
