"""Writes of the reports area: intake, routing, duplicates, handling steps, escalation.

Every function is keyword-only, runs in one transaction, and leaves a simple-history record with
the acting user and a Chinese change reason (``common.audit``).
"""

from __future__ import annotations

import datetime as dt
import difflib
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed

from shuangjian.accounts.choices import Role
from shuangjian.common.audit import audit, save_audited, update_with_history
from shuangjian.common.errors import DomainValidationError
from shuangjian.common.rules import province_code, rule_value
from shuangjian.common.text import nfkc
from shuangjian.common.workdays import WorkdayCalendar
from shuangjian.regions.models import Region, RegionLevel

from .choices import URGENT_TYPES, ActionKind, EscalationLevel, ReportType, RiskKind, Source, Status
from .models import PendingPhoto, Report, ReportAction, ReportEscalation, ReportPhoto, RiskFlag
from .photos import MAX_PHOTOS, ProcessedPhoto

QUERY_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read out over the phone
QUERY_CODE_LENGTH = 8


class ReportError(DomainValidationError):
    """A refused handling step; ``messages`` are Chinese (also a Django ``ValidationError``)."""

    code = "report_refused"


# --- deadlines ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Deadlines:
    """签收期限 and 办结期限 as Shanghai dates, and a warning when the holiday data was missing."""

    ack_due: dt.date
    due_date: dt.date
    warning: str = ""


def report_deadlines(
    *, received_at: dt.datetime, county_code: str, urgent: bool, calendar: WorkdayCalendar | None = None
) -> Deadlines:
    """Deadlines in working days after the Shanghai date of ``received_at`` (that day not counted).

    Limits come from rule data (complaints.rules: ``complaints.ack_working_days`` /
    ``complaints.complete_working_days``, or the ``urgent_`` pair for 爆雷/冒烟), most specific region
    first. Holidays and adjusted working days (调休) come from :class:`WorkdayCalendar`; for a year it
    does not know, plain weekends are used and ``warning`` says so. Never raises on a date.
    """
    calendar = calendar or WorkdayCalendar()
    prefix = "complaints.urgent_" if urgent else "complaints."
    ack_days = int(rule_value(f"{prefix}ack_working_days", county_code))
    complete_days = int(rule_value(f"{prefix}complete_working_days", county_code))
    start = timezone.localdate(received_at)
    ack_due = calendar.add_working_days(start, ack_days)
    due = calendar.add_working_days(start, complete_days)
    years = [f"{year}年" for year in range(start.year, due.year + 1)]
    warning = "；".join(w for w in calendar.warnings if any(w.startswith(y) for y in years))
    return Deadlines(ack_due=ack_due, due_date=due, warning=warning)


# --- intake -------------------------------------------------------------------------------------
def new_query_code() -> str:
    """A random private query code (8 characters, about 40 bits)."""
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(QUERY_CODE_LENGTH))


def normalize_query_code(code: str) -> str:
    return nfkc(code).upper().replace(" ", "").replace("-", "")


def _new_number(received_at: dt.datetime) -> str:
    day = timezone.localdate(received_at)
    return f"JB{day:%Y%m%d}{secrets.randbelow(10**6):06d}"


def _similar(a: str, b: str) -> float:
    a, b = nfkc(a), nfkc(b)
    if not a or not b:
        return 0.0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < 0.5 or matcher.quick_ratio() < 0.5:
        return 0.0
    return matcher.ratio()


def find_duplicate_primary(
    *,
    county_code: str,
    report_type: str,
    institution_id: int | None,
    description: str,
    received_at: dt.datetime,
    exclude_pk: int | None = None,
) -> tuple[Report, str] | None:
    """The first open report this one duplicates, with the reason, or None.

    A duplicate is, within ``complaints.duplicate_window_days`` before ``received_at`` (rule data):
    (a) a report on the same institution (registry FK) with the same type, or (b) a report in the same
    county whose text is near-identical (difflib ratio >= ``complaints.duplicate_text_similarity``,
    texts of 10+ characters). Only open reports count (a closed one is history, not a queue entry);
    the match's own primary is returned when the match was itself merged.
    """
    window = int(rule_value("complaints.duplicate_window_days", county_code))
    since = received_at - dt.timedelta(days=window)
    base = Report.objects.filter(received_at__gte=since, received_at__lte=received_at).exclude(
        status=Status.CLOSED
    )
    if exclude_pk:
        base = base.exclude(pk=exclude_pk)
    candidate = None
    reason = ""
    if institution_id:
        candidate = (
            base.filter(institution_id=institution_id, report_type=report_type)
            .order_by("received_at", "id")
            .first()
        )
        reason = _("同一机构、同一类型在%(days)d日内重复举报") % {"days": window}
    if candidate is None and len(nfkc(description)) >= 10:
        threshold = float(rule_value("complaints.duplicate_text_similarity", county_code))
        recent = (
            base.filter(county_id=county_code)
            .order_by("received_at", "id")
            .only("id", "description", "duplicate_of_id", "status", "received_at")[:500]
        )
        for other in recent:
            if _similar(description, other.description) >= threshold:
                candidate = other
                reason = _("举报内容与首件举报几乎相同")
                break
    if candidate is None:
        return None
    if candidate.duplicate_of_id:
        candidate = Report.objects.get(pk=candidate.duplicate_of_id)
    if candidate.status == Status.CLOSED:
        return None
    return candidate, reason


def _attach_photos(report: Report, photos: Sequence[ProcessedPhoto | PendingPhoto]) -> None:
    if len(photos) > MAX_PHOTOS:
        raise ReportError(_("最多上传 %(n)d 张照片") % {"n": MAX_PHOTOS})
    for item in photos:
        if isinstance(item, PendingPhoto):
            ReportPhoto.objects.create(
                report=report,
                image=item.image.name,
                thumbnail=item.thumbnail.name,
                width=item.width,
                height=item.height,
                size_bytes=item.size_bytes,
                sha256=item.sha256,
            )
            item.delete()
            continue
        photo = ReportPhoto(
            report=report, width=item.width, height=item.height, size_bytes=len(item.data), sha256=item.sha256
        )
        stem = uuid.uuid4().hex
        day = timezone.localdate()
        photo.image.save(f"{day:%Y/%m}/{stem}.jpg", ContentFile(item.data), save=False)
        photo.thumbnail.save(f"{day:%Y/%m}/{stem}_t.jpg", ContentFile(item.thumbnail), save=False)
        photo.save()


def pending_photo_store(*, session_key: str, name: str, photo: ProcessedPhoto) -> PendingPhoto:
    """Keep a valid photo for the session's next submission (the public form refused another file)."""
    token = uuid.uuid4().hex
    pending = PendingPhoto(
        token=token,
        session_key=session_key,
        original_name=name[:200],
        width=photo.width,
        height=photo.height,
        size_bytes=len(photo.data),
        sha256=photo.sha256,
    )
    day = timezone.localdate()
    pending.image.save(f"pending/{day:%Y/%m}/{token}.jpg", ContentFile(photo.data), save=False)
    pending.thumbnail.save(f"pending/{day:%Y/%m}/{token}_t.jpg", ContentFile(photo.thumbnail), save=False)
    pending.save()
    return pending


def pending_photos_purge(*, older_than: dt.timedelta = dt.timedelta(days=1)) -> int:
    """Delete kept photos never attached to a report (files included). Returns how many."""
    count = 0
    for pending in PendingPhoto.objects.filter(created_at__lt=timezone.now() - older_than):
        pending.image.delete(save=False)
        pending.thumbnail.delete(save=False)
        pending.delete()
        count += 1
    return count


def _raise_risk_flag(report: Report) -> None:
    if report.report_type not in URGENT_TYPES:
        return
    flag = RiskFlag(
        report=report,
        kind=RiskKind(str(report.report_type)),
        institution=report.institution,
        institution_text=report.institution_text or (report.institution.name if report.institution else ""),
        county_id=report.county_id,
        raised_at=report.received_at,
    )
    save_audited(flag, user=report.created_by, reason=_("爆雷/冒烟举报自动列入机构风险清单"))


@transaction.atomic
def report_create(
    *,
    source: str,
    report_type: str,
    county_code: str,
    description: str,
    place: str = "",
    institution: Any = None,
    institution_text: str = "",
    institution_credit_code: str = "",
    reporter_phone: str = "",
    received_at: dt.datetime | None = None,
    actor: Any = None,
    photos: Sequence[ProcessedPhoto | PendingPhoto] = (),
    number: str | None = None,
    with_query_code: bool = True,
    calendar: WorkdayCalendar | None = None,
) -> tuple[Report, str]:
    """Register a report routed to ``county_code`` and return it with its query code ("" if none).

    Computes the deadlines (:func:`report_deadlines`), flags 爆雷/冒烟 urgent and puts them on the
    institution's risk list (:class:`RiskFlag`), links a duplicate to its first report
    (:func:`find_duplicate_primary`: status MERGED), stores cleaned photos. Raises
    :class:`ReportError` for an unknown type/source, a county that is not county-level, or too many photos.
    """
    if report_type not in ReportType.values:
        raise ReportError(_("举报类型无效"))
    if source not in Source.values:
        raise ReportError(_("来源无效"))
    county = Region.objects.filter(code=county_code, level=RegionLevel.COUNTY).first()
    if county is None:
        raise ReportError(_("“%(code)s”不是区县级行政区划代码") % {"code": county_code})
    received_at = received_at or timezone.now()
    urgent = report_type in URGENT_TYPES
    deadlines = report_deadlines(
        received_at=received_at, county_code=county.code, urgent=urgent, calendar=calendar
    )
    code = new_query_code() if with_query_code else ""
    report = Report(
        source=source,
        report_type=report_type,
        county=county,
        place=place[:200],
        institution=institution,
        institution_text=institution_text[:200],
        institution_credit_code=institution_credit_code,
        description=description,
        reporter_phone=nfkc(reporter_phone)[:20],
        received_at=received_at,
        ack_due=deadlines.ack_due,
        due_date=deadlines.due_date,
        deadline_warning=deadlines.warning[:200],
        urgent=urgent,
        query_code_hash=make_password(code) if code else "",
        created_by=actor,
    )
    audit(report, user=actor, reason=_("受理（%(source)s）") % {"source": report.get_source_display()})
    for attempt in range(10):
        report.number = number or _new_number(received_at)
        try:
            with transaction.atomic():
                report.save()
            break
        except IntegrityError:
            if number or attempt == 9:
                raise ReportError(_("线索编号“%(no)s”已存在") % {"no": report.number}) from None
    duplicate = find_duplicate_primary(
        county_code=county.code,
        report_type=report_type,
        institution_id=getattr(institution, "pk", None),
        description=description,
        received_at=received_at,
        exclude_pk=report.pk,
    )
    if duplicate is not None:
        primary, reason = duplicate
        report.merge(primary, reason)
        save_audited(
            report,
            user=actor,
            reason=_("自动并案：并入 %(no)s（%(reason)s）") % {"no": primary.number, "reason": reason},
        )
    _attach_photos(report, photos)
    _raise_risk_flag(report)
    return report, code


def report_submit_public(
    *,
    report_type: str,
    description: str,
    county_code: str,
    place: str = "",
    institution: Any = None,
    institution_text: str = "",
    institution_credit_code: str = "",
    reporter_phone: str = "",
    photos: Sequence[ProcessedPhoto | PendingPhoto] = (),
    supervisor: Any = None,
) -> tuple[Report, str]:
    """A report from the public form (来源 随手拍), received now; returns it and its query code.

    ``supervisor``: a logged-in social supervisor (社会监督员) who submits it; recorded as
    ``created_by`` so the report appears in their own list (their only view of reports).
    """
    return report_create(
        source=Source.SNAPSHOT,
        report_type=report_type,
        county_code=county_code,
        description=description,
        place=place,
        institution=institution,
        institution_text=institution_text,
        institution_credit_code=institution_credit_code,
        reporter_phone=reporter_phone,
        photos=photos,
        actor=supervisor,
    )


def report_register(
    *,
    actor: Any,
    source: str,
    report_type: str,
    county_code: str,
    description: str,
    place: str = "",
    institution: Any = None,
    institution_text: str = "",
    institution_credit_code: str = "",
    reporter_phone: str = "",
    received_at: dt.datetime | None = None,
    photos: Sequence[ProcessedPhoto] = (),
) -> tuple[Report, str]:
    """A regulator registers a report received by phone, e-mail/web, forwarded from above (部转) or
    found by inspection (督查). ``county_code`` must lie in the actor's region (PermissionDenied)."""
    if not (
        actor.is_superuser or (actor.is_regulator and actor.region and actor.region.contains(county_code))
    ):
        raise PermissionDenied(_("只能登记本辖区的举报"))
    if received_at and received_at > timezone.now() + dt.timedelta(minutes=5):
        raise ReportError(_("受理时间不能晚于当前时间"))
    return report_create(
        source=source,
        report_type=report_type,
        county_code=county_code,
        description=description,
        place=place,
        institution=institution,
        institution_text=institution_text,
        institution_credit_code=institution_credit_code,
        reporter_phone=reporter_phone,
        received_at=received_at,
        actor=actor,
        photos=photos,
    )


def report_by_query_code(number: str, code: str) -> Report | None:
    """The report whose number and query code both match, else None (no hint which one was wrong)."""
    number = nfkc(number).upper()
    code = normalize_query_code(code)
    report = Report.objects.filter(number=number).exclude(query_code_hash="").first()
    if report is None:
        make_password(code)  # same work whether or not the number exists
        return None
    return report if check_password(code, report.query_code_hash) else None


# --- handling -----------------------------------------------------------------------------------
def can_handle(user: Any, report: Report) -> bool:
    """Handling steps belong to the regulators of the handling county (and superusers)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser or (user.role == Role.COUNTY and user.region_id == report.county_id))


def _locked(report: Report, actor: Any) -> Report:
    if not can_handle(actor, report):
        raise PermissionDenied(_("只有承办区县的监管人员可以办理"))
    return Report.objects.select_for_update().get(pk=report.pk)


def _save(report: Report, actor: Any, reason: str) -> Report:
    return save_audited(report, user=actor, reason=reason)


def _fsm(report: Report, method: str, *args: Any) -> None:
    try:
        getattr(report, method)(*args)
    except TransitionNotAllowed:
        raise ReportError(
            _("当前状态“%(status)s”下不能执行此操作") % {"status": report.get_status_display()}
        ) from None


@transaction.atomic
def report_acknowledge(*, report: Report, actor: Any) -> Report:
    """签收 (NEW → ACCEPTED)."""
    report = _locked(report, actor)
    _fsm(report, "acknowledge")
    return _save(report, actor, _("签收"))


@transaction.atomic
def report_judge(*, report: Report, actor: Any, valid: bool, reason: str) -> Report:
    """研判: 有效线索 (→ HANDLING) or not (→ CLOSED with the reason as result). ``reason`` required.

    An invalid 爆雷/冒烟 report clears its risk flag; closing propagates to merged duplicates.
    """
    reason = reason.strip()
    if not reason:
        raise ReportError(_("请填写研判理由"))
    report = _locked(report, actor)
    _fsm(report, "judge_valid" if valid else "judge_invalid", reason[:500])
    _save(
        report,
        actor,
        _("研判为有效线索：%(r)s") % {"r": reason} if valid else _("研判为无效线索：%(r)s") % {"r": reason},
    )
    if not valid:
        _after_close(report, actor)
    return report


@transaction.atomic
def report_assign(*, report: Report, actor: Any, handler: Any) -> Report:
    """指派承办人: ``handler`` must be a county regulator of the handling county."""
    report = _locked(report, actor)
    if not report.is_open:
        raise ReportError(_("已办结或已并案的举报不能指派承办人"))
    if (
        handler is None
        or handler.role != Role.COUNTY
        or handler.region_id != report.county_id
        or not handler.is_active
    ):
        raise ReportError(_("承办人必须是承办区县的监管人员"))
    report.handler = handler
    return _save(report, actor, _("指派承办人：%(u)s") % {"u": handler.get_full_name() or handler.username})


@transaction.atomic
def report_record_action(
    *,
    report: Report,
    actor: Any,
    kind: str,
    taken_on: dt.date,
    note: str,
    institution: Any = None,
    case_ref: str = "",
) -> ReportAction:
    """记录处置措施 on a lead being handled (status HANDLING).

    ``institution`` defaults to the report's; a 立案查处 step needs its case number (立案编号).
    Raises :class:`ReportError` otherwise, or for a date in the future or before the report's
    受理日期.
    """
    report = _locked(report, actor)
    if report.status != Status.HANDLING:
        raise ReportError(_("只有办理中的有效线索可以记录处置措施"))
    if kind not in ActionKind.values:
        raise ReportError(_("处置措施类型无效"))
    if taken_on > timezone.localdate():
        raise ReportError(_("处置日期不能晚于今天"))
    received_on = timezone.localdate(report.received_at)
    if taken_on < received_on:
        raise ReportError(
            _("处置日期不能早于受理日期（%(day)s）") % {"day": received_on.strftime("%Y-%m-%d")}
        )
    note = note.strip()
    if not note:
        raise ReportError(_("请填写情况说明"))
    institution = institution or report.institution
    if kind == ActionKind.CASE_OPENED and not case_ref.strip():
        raise ReportError(_("立案查处须填写立案编号"))
    action = ReportAction(
        report=report,
        kind=kind,
        taken_on=taken_on,
        note=note[:2000],
        institution=institution,
        case_ref=case_ref.strip()[:60],
        actor=actor,
    )
    save_audited(action, user=actor, reason=_("记录处置措施"))
    return action


def _after_close(report: Report, actor: Any) -> None:
    for duplicate in Report.objects.select_for_update().filter(duplicate_of=report, status=Status.MERGED):
        duplicate.close_with_primary(report)
        _save(duplicate, actor, _("随首件 %(no)s 一并办结") % {"no": report.number})
    if report.is_valid is False:
        update_with_history(
            RiskFlag.objects.filter(report__in=[report, *report.duplicates.all()], cleared_at__isnull=True),
            user=actor,
            reason=_("举报经核实无效，撤出机构风险清单"),
            cleared_at=timezone.now(),
        )


@transaction.atomic
def report_close(*, report: Report, actor: Any, result: str) -> Report:
    """办结 (HANDLING → CLOSED) with the result text the reporter will see; merged duplicates close too."""
    result = result.strip()
    if not result:
        raise ReportError(_("请填写办理结果"))
    report = _locked(report, actor)
    _fsm(report, "close", result[:5000])
    _save(report, actor, _("办结"))
    _after_close(report, actor)
    return report


@transaction.atomic
def report_merge(*, report: Report, actor: Any, primary_number: str, reason: str) -> Report:
    """并案: link ``report`` to the open report ``primary_number`` of the same county."""
    report = _locked(report, actor)
    primary = Report.objects.filter(number=nfkc(primary_number).upper(), county_id=report.county_id).first()
    if primary is None or primary.pk == report.pk:
        raise ReportError(_("本区县没有编号为“%(no)s”的其他举报") % {"no": primary_number})
    if primary.duplicate_of_id:
        primary = primary.duplicate_of
    if not primary.is_open:
        raise ReportError(_("首件举报已办结，不能并案"))
    if report.duplicates.exists():
        raise ReportError(_("本举报已有并入的举报，请先取消它们的并案"))
    _fsm(report, "merge", primary, reason.strip()[:200] or _("人工并案"))
    return _save(report, actor, _("并入 %(no)s") % {"no": primary.number})


@transaction.atomic
def report_unmerge(*, report: Report, actor: Any) -> Report:
    """取消并案: the report goes back to the county's queue (NEW) as a report of its own."""
    report = _locked(report, actor)
    _fsm(report, "unmerge")
    return _save(report, actor, _("取消并案"))


@transaction.atomic
def report_reroute(*, report: Report, actor: Any, county_code: str, reason: str) -> Report:
    """改派: move a report that is not yet judged to another county (wrong routing).

    Allowed to the handling county and to the city/province above it; the target must be a county
    in the actor's region (the county itself may pass it to any county of the province). Deadlines
    are kept (they run from 受理时间). Raises PermissionDenied / :class:`ReportError`.
    """
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not Report.objects.visible_to(actor).filter(pk=report.pk).exists() or not (
        actor.is_superuser or actor.is_regulator
    ):
        raise PermissionDenied(_("无权改派此举报"))
    if report.status not in (Status.NEW, Status.ACCEPTED):
        raise ReportError(_("只有未研判的举报可以改派"))
    target = Region.objects.filter(code=county_code, level=RegionLevel.COUNTY).first()
    province = province_code()
    if target is None or not target.code.startswith(province[:2]) or target.code == report.county_id:
        raise ReportError(_("请选择本省的其他区县"))
    if not actor.is_superuser and actor.role != Role.COUNTY and not actor.region.contains(target.code):
        raise PermissionDenied(_("只能改派到本辖区的区县"))
    if not reason.strip():
        raise ReportError(_("请填写改派理由"))
    old = report.county.full_name
    report.county = target
    report.status = Status.NEW
    report.acknowledged_at = None
    report.handler = None
    _save(
        report,
        actor,
        _("改派：%(old)s → %(new)s（%(r)s）") % {"old": old, "new": target.full_name, "r": reason},
    )
    moved = _("改派：随首件 %(no)s 转至 %(new)s") % {"no": report.number, "new": target.full_name}
    update_with_history(RiskFlag.objects.filter(report=report), user=actor, reason=moved, county_id=target.pk)
    update_with_history(
        Report.objects.filter(duplicate_of=report, status=Status.MERGED),
        user=actor,
        reason=moved,
        county_id=target.pk,
    )
    return report


# --- escalation -----------------------------------------------------------------------------------
@dataclass
class EscalationSummary:
    """What one escalation run did: new city / province escalations (report numbers)."""

    to_city: list[str] = field(default_factory=list)
    to_province: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@transaction.atomic
def reports_escalate(*, as_of: dt.date | None = None) -> EscalationSummary:
    """Escalate overdue open reports (逾期督办); idempotent.

    On ``as_of`` (Shanghai today by default) a report still unacknowledged after ``ack_due``, or
    open after ``due_date``, is escalated to its city (市级督办); one open more than
    ``complaints.escalate_province_after_working_days`` working days after ``due_date`` (rule data)
    is escalated to the province (省级督办). Each (report, level) is recorded once
    (:class:`ReportEscalation`, unique), so a second run the same day changes nothing; levels only go
    up. Written in bulk (history rows included, reason per report).
    """
    from simple_history.utils import bulk_create_with_history, bulk_update_with_history

    as_of = as_of or timezone.localdate()
    calendar = WorkdayCalendar()
    summary = EscalationSummary()
    candidates = list(
        Report.objects.overdue(as_of)
        .filter(escalation_level__lt=EscalationLevel.PROVINCE)
        .select_related("county__parent")
        .select_for_update(of=("self",))
    )
    existing = (
        set(
            ReportEscalation.objects.filter(report__in=[r.pk for r in candidates]).values_list(
                "report_id", "level"
            )
        )
        if len(candidates) < 5000
        else set(ReportEscalation.objects.values_list("report_id", "level"))
    )
    limits: dict[str, int] = {}
    lateness: dict[dt.date, int] = {}
    escalations: list[ReportEscalation] = []
    changed: list[Report] = []
    for report in candidates:
        kind = report.overdue_kind(as_of)
        if not kind:
            continue
        county = report.county
        city_code = (
            county.parent_id if county.parent and county.parent.level == RegionLevel.PREFECTURE else None
        )
        province_code = county.code[:2] + "0000"
        target = report.escalation_level
        reasons = []
        if target < EscalationLevel.CITY:
            target = EscalationLevel.CITY
            reason = _("%(kind)s：升级至市级督办") % {"kind": kind}
            reasons.append(reason)
            if (report.pk, EscalationLevel.CITY) not in existing:
                escalations.append(
                    ReportEscalation(
                        report=report,
                        level=EscalationLevel.CITY,
                        region_id=city_code or province_code,
                        reason=reason,
                        as_of=as_of,
                    )
                )
                summary.to_city.append(report.number)
        if report.due_date < as_of:
            if county.code not in limits:
                limits[county.code] = int(
                    rule_value("complaints.escalate_province_after_working_days", county.code)
                )
            if report.due_date not in lateness:
                lateness[report.due_date] = calendar.working_days_between(report.due_date, as_of)
            late = lateness[report.due_date]
            if late >= limits[county.code]:
                target = EscalationLevel.PROVINCE
                reason = _("办结逾期 %(n)d 个工作日：升级至省级督办") % {"n": late}
                reasons.append(reason)
                if (report.pk, EscalationLevel.PROVINCE) not in existing:
                    escalations.append(
                        ReportEscalation(
                            report=report,
                            level=EscalationLevel.PROVINCE,
                            region_id=province_code,
                            reason=reason,
                            as_of=as_of,
                        )
                    )
                    summary.to_province.append(report.number)
        if target != report.escalation_level:
            report.escalation_level = target
            report._change_reason = "；".join(reasons)  # type: ignore[attr-defined]
            changed.append(report)
    if escalations:
        bulk_create_with_history(
            escalations, ReportEscalation, batch_size=500, default_change_reason=str(_("逾期升级督办"))
        )
    if changed:
        bulk_update_with_history(
            changed,
            Report,
            ["escalation_level"],
            batch_size=500,
            default_change_reason=str(_("逾期升级督办")),
        )
    summary.warnings = list(calendar.warnings)
    return summary


def reports_escalate_job(day: dt.date) -> tuple[dict[str, int], list[str]]:
    """The daily job ``complaints_escalate`` (00:45, registered in
    :mod:`shuangjian.common.operations`): :func:`reports_escalate` as of ``day``, as counts
    ``{"to_city", "to_province"}`` (reports escalated) and its warnings."""
    summary = reports_escalate(as_of=day)
    return {"to_city": len(summary.to_city), "to_province": len(summary.to_province)}, list(summary.warnings)
