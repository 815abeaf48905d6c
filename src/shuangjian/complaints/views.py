"""Pages of the reports area.

Public (no login, rate-limited): the 随手拍 form, its receipt, progress tracking by query code, the
institution search and the address → county preview used by the form. Regulators: the list with
filters and .xlsx export, the detail page with the handling steps, registration of reports from
other channels, the overdue list and statistics. Every regulator read goes through
``Report.objects.visible_to(request.user)``; a foreign report is 404.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import random
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.decorators import ratelimit

from shuangjian.accounts.choices import Role
from shuangjian.common.rules import rule_value
from shuangjian.common.scoping import regions_visible_to
from shuangjian.common.text import mask_phone
from shuangjian.regions.models import Region, RegionLevel

from . import selectors, services
from .choices import EscalationLevel, ReportType, Source, Status
from .forms import (
    ActionForm,
    AssignForm,
    CloseForm,
    JudgeForm,
    MergeForm,
    PublicReportForm,
    RegisterReportForm,
    RerouteForm,
    TrackForm,
)
from .models import PendingPhoto, Report, ReportPhoto
from .photos import MAX_PHOTO_BYTES, MAX_PHOTOS, PhotoError, ProcessedPhoto, process_photo
from .routing import resolve_county

SUBMIT_RATE = getattr(settings, "COMPLAINTS_SUBMIT_RATE", "20/h")
TRACK_RATE = getattr(settings, "COMPLAINTS_TRACK_RATE", "30/h")
SEARCH_RATE = getattr(settings, "COMPLAINTS_SEARCH_RATE", "120/m")
PAGE_RATE = getattr(settings, "COMPLAINTS_PAGE_RATE", "120/m")
TRACK_FAILURES_PER_NUMBER = 10
MAX_REQUEST_BYTES = MAX_PHOTOS * MAX_PHOTO_BYTES + 1024 * 1024


def _client_key(request: HttpRequest) -> str:
    ip = request.META.get("REMOTE_ADDR", "")
    return hashlib.sha256(f"{settings.SECRET_KEY}:{ip}".encode()).hexdigest()[:32]


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "complaints/public_limited.html", status=429)


def _require_regulator(request: HttpRequest) -> None:
    user = request.user
    if not (user.is_superuser or getattr(user, "is_regulator", False)):
        raise PermissionDenied


# --- public ------------------------------------------------------------------------------------
def _submissions_key(request: HttpRequest) -> str:
    return f"complaints:submissions:{_client_key(request)}"


def _challenge_needed(request: HttpRequest) -> bool:
    limit = int(rule_value("complaints.challenge_after_submissions"))
    count = max(
        int(cache.get(_submissions_key(request), 0)), int(request.session.get("complaint_submissions", 0))
    )
    return count >= limit


def _new_challenge(request: HttpRequest) -> dict[str, Any]:
    a, b = random.randint(2, 9), random.randint(2, 9)  # noqa: S311 - a human check, not a secret
    if random.random() < 0.5:  # noqa: S311
        challenge = {"question": f"{a} + {b} = ?", "answer": a + b}
    else:
        challenge = {"question": f"{a} × {b} = ?", "answer": a * b}
    request.session["complaint_challenge"] = challenge
    return challenge


def _pending_for(request: HttpRequest, tokens: list[str]) -> list[PendingPhoto]:
    key = request.session.session_key
    if not key or not tokens:
        return []
    return list(PendingPhoto.objects.filter(session_key=key, token__in=tokens[:MAX_PHOTOS]))


@login_not_required
@ratelimit(key="ip", rate=PAGE_RATE, method="GET", block=False)
@ratelimit(key="ip", rate=SUBMIT_RATE, method="POST", block=False)
def public_new(request: HttpRequest) -> HttpResponse:
    """The public report form (随手拍). POST validates everything; photos are checked by content,
    re-encoded and stripped of metadata. A refused file leaves the other fields and the accepted
    photos kept (as the session's pending photos) for resubmission."""
    if getattr(request, "limited", False):
        return _too_many(request)
    challenge = request.session.get("complaint_challenge") if _challenge_needed(request) else None
    if request.method == "POST":
        if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_REQUEST_BYTES:
            return render(request, "complaints/public_limited.html", {"too_large": True}, status=413)
        if _challenge_needed(request) and not challenge:
            challenge = _new_challenge(request)
        form = PublicReportForm(
            request.POST, request.FILES, challenge_answer=challenge["answer"] if challenge else None
        )
        if not request.session.session_key:
            request.session.save()
        kept = _pending_for(request, request.POST.getlist("keep_photo"))
        photo_errors: list[str] = []
        accepted: list[tuple[str, ProcessedPhoto]] = []
        files = request.FILES.getlist("photos")
        if len(files) + len(kept) > MAX_PHOTOS:
            photo_errors.append(
                _("最多上传 %(n)d 张照片，本次共 %(m)d 张") % {"n": MAX_PHOTOS, "m": len(files) + len(kept)}
            )
        else:
            for upload in files:
                if (upload.size or 0) > MAX_PHOTO_BYTES:
                    photo_errors.append(
                        _("“%(name)s”太大（%(size).1f MB），每张照片不超过 %(max)d MB")
                        % {
                            "name": upload.name,
                            "size": (upload.size or 0) / 1024 / 1024,
                            "max": MAX_PHOTO_BYTES // 1024 // 1024,
                        }
                    )
                    continue
                try:
                    accepted.append((upload.name or "", process_photo(upload.name or "", upload.read())))
                except PhotoError as error:
                    photo_errors.append(str(error))
        if form.is_valid() and not photo_errors:
            try:
                report, code = services.report_submit_public(
                    report_type=form.cleaned_data["report_type"],
                    description=form.cleaned_data["description"],
                    county_code=form.cleaned_data["county_code"],
                    place=form.cleaned_data["place"],
                    institution=form.cleaned_data.get("institution"),
                    institution_text=form.cleaned_data["institution_text"],
                    institution_credit_code=form.cleaned_data.get("institution_credit_code", ""),
                    reporter_phone=form.cleaned_data["phone"],
                    photos=[*kept, *(p for _n, p in accepted)],
                    supervisor=request.user if getattr(request.user, "role", "") == Role.SUPERVISOR else None,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                key = _submissions_key(request)
                cache.add(key, 0, 3600)
                try:
                    cache.incr(key)
                except ValueError:
                    cache.set(key, 1, 3600)
                request.session["complaint_submissions"] = (
                    int(request.session.get("complaint_submissions", 0)) + 1
                )
                request.session.pop("complaint_challenge", None)
                request.session["complaint_receipt"] = {
                    "number": report.number,
                    "code": code,
                    "county": report.county.full_name,
                }
                return redirect("complaints:public_done")
        # Keep what was accepted for the next attempt.
        for name, photo in accepted:
            kept.append(
                services.pending_photo_store(
                    session_key=request.session.session_key or "", name=name, photo=photo
                )
            )
        if challenge and form.errors.get("challenge"):
            challenge = _new_challenge(request)
        return render(
            request,
            "complaints/public_form.html",
            {
                "form": form,
                "photo_errors": photo_errors,
                "kept": kept,
                "challenge": challenge,
                "max_photos": MAX_PHOTOS,
                "max_mb": MAX_PHOTO_BYTES // 1024 // 1024,
            },
        )
    if _challenge_needed(request) and not challenge:
        challenge = _new_challenge(request)
    form = PublicReportForm(challenge_answer=challenge["answer"] if challenge else None)
    return render(
        request,
        "complaints/public_form.html",
        {
            "form": form,
            "kept": [],
            "challenge": challenge,
            "max_photos": MAX_PHOTOS,
            "max_mb": MAX_PHOTO_BYTES // 1024 // 1024,
        },
    )


@login_not_required
@require_GET
def public_done(request: HttpRequest) -> HttpResponse:
    """The receipt: tracking number and query code, shown once (then removed from the session)."""
    receipt = request.session.pop("complaint_receipt", None)
    if not receipt:
        return redirect("complaints:public_track")
    return render(request, "complaints/public_done.html", {"receipt": receipt})


@login_not_required
@ratelimit(key="ip", rate=PAGE_RATE, method="GET", block=False)
@ratelimit(key="ip", rate=TRACK_RATE, method="POST", block=False)
def public_track(request: HttpRequest) -> HttpResponse:
    """Progress of a report for its reporter: number + query code; a wrong pair shows nothing."""
    if getattr(request, "limited", False):
        return _too_many(request)
    report = None
    error = ""
    if request.method == "POST":
        form = TrackForm(request.POST)
        if form.is_valid():
            number = form.cleaned_data["number"].strip().upper()
            fail_key = f"complaints:track-fail:{hashlib.sha256(number.encode()).hexdigest()[:24]}"
            if int(cache.get(fail_key, 0)) >= TRACK_FAILURES_PER_NUMBER:
                error = _("该编号查询失败次数过多，请1小时后再试")
            else:
                report = services.report_by_query_code(number, form.cleaned_data["code"])
                if report is None:
                    cache.add(fail_key, 0, 3600)
                    try:
                        cache.incr(fail_key)
                    except ValueError:
                        cache.set(fail_key, 1, 3600)
                    error = _("线索编号或查询码不正确")
    else:
        form = TrackForm(initial={"number": request.GET.get("no", "")[:40]})
    context: dict[str, Any] = {"form": form, "report": report, "error": error}
    if report is not None:
        shown = (report.duplicate_of if report.status == Status.MERGED else None) or report
        context.update(shown=shown, timeline=selectors.public_timeline(shown))
    return render(request, "complaints/public_track.html", context, status=200)


@login_not_required
@require_GET
@ratelimit(key="ip", rate=SEARCH_RATE, method="GET", block=False)
def institution_search(request: HttpRequest) -> HttpResponse:
    """htmx: registry institutions whose current or earlier name contains ``q`` or whose credit code
    is ``q`` (public registry data only: name, credit code, county), labelled with the current name."""
    from shuangjian.institutions.selectors import institution_search as registry_search

    if getattr(request, "limited", False):
        return HttpResponse(status=429)
    q = (request.GET.get("institution_text") or request.GET.get("q") or "").strip()[:60]
    results = []
    if len(q) >= 2:
        results = list(registry_search(q).select_related("county").order_by("name")[:10])
    return render(request, "complaints/_institution_results.html", {"results": results, "q": q})


@login_not_required
@require_GET
@ratelimit(key="ip", rate=SEARCH_RATE, method="GET", block=False)
def public_resolve(request: HttpRequest) -> HttpResponse:
    """htmx: the county an address resolves to (preview under the form's 地点 field)."""
    if getattr(request, "limited", False):
        return HttpResponse(status=429)
    place = (request.GET.get("place") or "").strip()[:200]
    resolution = resolve_county(place) if place else None
    return render(request, "complaints/_resolved.html", {"resolution": resolution, "place": place})


@login_not_required
@require_GET
def public_pending_photo(request: HttpRequest, token: str) -> HttpResponseBase:
    """The thumbnail of a photo kept for the session's resubmission; 404 for any other session."""
    key = request.session.session_key
    pending = PendingPhoto.objects.filter(token=token, session_key=key).first() if key else None
    if pending is None:
        raise Http404
    response = FileResponse(pending.thumbnail.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


# --- regulators ------------------------------------------------------------------------------------
FILTER_KEYS = (
    "type",
    "source",
    "status",
    "validity",
    "overdue",
    "urgent",
    "escalated",
    "county",
    "q",
    "from",
    "to",
)


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("是" if value else "否")


def _filters(request: HttpRequest) -> dict[str, str]:
    return {k: request.GET.get(k, "").strip()[:60] for k in FILTER_KEYS}


def report_index(request: HttpRequest) -> HttpResponse:
    """The regulator list with filters (type/source/status/validity/overdue/urgent/county/text/dates).

    A social supervisor (社会监督员) sees the reports they submitted themselves (status and result);
    institution and school staff are sent to the public form.
    """
    user = request.user
    if getattr(user, "role", "") == Role.SUPERVISOR and not user.is_superuser:
        mine = Report.objects.filter(created_by_id=user.pk).select_related("county", "duplicate_of")
        return render(request, "complaints/my_reports.html", {"reports": mine[:200]})
    if not (user.is_superuser or getattr(user, "is_regulator", False)):
        return redirect("complaints:public_new")
    filters = _filters(request)
    today = timezone.localdate()
    qs = selectors.report_list(request.user, filters, today=today)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    for report in page.object_list:
        report.overdue_label = report.overdue_kind(today)  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("page", None)
    counties: list[tuple[str, str]] = []
    user = request.user
    if user.is_superuser or (user.region_id and user.region.level != RegionLevel.COUNTY):
        counties = list(regions_visible_to(user, level=RegionLevel.COUNTY).values_list("code", "full_name"))
    return render(
        request,
        "complaints/report_list.html",
        {
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "types": ReportType.choices,
            "counties": counties,
            "sources": Source.choices,
            "statuses": Status.choices,
            "today": today,
        },
    )


def report_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as .xlsx (phone numbers masked; columns of the import contract first)."""
    _require_regulator(request)
    import openpyxl

    today = timezone.localdate()
    qs = selectors.report_list(request.user, _filters(request), today=today)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("投诉举报")
    sheet.append(
        [
            "线索编号",
            "来源",
            "类型",
            "区县代码",
            "统一社会信用代码",
            "受理时间",
            "是否有效",
            "办结时间",
            "内容",
            "区县",
            "被举报机构",
            "地点",
            "办理状态",
            "紧急",
            "签收期限",
            "办结期限",
            "是否逾期",
            "按期办结",
            "督办层级",
            "承办人",
            "办理结果",
            "并入线索",
            "举报人电话",
        ]
    )
    tz = timezone.get_default_timezone()

    def fmt(value: dt.datetime | None) -> str:
        return value.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S") if value else ""

    for r in qs.select_related("duplicate_of").iterator(chunk_size=1000):
        sheet.append(
            [
                r.number,
                r.get_source_display(),
                r.get_report_type_display(),
                r.county_id,
                r.institution.credit_code if r.institution_id else r.institution_credit_code,
                fmt(r.received_at),
                _yes_no(r.is_valid),
                fmt(r.closed_at),
                r.description,
                r.county.full_name,
                r.institution.name if r.institution_id else r.institution_text,
                r.place,
                r.get_status_display(),
                "是" if r.urgent else "",
                r.ack_due.isoformat(),
                r.due_date.isoformat(),
                r.overdue_kind(today),
                _yes_no(r.closed_on_time),
                r.get_escalation_level_display(),
                (r.handler.get_full_name() or r.handler.username) if r.handler else "",
                r.result,
                r.duplicate_of.number if r.duplicate_of_id else "",
                mask_phone(r.reporter_phone),
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="reports-{today:%Y%m%d}.xlsx"'
    return response


def _detail_context(request: HttpRequest, report: Report, **forms: Any) -> dict[str, Any]:
    user = request.user
    today = timezone.localdate()
    handle = services.can_handle(user, report)
    context = {
        "report": report,
        "phone": report.phone_for(user),
        "can_handle": handle,
        "today": today,
        "overdue": report.overdue_kind(today),
        "photos": report.photos.all(),
        "actions": report.actions.select_related("institution", "actor"),
        "duplicates": report.duplicates.all(),
        "escalations": report.escalations.select_related("region"),
        "timeline": selectors.report_timeline(report),
        "Status": Status,
        "can_reroute": report.status in (Status.NEW, Status.ACCEPTED)
        and (user.is_superuser or user.is_regulator),
    }
    if handle:
        context.update(
            judge_form=forms.get("judge") or JudgeForm(),
            assign_form=forms.get("assign")
            or AssignForm(county=report.county, initial={"handler": report.handler_id}),
            action_form=forms.get("action") or ActionForm(initial={"taken_on": today}),
            close_form=forms.get("close") or CloseForm(),
            merge_form=forms.get("merge") or MergeForm(),
        )
    if context["can_reroute"]:
        context["reroute_form"] = forms.get("reroute") or RerouteForm(user=user)
    return context


def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One report with its photos, duplicates, actions, escalations, audit trail and handling forms."""
    _require_regulator(request)
    report = get_object_or_404(
        Report.objects.visible_to(request.user).select_related(
            "county", "institution", "handler", "duplicate_of"
        ),
        pk=pk,
    )
    return render(request, "complaints/report_detail.html", _detail_context(request, report))


ACTIONS = ("acknowledge", "judge", "assign", "action", "close", "merge", "unmerge", "reroute")


@require_POST
def report_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """POST one handling step (签收/研判/指派/处置/办结/并案/取消并案/改派); 404 outside the scope."""
    _require_regulator(request)
    report = get_object_or_404(Report.objects.visible_to(request.user), pk=pk)
    if action not in ACTIONS:
        raise Http404
    user = request.user
    form: Any = None
    try:
        if action == "acknowledge":
            services.report_acknowledge(report=report, actor=user)
            messages.success(request, _("已签收"))
        elif action == "judge":
            form = JudgeForm(request.POST)
            if form.is_valid():
                services.report_judge(
                    report=report,
                    actor=user,
                    valid=form.cleaned_data["valid"],
                    reason=form.cleaned_data["reason"],
                )
                messages.success(request, _("研判结果已保存"))
        elif action == "assign":
            form = AssignForm(request.POST, county=report.county)
            if form.is_valid():
                services.report_assign(report=report, actor=user, handler=form.cleaned_data["handler"])
                messages.success(request, _("已指派承办人"))
        elif action == "action":
            form = ActionForm(request.POST)
            if form.is_valid():
                services.report_record_action(report=report, actor=user, **form.cleaned_data)
                messages.success(request, _("处置措施已记录"))
        elif action == "close":
            form = CloseForm(request.POST)
            if form.is_valid():
                services.report_close(report=report, actor=user, result=form.cleaned_data["result"])
                messages.success(request, _("已办结"))
        elif action == "merge":
            form = MergeForm(request.POST)
            if form.is_valid():
                services.report_merge(report=report, actor=user, **form.cleaned_data)
                messages.success(request, _("已并案"))
        elif action == "unmerge":
            services.report_unmerge(report=report, actor=user)
            messages.success(request, _("已取消并案"))
        elif action == "reroute":
            form = RerouteForm(request.POST, user=user)
            if form.is_valid():
                services.report_reroute(
                    report=report,
                    actor=user,
                    county_code=form.cleaned_data["county"],
                    reason=form.cleaned_data["reason"],
                )
                messages.success(request, _("已改派"))
                return redirect("complaints:index")
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    except PermissionDenied as error:
        messages.error(request, str(error) or _("无权执行此操作"))
    if form is not None and not form.is_valid():
        report.refresh_from_db()
        context = _detail_context(request, report, **{action: form})
        messages.error(request, _("请检查填写的内容"))
        return render(request, "complaints/report_detail.html", context, status=400)
    return HttpResponseRedirect(reverse("complaints:detail", args=[report.pk]))


def report_photo(request: HttpRequest, pk: int, size: str) -> HttpResponseBase:
    """A report photo (``full`` or ``thumb``) for a regulator who may see the report; else 404."""
    _require_regulator(request)
    photo = get_object_or_404(ReportPhoto.objects.visible_to(request.user), pk=pk)
    field = photo.thumbnail if size == "thumb" else photo.image
    response = FileResponse(field.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


def report_register(request: HttpRequest) -> HttpResponse:
    """A regulator registers a report received by phone, e-mail/web, 部转 or 督查."""
    _require_regulator(request)
    if request.method == "POST":
        form = RegisterReportForm(request.POST, request.FILES, user=request.user)
        photo_errors: list[str] = []
        accepted: list[ProcessedPhoto] = []
        for upload in request.FILES.getlist("photos")[: MAX_PHOTOS + 1]:
            try:
                accepted.append(process_photo(upload.name or "", upload.read()))
            except PhotoError as error:
                photo_errors.append(str(error))
        if len(accepted) > MAX_PHOTOS:
            photo_errors.append(_("最多上传 %(n)d 张照片") % {"n": MAX_PHOTOS})
        if form.is_valid() and not photo_errors:
            try:
                report, code = services.report_register(
                    actor=request.user,
                    source=form.cleaned_data["source"],
                    report_type=form.cleaned_data["report_type"],
                    county_code=form.cleaned_data["county_code"],
                    description=form.cleaned_data["description"],
                    place=form.cleaned_data["place"],
                    institution=form.cleaned_data.get("institution"),
                    institution_text=form.cleaned_data["institution_text"],
                    institution_credit_code=form.cleaned_data.get("institution_credit_code", ""),
                    reporter_phone=form.cleaned_data["phone"],
                    received_at=form.cleaned_data["received_at"],
                    photos=accepted,
                )
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, "；".join(getattr(error, "messages", [str(error)])))
            else:
                messages.success(
                    request,
                    _("已登记，线索编号 %(no)s，查询码 %(code)s（请告知举报人，查询码只显示这一次）")
                    % {"no": report.number, "code": code},
                )
                return redirect("complaints:detail", pk=report.pk)
        return render(
            request, "complaints/register.html", {"form": form, "photo_errors": photo_errors}, status=200
        )
    return render(request, "complaints/register.html", {"form": RegisterReportForm(user=request.user)})


def overdue_list(request: HttpRequest) -> HttpResponse:
    """逾期督办: per county of the user's region, open / overdue / escalated counts, and the overdue reports."""
    _require_regulator(request)
    today = timezone.localdate()
    reports = selectors.overdue_reports(request.user, today=today)
    level = request.GET.get("level", "")
    if level in ("1", "2"):
        reports = reports.filter(escalation_level=int(level))
    page = Paginator(reports, 100).get_page(request.GET.get("page"))
    for report in page.object_list:
        report.overdue_label = report.overdue_kind(today)  # type: ignore[attr-defined]
        report.days_late = (today - report.due_date).days if report.due_date < today else 0  # type: ignore[attr-defined]
    return render(
        request,
        "complaints/overdue.html",
        {
            "page": page,
            "per_county": selectors.overdue_by_county(request.user, today=today),
            "today": today,
            "level": level,
            "levels": EscalationLevel.choices[1:],
        },
    )


def report_statistics(request: HttpRequest) -> HttpResponse:
    """统计: the reports.* KPIs and counts by type, source, validity, status and county for a period."""
    _require_regulator(request)
    today = timezone.localdate()
    try:
        date_from = dt.date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        date_from = today.replace(month=1, day=1)
    try:
        date_to = dt.date.fromisoformat(request.GET.get("to", ""))
    except ValueError:
        date_to = today
    region_code = request.GET.get("region", "").strip()
    if not Region.objects.filter(code=region_code).exists():
        region_code = ""
    kpis = selectors.report_stats(
        region_code=region_code or None, date_from=date_from, date_to=date_to, user=request.user
    )
    breakdown = selectors.report_breakdown(
        user=request.user, region_code=region_code or None, date_from=date_from, date_to=date_to
    )
    rate = kpis["reports.on_time_rate"]
    cards = [
        ("total", _("受理总数"), kpis["reports.total"]),
        ("valid", _("有效线索"), kpis["reports.valid"]),
        ("closed", _("已办结"), kpis["reports.closed"]),
        ("on-time", _("按期办结率"), "—" if rate is None else f"{rate * 100:.1f}%"),
    ]
    tables = [
        (_("按类型"), breakdown["by_type"]),
        (_("按来源"), breakdown["by_source"]),
        (_("按研判结果"), breakdown["by_validity"]),
        (_("按办理状态"), breakdown["by_status"]),
    ]
    return render(
        request,
        "complaints/statistics.html",
        {
            "kpis": kpis,
            "cards": cards,
            "tables": tables,
            "breakdown": breakdown,
            "date_from": date_from,
            "date_to": date_to,
            "region_code": region_code,
        },
    )
