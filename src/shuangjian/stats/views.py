"""Dashboards, KPI definitions, the records behind each figure, and .xlsx exports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from shuangjian.common.exporting import xlsx_response
from shuangjian.common.importing import parse_date
from shuangjian.common.views import RegulatorRequiredMixin
from shuangjian.regions.choices import RegionLevel

from .kpis import KPIS, KpiContext, compute_kpis, display
from .selectors import ChildRow, dashboard_kpis, region_for, series_from, series_kpis, time_series
from .snapshots import figures_for, month_keys, snapshots_refresh, today_key

PARAM_LABELS = {"as_of": gettext_lazy("统计日"), "from": gettext_lazy("期间起"), "to": gettext_lazy("期间止")}


def _date_param(request, name: str, default: dt.date, errors: list[str] | None = None) -> dt.date:
    """A date query parameter; a bad one falls back to ``default`` and adds a Chinese message to ``errors``."""
    raw = request.GET.get(name)
    if not raw:
        return default
    try:
        return parse_date(raw)
    except ValueError as error:
        if errors is not None:
            errors.append(
                _("%(label)s：%(error)s，已改用 %(default)s")
                % {"label": PARAM_LABELS.get(name, name), "error": error, "default": f"{default:%Y-%m-%d}"}
            )
        return default


class StatsParamsMixin(RegulatorRequiredMixin):
    """Common query parameters: ``region`` (drill-down), ``as_of``, ``from``, ``to``."""

    def params(self):
        """(region, as_of, date_from, date_to); problems with the parameters land in ``param_errors``."""
        self.param_errors: list[str] = []
        today = timezone.localdate()
        as_of = _date_param(self.request, "as_of", today, self.param_errors)
        date_from = _date_param(self.request, "from", dt.date(as_of.year, 1, 1), self.param_errors)
        date_to = _date_param(self.request, "to", as_of, self.param_errors)
        if date_from > date_to:
            self.param_errors.append(
                _("期间起 %(start)s 晚于期间止 %(end)s，已改用 %(year)s 年初至统计日")
                % {"start": f"{date_from:%Y-%m-%d}", "end": f"{date_to:%Y-%m-%d}", "year": as_of.year}
            )
            date_from, date_to = dt.date(as_of.year, 1, 1), as_of
        region = region_for(self.request.user, self.request.GET.get("region"))
        return region, as_of, date_from, date_to

    def query(self, **extra) -> str:
        params = {k: v for k, v in self.request.GET.items() if k not in extra}
        params.update({k: v for k, v in extra.items() if v is not None})
        return urlencode(params)


#: Vocational figures shown in the dashboard's 职业教育 section (issue 15; the area's own pages drill further).
VOCATIONAL_DASHBOARD_KPIS = [
    "vocational.schools_by_level.secondary",
    "vocational.schools_by_level.associate",
    "vocational.secondary.public_counties",
    "vocational.double_excellence.schools",
    "vocational.centres",
    "vocational.standard.rate",
]


class DashboardView(StatsParamsMixin, TemplateView):
    """The regulator's dashboard: headline cards, the divisions below with their figures (drillable),
    a ranked bar chart of a chosen KPI, and monthly time series. Every figure links to its records."""

    template_name = "stats/dashboard.html"
    figures: dict[str, Any] | None = None

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "xlsx":
            return self.export()
        return super().get(request, *args, **kwargs)

    def compute(self):
        """The page's figures: the region's own, its divisions' and the monthly series, read from
        the snapshots (:mod:`shuangjian.stats.snapshots`); computed live only without a region."""
        region, as_of, date_from, date_to = self.params()
        ids = dashboard_kpis()
        if region is None:
            ctx = KpiContext(as_of=as_of, date_from=date_from, date_to=date_to, user=self.request.user)
            self.figures = None
            return region, as_of, date_from, date_to, ids, compute_kpis(ctx, ids), []
        from shuangjian.regions.models import Region

        from .dashboard_governance import governance_ids

        own_key = (region.code, as_of, date_from, date_to)
        default_key = today_key(region.code, as_of)
        vocational_ids = [k for k in VOCATIONAL_DASHBOARD_KPIS if k in KPIS]
        children = list(Region.objects.filter(parent=region).order_by("code"))
        own = figures_for([own_key], ids + governance_ids())[own_key]
        vocational = figures_for([default_key], vocational_ids)[default_key]
        below = figures_for([(c.code, as_of, date_from, date_to) for c in children], ids)
        series = figures_for(month_keys(region.code, as_of, 12), series_kpis())
        used = [own, vocational, *below.values(), *series.values()]
        self.figures = {
            "own": own,
            "vocational": vocational,
            "series": [series[k] for k in month_keys(region.code, as_of, 12)],
            "computed_at": min(f.computed_at for f in used),
            "fresh": all(f.fresh for f in used),
        }
        rows = [ChildRow(c, below[(c.code, as_of, date_from, date_to)].values) for c in children]
        return region, as_of, date_from, date_to, ids, own.values, rows

    def post(self, request, *args, **kwargs):
        """立即刷新: recompute the stale snapshots of this page's region and its divisions now,
        then show the page again (the minute task would do it within a minute or two)."""
        from shuangjian.regions.models import Region

        region, *_ = self.params()
        if region is not None:
            codes = [region.code, *Region.objects.filter(parent=region).values_list("code", flat=True)]
            snapshots_refresh(codes=codes, slack=False)
        return redirect(request.get_full_path())

    def export(self):
        region, as_of, _, _, ids, values, rows = self.compute()
        headers = ["区划代码", "名称"] + [KPIS[k].name for k in ids]
        table = [[r.region.code, r.region.name] + [r.values[k] for k in ids] for r in rows]
        table.append([region.code if region else "", "合计"] + [values[k] for k in ids])
        name = f"统计看板_{region.name if region else '全部'}_{as_of}.xlsx"
        return xlsx_response(name, headers, table, title="统计看板")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        region, as_of, date_from, date_to, ids, values, rows = self.compute()
        base = {"as_of": as_of.isoformat(), "from": date_from.isoformat(), "to": date_to.isoformat()}

        def records_url(kpi_id: str, code: str | None) -> str | None:
            if KPIS[kpi_id].records is None:
                return None
            return reverse("stats:records", args=[kpi_id]) + "?" + urlencode({**base, "region": code or ""})

        cards = [
            {
                "id": k,
                "name": KPIS[k].name,
                "value": display(k, values[k]),
                "url": records_url(k, region.code if region else None),
                "definition": KPIS[k].definition,
            }
            for k in ids
        ]
        table = []
        for row in rows:
            table.append(
                {
                    "region": row.region,
                    "drill": "?" + urlencode({**base, "region": row.region.code}),
                    "cells": [
                        {"value": display(k, row.values[k]), "url": records_url(k, row.region.code)}
                        for k in ids
                    ],
                }
            )
        chart_kpi = self.request.GET.get("chart") or (ids[0] if ids else "")
        if chart_kpi not in ids:
            raise Http404
        ranked = sorted(
            ((r.region.name, r.values[chart_kpi]) for r in rows), key=lambda x: (x[1] is None, -(x[1] or 0))
        )
        context.update(
            region=region,
            as_of=as_of,
            date_from=date_from,
            date_to=date_to,
            cards=cards,
            table=table,
            headers=[KPIS[k].name for k in ids],
            chart_kpi=chart_kpi,
            chart_options=[(k, KPIS[k].name) for k in ids],
            ranked={
                "names": [n for n, _ in ranked],
                "values": [v for _, v in ranked],
                "title": KPIS[chart_kpi].name,
            },
            series=series_from(
                month_keys(region.code, as_of, 12) if region else [],
                [f.values for f in self.figures["series"]] if self.figures else [],
                series_kpis(),
            )
            if region
            else time_series(self.request.user, None, as_of, series_kpis(), months=12),
            figures=self.figures,
            parent_link=("?" + urlencode({**base, "region": region.parent_id}))
            if region
            and region.parent_id
            and self.request.user.region_id != region.code
            and region.parent_id.startswith(
                self.request.user.region.subtree_prefix if self.request.user.region_id else ""
            )
            else None,
            export_url="?" + self.query(format="xlsx"),
            param_errors=self.param_errors,
        )
        vocational_ids = [k for k in VOCATIONAL_DASHBOARD_KPIS if k in KPIS]
        if vocational_ids and region is not None and self.figures:
            vocational = self.figures["vocational"].values
            context.update(
                vocational_cards=[
                    {
                        "id": k,
                        "name": KPIS[k].name,
                        "value": display(k, vocational[k]),
                        "definition": KPIS[k].definition,
                    }
                    for k in vocational_ids
                ],
                vocational_url=reverse("vocational:region", args=[region.code])
                + "?"
                + urlencode({"as_of": as_of.isoformat()}),
            )
        if region is not None and region.level == RegionLevel.COUNTY:
            context.update(county_lists(self.request.user, region, as_of))
        from .dashboard_governance import governance_panel

        context.update(
            governance_panel(
                user=self.request.user,
                region_code=region.code if region else None,
                as_of=as_of,
                date_from=date_from,
                date_to=date_to,
                values=values,
            )
        )
        return context


def county_lists(user: Any, region: Any, as_of: dt.date) -> dict[str, Any]:
    """A county's own lists on its dashboard: institutions, schools and open reports (newest first)."""
    from shuangjian.complaints.models import Report
    from shuangjian.schools.models import School

    from .kpis import KPIS as _KPIS

    active = _KPIS["institutions.active"].records
    assert active is not None
    institutions = active(KpiContext(as_of=as_of, region_code=region.code, user=user)).select_related(
        "county"
    )
    schools = School.objects.visible_to(user).in_region(region.code)
    reports = Report.objects.open().visible_to(user).in_region(region.code).order_by("-received_at")
    return {
        "county_institutions": institutions.order_by("name")[:20],
        "county_institution_count": institutions.count(),
        "county_schools": schools.order_by("name")[:20],
        "county_school_count": schools.count(),
        "county_reports": reports.select_related("institution")[:20],
        "county_report_count": reports.count(),
    }


class KpiDefinitionsView(RegulatorRequiredMixin, TemplateView):
    """Every statistic with its definition, unit, source and areas (口径说明)."""

    template_name = "stats/definitions.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kpis"] = list(KPIS.values())
        return context


class KpiRecordsView(StatsParamsMixin, TemplateView):
    """The records behind one figure (the 982 institutions behind "982"), with .xlsx export.

    The count of this list equals the figure: both come from the KPI's ``records`` queryset.
    """

    template_name = "stats/records.html"
    paginate_by = 100

    def get(self, request, *args, **kwargs):
        kpi = KPIS.get(kwargs["kpi_id"])
        if kpi is None or kpi.records is None:
            raise Http404
        region, as_of, date_from, date_to = self.params()
        ctx = KpiContext(
            as_of=as_of,
            date_from=date_from,
            date_to=date_to,
            region_code=region.code if region else None,
            user=request.user,
        )
        self.kpi, self.region, self.ctx = kpi, region, ctx
        qs = kpi.records(ctx)
        if qs.model._meta.label_lower == "institutions.institution":
            qs = qs.select_related("county")
        self.records = qs.order_by("pk")
        if request.GET.get("format") == "xlsx":
            rows = list(qs[:200000])
            columns = record_columns(rows[0] if rows else None)
            return xlsx_response(
                f"{kpi.name}_{region.name if region else ''}_{as_of}.xlsx",
                [c[0] for c in columns],
                ([c[1](r) for c in columns] for r in rows),
                title=kpi.name[:31],
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        from django.core.paginator import Paginator

        context = super().get_context_data(**kwargs)
        page = Paginator(self.records, self.paginate_by).get_page(self.request.GET.get("page"))
        rows = list(page.object_list)
        columns = record_columns(rows[0] if rows else None)
        context.update(
            kpi=self.kpi,
            region=self.region,
            ctx=self.ctx,
            page=page,
            headers=[c[0] for c in columns],
            rows=[[c[1](r) for c in columns] for r in rows],
            links=[getattr(r, "get_absolute_url", lambda: None)() for r in rows],
            total=page.paginator.count,
            export_url="?" + self.query(format="xlsx", page=None),
        )
        return context


#: Columns of record lists, per model label; other models show their first concrete fields.
RECORD_COLUMNS: dict[str, list[tuple[str, Any]]] = {
    "institutions.institution": [
        ("统一社会信用代码", lambda r: r.credit_code),
        # Values on the statistics date where the KPI's records carry them (selectors.with_values_on).
        ("机构名称", lambda r: getattr(r, "name_on", r.name)),
        ("现名称", lambda r: r.name),
        ("所在区县", lambda r: r.county.full_name),
        ("纳入资金监管", lambda r: "是" if getattr(r, "fund_on", r.fund_supervised) else "否"),
        ("办学许可证号", lambda r: getattr(r, "license_on", r.license_no)),
    ],
}


def record_columns(sample: Any) -> list[tuple[str, Any]]:
    """Columns shown for a record list: :data:`RECORD_COLUMNS` for its model, else its concrete fields."""
    if sample is None:
        return [("记录", str)]
    custom = RECORD_COLUMNS.get(sample._meta.label_lower)
    if custom:
        return custom
    columns = []
    for f in sample._meta.concrete_fields:
        if f.name in {"id", "created_at", "updated_at"}:
            continue
        columns.append((str(f.verbose_name), lambda r, f=f: getattr(r, f.attname)))
    return columns[:10]


# --- Weekly report ----------------------------------------------------------------------------


def _last_complete_week() -> str:
    from .weekly import week_label

    return week_label(timezone.localdate() - dt.timedelta(days=7))


class WeeklyReportView(StatsParamsMixin, TemplateView):
    """This week's report as a page (``?week=2023-W22&region=430100``), with Word/PDF downloads."""

    template_name = "stats/weekly.html"

    def get_context_data(self, **kwargs):
        from .weekly import WeeklyReportError, render_html, weekly_build

        context = super().get_context_data(**kwargs)
        region = region_for(self.request.user, self.request.GET.get("region"))
        week = self.request.GET.get("week") or _last_complete_week()
        try:
            report = weekly_build(
                week=week, region_code=region.code if region else None, user=self.request.user
            )
        except WeeklyReportError as error:
            context["error"] = str(error)
            context["week"] = week
            return context
        context.update(
            report=report, html=render_html(report, standalone=False), week=report.week, region=region
        )
        return context


class WeeklyReportDownloadView(StatsParamsMixin, TemplateView):
    """Generate the week's report as .docx or .pdf, file it in the archive, and download it."""

    def get(self, request, *args, **kwargs):
        from .weekly import WeeklyReportError, render, weekly_build, weekly_issue_file

        fmt = kwargs["fmt"]
        if fmt not in {"docx", "pdf"}:
            raise Http404
        region = region_for(request.user, request.GET.get("region"))
        try:
            report = weekly_build(
                week=kwargs["week"], region_code=region.code if region else None, user=request.user
            )
        except WeeklyReportError:
            raise Http404 from None
        data = render(report, fmt)
        # Downloading issues the report (the archive keeps what was handed out): a service write.
        weekly_issue_file(report=report, fmt=fmt, data=data, actor=request.user)
        return _file_response(data, fmt, f"{report.title}第{report.number}期.{fmt}")


def _file_response(data: bytes, fmt: str, filename: str):
    from urllib.parse import quote

    from django.http import HttpResponse

    mime = {
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }[fmt]
    response = HttpResponse(data, content_type=mime)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


class WeeklyArchiveView(RegulatorRequiredMixin, TemplateView):
    """Past issues the user may open (its region and the regions below), newest first."""

    template_name = "stats/weekly_archive.html"

    def get_context_data(self, **kwargs):
        from .models import WeeklyReportIssue

        context = super().get_context_data(**kwargs)
        context["issues"] = WeeklyReportIssue.objects.visible_to(self.request.user).select_related("region")[
            :200
        ]
        return context


class WeeklyIssueFileView(RegulatorRequiredMixin, TemplateView):
    """Download a stored issue's file; 404 for an issue outside the user's scope."""

    def get(self, request, *args, **kwargs):
        from django.shortcuts import get_object_or_404

        from .models import WeeklyReportIssue

        issue = get_object_or_404(WeeklyReportIssue.objects.visible_to(request.user), pk=kwargs["pk"])
        fmt = kwargs["fmt"]
        stored = getattr(issue, fmt, None) if fmt in {"docx", "pdf"} else None
        if not stored:
            raise Http404
        with stored.open("rb") as fh:
            data = fh.read()
        return _file_response(data, fmt, f"{issue.region.name}每周专报第{issue.number}期.{fmt}")


# --- Performance evaluation (履职评价, issue 18) ----------------------------------------------------


class EvaluationView(RegulatorRequiredMixin, TemplateView):
    """A campaign's ranked scores per city and per county (``?campaign=<id>``, default the latest the
    user may see); each row opens its breakdown (``stats:evaluation_target``). ``?format=xlsx`` exports."""

    template_name = "stats/evaluation.html"

    def get(self, request, *args, **kwargs):
        from shuangjian.governance.models import CampaignTarget, InspectionCampaign

        from .evaluation import campaign_ranking

        visible = InspectionCampaign.objects.filter(
            pk__in=CampaignTarget.objects.visible_to(request.user).values("campaign_id")
        ).order_by("-start_on")
        raw = request.GET.get("campaign", "")
        campaign = visible.filter(pk=raw).first() if raw.isdigit() else visible.first()
        if raw and campaign is None:
            raise Http404
        ranking = campaign_ranking(campaign, user=request.user) if campaign else {}
        if request.GET.get("format") == "xlsx" and campaign:
            rows = [
                [
                    r.rank,
                    r.target.region.full_name,
                    "市州" if level == RegionLevel.PREFECTURE else "县市区",
                    r.total,
                ]
                + [line.points for line in r.lines]
                for level, rows_ in ranking.items()
                for r in rows_
            ]
            headers = ["排名", "地区", "层级", "总分"] + [
                i.name for i in campaign.indicator_set.indicators.all()
            ]
            return xlsx_response(f"履职评价_{campaign.name}.xlsx", headers, rows, title="履职评价")
        return self.render_to_response(
            self.get_context_data(
                campaign=campaign,
                campaigns=visible,
                cities=ranking.get("PREFECTURE", []),
                counties=ranking.get("COUNTY", []),
            )
        )


class EvaluationTargetView(RegulatorRequiredMixin, TemplateView):
    """One inspected region's score: each indicator's points, the KPI value behind it with links to
    the records (``stats:records`` for the campaign's date and period), or the inspector's finding."""

    template_name = "stats/evaluation_target.html"

    def get_context_data(self, **kwargs):
        from django.shortcuts import get_object_or_404

        from shuangjian.governance.models import CampaignTarget

        from .evaluation import target_score

        context = super().get_context_data(**kwargs)
        target = get_object_or_404(
            CampaignTarget.objects.visible_to(self.request.user).select_related(
                "region", "campaign__indicator_set"
            ),
            pk=kwargs["pk"],
        )
        campaign = target.campaign
        result = target_score(target, user=self.request.user)
        base = {
            "as_of": campaign.as_of.isoformat(),
            "from": campaign.period_from.isoformat(),
            "to": campaign.period_to.isoformat(),
            "region": target.region_id,
        }
        lines = []
        for line in result.lines:
            lines.append(
                {
                    "line": line,
                    "value_text": display(line.kpi_id, line.value)
                    if line.kpi_id in KPIS
                    else (f"{line.value}%" if line.value is not None else "—"),
                    "records": [
                        {
                            "id": k,
                            "name": name,
                            "value": display(k, value),
                            "url": reverse("stats:records", args=[k]) + "?" + urlencode(base)
                            if KPIS[k].records
                            else None,
                        }
                        for k, name, value in line.record_kpis
                    ],
                }
            )
        context.update(target=target, campaign=campaign, result=result, lines=lines)
        return context
