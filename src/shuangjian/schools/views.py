"""Pages of in-school burden reduction (校内减负).

Regulators: rates of their region drilled province → city → county → school → class, the schools
that fall short, .xlsx exports. School staff (role SCHOOL): their own school, publishing homework,
weekly after-school returns, exam registrations and imports. Parents: a class's public homework page.
Every record is read through ``Model.objects.visible_to(request.user)``; a foreign one is 404.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from shuangjian.common.api import ApiAuthMixin
from shuangjian.common.exporting import xlsx_response
from shuangjian.common.importing import ImportFileError
from shuangjian.common.scoping import region_visible_to, user_region_prefix
from shuangjian.regions.models import Region, RegionLevel

from .checks import (
    AfterSchoolFigures,
    ExamFacts,
    SchoolCalendar,
    after_school_findings,
    after_school_required_days,
    exam_findings,
    homework_findings,
    monday_of,
)
from .forms import (
    AfterSchoolForm,
    ExamForm,
    HomeworkDayForm,
    HomeworkItemFormSet,
    ImportForm,
    period_from_request,
)
from .importers import IMPORTER_CLASSES, template_workbook
from .models import AfterSchoolWeek, Exam, HomeworkDay, School, SchoolClass
from .rules import SchoolRuleBook
from .selectors import (
    RATE_DEFINITIONS,
    RATE_KEYS,
    DrillRow,
    class_rows,
    evaluate,
    region_drill,
    scoped_schools,
    shortfall_rows,
)
from .services import (
    AfterSchoolInput,
    HomeworkItemInput,
    after_school_report,
    exam_register,
    homework_publish,
)


def _rate_cards(rates: dict[str, float | None]) -> list[dict[str, Any]]:
    return [
        {
            "key": key,
            "title": RATE_DEFINITIONS[key][0],
            "definition": RATE_DEFINITIONS[key][1],
            "value": rates[key],
        }
        for key in RATE_KEYS
    ]


def _home_region(user) -> Region:
    """The region a regulator's pages start from (the province for a superuser without one)."""
    if not (user.is_superuser or (user.is_regulator and user.region_id)):
        raise PermissionDenied(_("只有监管部门可以查看区域统计"))
    region = region_visible_to(user)
    if region is None:
        raise Http404
    return region


def visible_region(user, code: str) -> Region:
    """The region ``code`` if it lies in the user's scope; 404 otherwise (never 403)."""
    return region_visible_to(user, code)


def rules_in_force(region_code: str) -> list[dict[str, Any]]:
    """This area's rule parameters as they apply to ``region_code`` (value, unit, source, evidence status)."""
    from shuangjian.common.rules import RULES

    from .rules import PREFIX

    book = SchoolRuleBook()
    rows = []
    for key, spec in sorted(RULES.items()):
        if not key.startswith(PREFIX):
            continue
        value = book.value(key, region_code)
        if key == "schools.vacations":
            value = "；".join(f"{v.get('name', '')} {v.get('start')}至{v.get('end')}" for v in value or [])
        elif isinstance(value, bool):
            value = _("是") if value else _("否")
        rows.append(
            {
                "key": key,
                "title": spec.title,
                "value": value,
                "unit": spec.unit,
                "source": spec.source,
                "status": spec.status,
            }
        )
    return rows


def _breadcrumbs(user, region: Region) -> list[Region]:
    prefix = user_region_prefix(user) or ""
    return [
        r for r in region.ancestors() if r.code.startswith(prefix) and len(r.subtree_prefix) >= len(prefix)
    ]


def _bars(rows: list[DrillRow]) -> dict[str, Any]:
    """Geometry of the inline SVG bar chart: per row three bars (publication, time compliance, coverage)."""
    keys = [
        ("homework_publication_rate", "#1976d2"),
        ("homework_time_compliance_rate", "#2e7d32"),
        ("after_school_coverage_rate", "#f57c00"),
    ]
    label_w, bar_w, row_h = 110, 420, 40
    items = []
    for index, row in enumerate(rows):
        y = 24 + index * row_h
        bars = []
        for n, (key, colour) in enumerate(keys):
            value = row.rates[key]
            bars.append(
                {
                    "y": y + n * 11,
                    "width": round((value or 0) * bar_w, 1),
                    "colour": colour,
                    "text": "—" if value is None else f"{value * 100:.1f}%",
                    "tx": label_w + round((value or 0) * bar_w, 1) + 4,
                }
            )
        items.append({"label": row.label, "y": y + 18, "bars": bars})
    return {
        "items": items,
        "height": 30 + len(rows) * row_h,
        "label_w": label_w,
        "bar_w": bar_w,
        "legend": [(RATE_DEFINITIONS[k][0], c, 120 + i * 150) for i, (k, c) in enumerate(keys)],
        "x0": label_w,
        "x100": label_w + bar_w,
    }


def _export(filename: str, rows: list[DrillRow], *, with_shortfalls: bool, first: str) -> HttpResponse:
    headers = (
        [first, _("名称")]
        + [str(RATE_DEFINITIONS[k][0]) for k in RATE_KEYS]
        + [
            _("应公示班级·日"),
            _("已公示班级·日"),
            _("时长合规班级·日"),
            _("应开展学校·周"),
            _("达标学校·周"),
            _("纸笔考试场次"),
            _("合规场次"),
        ]
    )
    if with_shortfalls:
        headers.append(_("问题"))
    data = []
    for row in rows:
        t = row.tally
        line = (
            [row.key, row.label]
            + [row.rates[k] for k in RATE_KEYS]
            + [
                t.hw_due,
                t.hw_published,
                t.hw_compliant,
                t.as_due,
                t.as_covered,
                t.ex_total,
                t.ex_compliant,
            ]
        )
        if with_shortfalls:
            line.append("；".join(row.shortfalls))
        data.append(line)
    return xlsx_response(filename, headers, data, title=_("校内减负"))


class IndexView(View):
    """School staff go to their school; regulators see the rates of their own region."""

    def get(self, request):
        user = request.user
        if user.school_id and not user.is_regulator:
            return redirect("schools:school", pk=user.school_id)
        region = _home_region(user)
        return RegionView().render_region(request, region)


class RegionView(View):
    """Rates of a region and one row per unit below it (city, county, or school); ``?format=xlsx``."""

    def get(self, request, code: str):
        return self.render_region(request, visible_region(request.user, code))

    def render_region(self, request, region: Region):
        date_from, date_to, form = period_from_request(request)
        schools = scoped_schools(request.user, region.code)
        evaluation = evaluate(schools, date_from, date_to)
        rows = region_drill(evaluation, region)
        if request.GET.get("format") == "xlsx":
            first = _("学校标识码") if region.level == RegionLevel.COUNTY else _("区划代码")
            return _export(
                f"校内减负_{region.name}_{date_from}_{date_to}.xlsx",
                rows,
                with_shortfalls=region.level == RegionLevel.COUNTY,
                first=first,
            )
        query = urlencode({"from": date_from.isoformat(), "to": date_to.isoformat()})
        child_level: dict[str, str] = {
            RegionLevel.PROVINCE: _("市州"),
            RegionLevel.PREFECTURE: _("县市区"),
            RegionLevel.COUNTY: _("学校"),
        }
        context = {
            "region": region,
            "crumbs": _breadcrumbs(request.user, region),
            "form": form,
            "date_from": date_from,
            "date_to": date_to,
            "query": query,
            "cards": _rate_cards(evaluation.total.rates()),
            "rows": rows,
            "child_level": child_level[region.level],
            "bars": _bars(rows) if region.level != RegionLevel.COUNTY else None,
            "n_schools": len(evaluation.schools),
            "n_furong": sum(1 for r in evaluation.schools.values() if r.is_furong),
            "n_short": sum(1 for r in evaluation.schools.values() if r.shortfalls),
            "warnings": evaluation.warnings,
            "rules": rules_in_force(region.code),
        }
        return render(request, "schools/region.html", context)


class ShortfallsView(View):
    """Schools of the user's region (or ``?region=``) that fall short in the period; ``?format=xlsx``."""

    def get(self, request):
        code = request.GET.get("region")
        region = visible_region(request.user, code) if code else _home_region(request.user)
        date_from, date_to, form = period_from_request(request)
        evaluation = evaluate(scoped_schools(request.user, region.code), date_from, date_to)
        rows = shortfall_rows(evaluation)
        if request.GET.get("format") == "xlsx":
            return _export(
                f"未达标学校_{region.name}_{date_from}_{date_to}.xlsx",
                rows,
                with_shortfalls=True,
                first=_("学校标识码"),
            )
        query = urlencode({"from": date_from.isoformat(), "to": date_to.isoformat(), "region": region.code})
        return render(
            request,
            "schools/shortfalls.html",
            {
                "region": region,
                "form": form,
                "rows": rows,
                "date_from": date_from,
                "date_to": date_to,
                "query": query,
                "n_schools": len(evaluation.schools),
                "definitions": _rate_cards(evaluation.total.rates()),
                "warnings": evaluation.warnings,
            },
        )


class SchoolDetailView(View):
    """One school: its rates, classes, after-school returns and exams with their checks."""

    def get(self, request, pk: int):
        school = get_object_or_404(School.objects.visible_to(request.user).select_related("county"), pk=pk)
        date_from, date_to, form = period_from_request(request)
        evaluation = evaluate(School.objects.filter(pk=school.pk), date_from, date_to)
        result = evaluation.schools.get(school.pk)
        rulebook = SchoolRuleBook()
        rules = rulebook.for_county(school.county_id)
        calendar = SchoolCalendar(rulebook)
        returns = []
        for record in AfterSchoolWeek.objects.visible_to(request.user).filter(
            school=school, week_start__gte=monday_of(date_from), week_start__lte=date_to
        ):
            days = calendar.school_days(
                school.county_id, record.week_start, record.week_start + dt.timedelta(days=6)
            )
            required = after_school_required_days(len(days), rules)
            figures = AfterSchoolFigures(
                record.days_offered,
                record.hours_per_day,
                record.end_time,
                record.students_enrolled,
                record.students_requested,
            )
            returns.append(
                (record, required, after_school_findings(figures, required_days=required, rules=rules))
            )
        exams = list(
            Exam.objects.visible_to(request.user).filter(school=school).order_by("-held_on", "grade")[:200]
        )
        facts = [
            ExamFacts(e.id, e.school_id, school.county_id, e.term, e.grade, e.kind, e.held_on, e.is_written)
            for e in exams
        ]
        findings = exam_findings(facts, rulebook)
        is_staff = request.user.school_id == school.pk
        today = timezone.localdate()
        today_school_day, today_status = calendar.day_status(today, school.county_id)
        published_today = set(
            HomeworkDay.objects.visible_to(request.user)
            .filter(school_class__school=school, date=today)
            .values_list("school_class_id", flat=True)
        )
        query = urlencode({"from": date_from.isoformat(), "to": date_to.isoformat()})
        return render(
            request,
            "schools/school_detail.html",
            {
                "school": school,
                "form": form,
                "date_from": date_from,
                "date_to": date_to,
                "query": query,
                "cards": _rate_cards(
                    result.rates
                    if result
                    else evaluate(School.objects.none(), date_from, date_to).total.rates()
                ),
                "result": result,
                "classes": class_rows(result) if result else [],
                "returns": returns,
                "exams": [(e, findings[e.id]) for e in exams],
                "is_staff": is_staff,
                "crumbs": _breadcrumbs(request.user, school.county) if request.user.is_regulator else [],
                "today": today,
                "today_school_day": today_school_day,
                "today_status": today_status,
                "published_today": published_today,
                "warnings": evaluation.warnings,
            },
        )


def _class_days(school_class: SchoolClass, date_from: dt.date, date_to: dt.date, records: dict) -> list[dict]:
    """One line per day of the period: status (上课日 / 节假日 …), the record and its findings."""
    rulebook = SchoolRuleBook()
    rules = rulebook.for_county(school_class.school.county_id)
    calendar = SchoolCalendar(rulebook)
    lines = []
    day = date_to
    while day >= date_from:
        is_school_day, status = calendar.day_status(day, school_class.school.county_id)
        record = records.get(day)
        if is_school_day or record is not None:
            findings = (
                homework_findings(
                    grade=school_class.grade, written_minutes=record.written_minutes, rules=rules
                )
                if record is not None
                else []
            )
            lines.append(
                {
                    "date": day,
                    "school_day": is_school_day,
                    "status": status,
                    "record": record,
                    "findings": findings,
                }
            )
        day -= dt.timedelta(days=1)
    return lines


class ClassDetailView(View):
    """One class: homework day by day in the period, missing days, over-limit days."""

    def get(self, request, pk: int):
        school_class = get_object_or_404(
            SchoolClass.objects.visible_to(request.user).select_related("school", "school__county"), pk=pk
        )
        date_from, date_to, form = period_from_request(request)
        records = {
            r.date: r
            for r in HomeworkDay.objects.visible_to(request.user)
            .filter(school_class=school_class, date__gte=date_from, date__lte=date_to)
            .prefetch_related("items")
        }
        lines = _class_days(school_class, date_from, date_to, records)
        limit = SchoolRuleBook().for_county(school_class.school.county_id).homework_max[school_class.band]
        return render(
            request,
            "schools/class_detail.html",
            {
                "school_class": school_class,
                "school": school_class.school,
                "form": form,
                "lines": lines,
                "date_from": date_from,
                "date_to": date_to,
                "limit": limit,
                "is_staff": request.user.school_id == school_class.school_id,
                "public_url": request.build_absolute_uri(
                    reverse("schools:class_public", args=[school_class.public_key])
                ),
            },
        )


def _own_school(request) -> School:
    """The school of a school-staff user; 403 for anyone else (regulators read, they do not report)."""
    user = request.user
    if not user.school_id or user.is_regulator:
        raise PermissionDenied(_("只有学校用户可以填报"))
    return get_object_or_404(School.objects.visible_to(user), pk=user.school_id)


class HomeworkPublishView(View):
    """A teacher publishes (or corrects) a class's homework for a day."""

    def _class(self, request, pk: int) -> SchoolClass:
        _own_school(request)
        return get_object_or_404(SchoolClass.objects.visible_to(request.user).select_related("school"), pk=pk)

    def get(self, request, pk: int):
        school_class = self._class(request, pk)
        day_text = request.GET.get("date")
        try:
            day = dt.date.fromisoformat(day_text) if day_text else timezone.localdate()
        except ValueError:
            day = timezone.localdate()
        record = (
            HomeworkDay.objects.filter(school_class=school_class, date=day).prefetch_related("items").first()
        )
        initial = (
            [
                {"subject": i.subject, "content": i.content, "minutes": i.minutes, "is_written": i.is_written}
                for i in record.items.all()
            ]
            if record
            else []
        )
        return self._render(
            request,
            school_class,
            HomeworkDayForm(initial={"date": day, "note": record.note if record else ""}),
            HomeworkItemFormSet(initial=initial, prefix="items"),
        )

    def post(self, request, pk: int):
        school_class = self._class(request, pk)
        form = HomeworkDayForm(request.POST)
        formset = HomeworkItemFormSet(request.POST, prefix="items")
        if form.is_valid() and formset.is_valid():
            items = [
                HomeworkItemInput(
                    f["subject"], f.get("content") or "", f.get("minutes") or 0, bool(f.get("is_written"))
                )
                for f in formset.cleaned_data
                if f.get("subject")
            ]
            try:
                day = homework_publish(
                    actor=request.user,
                    school_class=school_class,
                    date=form.cleaned_data["date"],
                    items=items,
                    note=form.cleaned_data.get("note") or "",
                )
            except ValidationError as error:
                form.add_error(None, "；".join(error.messages))
            else:
                rulebook = SchoolRuleBook()
                rules = rulebook.for_county(school_class.school.county_id)
                findings = homework_findings(
                    grade=school_class.grade, written_minutes=day.written_minutes, rules=rules
                )
                messages.success(request, _("已公示 %(date)s 的作业") % {"date": day.date})
                is_school_day, status = SchoolCalendar(rulebook).day_status(
                    day.date, school_class.school.county_id
                )
                if not is_school_day:
                    messages.warning(
                        request,
                        _(
                            "注意：%(date)s 不是上课日（%(status)s），该日作业已保存，但不计入作业公示率和作业时长统计；"
                            "如日期填错，请改正后重新公示"
                        )
                        % {"date": day.date, "status": status},
                    )
                for finding in findings:
                    messages.warning(request, finding)
                return redirect(reverse("schools:class", args=[school_class.pk]))
        return self._render(request, school_class, form, formset)

    def _render(self, request, school_class, form, formset):
        rules = SchoolRuleBook().for_county(school_class.school.county_id)
        return render(
            request,
            "schools/homework_form.html",
            {
                "school_class": school_class,
                "form": form,
                "formset": formset,
                "limit": rules.homework_max[school_class.band],
            },
        )


def _after_school_warnings(school: School, record: AfterSchoolWeek) -> list[str]:
    """The "5+2" findings of a return just filed (the same check as the school page and the rates)."""
    rulebook = SchoolRuleBook()
    rules = rulebook.for_county(school.county_id)
    days = SchoolCalendar(rulebook).school_days(
        school.county_id, record.week_start, record.week_start + dt.timedelta(days=6)
    )
    required = after_school_required_days(len(days), rules)
    figures = AfterSchoolFigures(
        record.days_offered,
        record.hours_per_day,
        record.end_time,
        record.students_enrolled,
        record.students_requested,
    )
    findings = after_school_findings(figures, required_days=required, rules=rules)
    if required == 0:
        # No school day that week: nothing is due, but an impossible end time is still worth a warning.
        findings = after_school_findings(figures, required_days=1, rules=rules)
        findings = [f for f in findings if f.startswith("结束时间") or "多于申请" in f]
    return findings


class AfterSchoolReportView(View):
    """School staff file the weekly after-school service return (课后服务周报)."""

    def get(self, request):
        school = _own_school(request)
        initial = {"week": timezone.localdate(), "external_staff_count": 0, "fee_yuan": 0, "subsidy_yuan": 0}
        return render(
            request,
            "schools/after_school_form.html",
            {"school": school, "form": AfterSchoolForm(initial=initial)},
        )

    def post(self, request):
        school = _own_school(request)
        form = AfterSchoolForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            data = AfterSchoolInput(
                days_offered=d["days_offered"],
                hours_per_day=Decimal(d["hours_per_day"]).quantize(Decimal("0.1")),
                end_time=d["end_time"],
                students_enrolled=d["students_enrolled"],
                students_requested=d["students_requested"],
                staff_count=d["staff_count"],
                external_staff_count=d.get("external_staff_count") or 0,
                fee_fen=int((d.get("fee_yuan") or 0) * 100),
                subsidy_fen=int((d.get("subsidy_yuan") or 0) * 100),
                note=d.get("note") or "",
                science_days=d.get("science_days") or 0,
                science_activities=d.get("science_activities") or "",
                science_resources=d.get("science_resources") or "",
            )
            try:
                record, _changed = after_school_report(
                    actor=request.user, school=school, week_start=d["week"], data=data
                )
            except ValidationError as error:
                form.add_error(None, "；".join(error.messages))
            else:
                messages.success(request, _("已提交 %(week)s 周的课后服务周报") % {"week": record.week_start})
                for finding in _after_school_warnings(school, record):
                    messages.warning(request, _("注意：%(finding)s") % {"finding": finding})
                return redirect("schools:school", pk=school.pk)
        return render(request, "schools/after_school_form.html", {"school": school, "form": form})


class ExamRegisterView(View):
    """School staff register (备案) an exam of a grade."""

    def get(self, request):
        school = _own_school(request)
        return render(
            request, "schools/exam_form.html", {"school": school, "form": ExamForm(grades=school.grades)}
        )

    def post(self, request):
        school = _own_school(request)
        form = ExamForm(request.POST, grades=school.grades)
        if form.is_valid():
            d = form.cleaned_data
            try:
                exam, created = exam_register(
                    actor=request.user,
                    school=school,
                    grade=d["grade"],
                    kind=d["kind"],
                    name=d["name"],
                    held_on=d["held_on"],
                    subjects=d.get("subjects") or "",
                    is_written=bool(d.get("is_written")),
                )
            except ValidationError as error:
                form.add_error(None, "；".join(error.messages))
            else:
                messages.success(request, _("已登记：%(exam)s") % {"exam": exam})
                return redirect("schools:school", pk=school.pk)
        return render(request, "schools/exam_form.html", {"school": school, "form": form})


@method_decorator(login_not_required, name="dispatch")
class ClassPublicView(View):
    """The public page of a class (for parents): today's published homework, no login."""

    def get(self, request, key):
        school_class = get_object_or_404(
            SchoolClass.objects.select_related("school", "school__county"),
            public_key=key,
            is_active=True,
            school__is_active=True,
        )
        today = timezone.localdate()
        record = (
            HomeworkDay.objects.filter(school_class=school_class, date=today)
            .prefetch_related("items")
            .first()
        )
        rulebook = SchoolRuleBook()
        is_school_day, status = SchoolCalendar(rulebook).day_status(today, school_class.school.county_id)
        limit = rulebook.for_county(school_class.school.county_id).homework_max[school_class.band]
        return render(
            request,
            "schools/class_public.html",
            {
                "school_class": school_class,
                "school": school_class.school,
                "today": today,
                "record": record,
                "is_school_day": is_school_day,
                "status": status,
                "limit": limit,
            },
        )


class TemplateDownloadView(View):
    """The empty .xlsx template of a report type."""

    def get(self, request, kind: str):
        if kind not in IMPORTER_CLASSES:
            raise Http404
        response = HttpResponse(
            template_workbook(kind),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        filename = f"{IMPORTER_CLASSES[kind].title}模板.xlsx"
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
        return response


class ImportView(View):
    """Upload a filled template; every row checked against the uploader's scope, errors per row."""

    def _allowed(self, request) -> None:
        user = request.user
        if not (user.is_superuser or user.is_regulator or user.school_id):
            raise PermissionDenied(_("无权导入校内减负报表"))

    def get(self, request):
        self._allowed(request)
        return render(request, "schools/import.html", {"form": ImportForm(), "kinds": IMPORTER_CLASSES})

    def post(self, request):
        self._allowed(request)
        form = ImportForm(request.POST, request.FILES)
        report = None
        error = None
        if form.is_valid():
            upload = form.cleaned_data["file"]
            importer = IMPORTER_CLASSES[form.cleaned_data["kind"]](actor=request.user)
            try:
                report = importer.run(
                    upload.name,
                    data=upload.read(),
                    filename=upload.name,
                    skip_invalid=form.cleaned_data["skip_invalid"],
                )
            except (ImportFileError, PermissionDenied) as exc:
                error = str(exc)
        return render(
            request,
            "schools/import.html",
            {
                "form": form,
                "kinds": IMPORTER_CLASSES,
                "report": report,
                "error": error,
            },
            status=200
            if report is not None and report.applied
            else (400 if request.method == "POST" else 200),
        )


class RatesApiView(ApiAuthMixin, APIView):
    """The four rates of a region (``?from=&to=``) with their definitions and one entry per unit below."""

    @extend_schema(
        parameters=[
            OpenApiParameter("from", str, description="开始日期 YYYY-MM-DD"),
            OpenApiParameter("to", str, description="结束日期 YYYY-MM-DD"),
        ],
        responses={200: dict},
    )
    def get(self, request, code: str):
        region = visible_region(request.user, code)
        date_from, date_to, _form = period_from_request(request)
        evaluation = evaluate(scoped_schools(request.user, region.code), date_from, date_to)
        rows = region_drill(evaluation, region)
        return Response(
            {
                "region": region.code,
                "name": region.name,
                "from": date_from,
                "to": date_to,
                **evaluation.total.rates(),
                "definitions": {k: str(v[1]) for k, v in RATE_DEFINITIONS.items()},
                "children": [{"code": r.key, "name": r.label, **r.rates} for r in rows],
                "warnings": evaluation.warnings,
            }
        )
