"""Business writes of the registry: lifecycle, episodes, staff, items, licensing, violations.

Every function is keyword-only, runs in one transaction and audits its writes through
django-simple-history with the acting user (``history_user``) and a Chinese change reason.
Errors for people are :class:`RegistryError` (a ``ValueError``) with a Chinese message.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed

from shuangjian.common.audit import audit
from shuangjian.common.codes import CreditCodeError, credit_code_normalize
from shuangjian.common.errors import DomainError
from shuangjian.common.rules import rule_value
from shuangjian.common.text import clean_name, fen_to_yuan_text, mask_id_number, nfkc
from shuangjian.common.validation import IdNumberError, id_number_normalize
from shuangjian.common.workdays import WorkdayCalendar

from .choices import (
    ApplicationState,
    Audience,
    BackgroundCheck,
    Category,
    EndReason,
    Grade,
    ItemStatus,
    MaterialKind,
    Mode,
    Nature,
    Status,
    ViolationStatus,
)
from .models import (
    ApplicationMaterial,
    Institution,
    InstitutionEpisode,
    InstitutionProfile,
    LicenseApplication,
    Practitioner,
    Site,
    TrainingItem,
    TrainingSession,
    Violation,
)
from .validation import MaterialError, check_image, check_pdf


class RegistryError(DomainError):
    """A refused registry operation; the message is Chinese and says why."""

    code = "registry_refused"


def _today() -> dt.date:
    return timezone.localdate()


# --- lifecycle ------------------------------------------------------------------------------------
#: action → (Chinese label, reason required, episode end reason)
ACTIONS: dict[str, tuple[str, bool, str]] = {
    "approve": ("审批通过", False, ""),
    "order_rectification": ("责令整改", True, ""),
    "finish_rectification": ("整改完成", False, ""),
    "suspend": ("停办", True, EndReason.SUSPENDED),
    "deregister": ("注销", True, EndReason.DEREGISTERED),
    "revoke": ("吊销办学许可证", True, EndReason.REVOKED),
    "transform": ("转型为非学科类", False, EndReason.TRANSFORMED),
    "convert_to_non_profit": ("营转非", False, ""),
    "ban_unlicensed": ("无证取缔", True, ""),
}


def available_actions(institution: Institution) -> list[tuple[str, str]]:
    """(action, Chinese label) the institution's current state allows (for the regulator's buttons)."""
    out = []
    for action, (label, _required, _end) in ACTIONS.items():
        if action == "approve":  # approval goes through the licensing workflow
            continue
        if can_proceed(getattr(institution, action)):
            out.append((action, label))
    return out


def _open_episodes(institution: Institution) -> list[InstitutionEpisode]:
    return list(institution.episodes.select_for_update().filter(ended_on__isnull=True))


@transaction.atomic
def institution_transition(
    *,
    institution: Institution,
    action: str,
    actor: Any,
    reason: str = "",
    on: dt.date | None = None,
    license_no: str = "",
    category: str = "",
    mode: str = "",
    audiences: str = "",
    new_name: str = "",
    fund_supervised: bool | None = None,
) -> Institution:
    """Apply a lifecycle ``action`` (a key of :data:`ACTIONS`) dated ``on`` (default today).

    - approve: opens an episode (``category``/``mode``/``audiences``, default the institution's) and
      records ``license_no``;
    - suspend / deregister / revoke: end every open episode on ``on`` with that end reason;
    - transform (转型): ends the SUBJECT episode (reason 转型) and opens a NON_SUBJECT one on ``on``,
      under ``new_name`` and with ``fund_supervised`` when given (else the values it had), with
      ``license_no`` when given (a new licence) — the new episode's own particulars;
    - convert_to_non_profit (营转非): nature → NON_PROFIT, ``non_profit_converted_on`` = ``on``.

    Raises :class:`RegistryError` (Chinese) when the state does not allow it, a condition fails
    (only subject institutions transform, only for-profit ones convert) or a required reason is missing.
    """
    if action not in ACTIONS:
        raise RegistryError(f"未知的操作“{action}”")
    label, reason_required, end_reason = ACTIONS[action]
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    on = on or _today()
    reason = (reason or "").strip()
    current = Status(institution.status).label
    method = getattr(institution, action)
    if not can_proceed(method, check_conditions=False):
        raise RegistryError(f"机构当前状态为“{current}”，不能执行“{label}”")
    if not can_proceed(method):
        if action == "transform":
            raise RegistryError(
                "只有学科类机构可以转型为非学科类（当前类别：%s）"
                % (Category(institution.category).label if institution.category else "未登记")
            )
        if action == "convert_to_non_profit":
            raise RegistryError("只有营利性机构可以办理营转非")
        raise RegistryError(f"不满足“{label}”的条件")
    if reason_required and not reason:
        raise RegistryError(f"“{label}”必须填写原因")
    method()
    if action == "approve":
        license_no = nfkc(license_no)
        if not license_no:
            raise RegistryError("审批通过必须核发办学许可证号")
        category = category or institution.category
        if not category:
            raise RegistryError("审批通过必须指定培训类别")
        institution.license_no = license_no
        institution.category = category
        institution.mode = mode or institution.mode or Mode.OFFLINE
        institution.audiences = audiences or institution.audiences or Audience.COMPULSORY
        episode = InstitutionEpisode.objects.filter(institution=institution, category=category).first()
        if episode and episode.ended_on is None:
            raise RegistryError("该机构在此类别已有有效的办学期间")
        episode = episode or InstitutionEpisode(institution=institution, category=category)
        episode.mode, episode.audiences = institution.mode, institution.audiences
        episode.approved_on, episode.ended_on, episode.end_reason = on, None, ""
        episode.license_no = license_no
        audit(episode, user=actor, reason=f"审批通过：{reason}" if reason else "审批通过")
        episode.save()
        if not episode.profiles.filter(valid_from=on).exists():
            profile = InstitutionProfile(
                episode=episode, institution=institution, valid_from=on, **_profile_values(institution)
            )
            audit(profile, user=actor, reason="审批通过：登记事项")
            profile.save()
    elif action == "transform":
        opened = [e for e in _open_episodes(institution) if e.category == Category.SUBJECT]
        if not opened:
            raise RegistryError("该机构没有有效的学科类办学期间，无法转型")
        if InstitutionEpisode.objects.filter(institution=institution, category=Category.NON_SUBJECT).exists():
            raise RegistryError("该机构已有非学科类办学记录，无法再次转型")
        for episode in opened:
            if on < episode.approved_on:
                raise RegistryError("转型日期不能早于学科类审批日期")
            old_profile = episode_profile_ensure(episode, actor=actor, reason="登记事项（转型前）")
            last = episode.profiles.order_by("-valid_from").first() or old_profile
            if on < last.valid_from:
                raise RegistryError(f"转型日期不能早于最近一次登记事项变更（{last.valid_from:%Y-%m-%d}）")
            episode.ended_on, episode.end_reason = on, EndReason.TRANSFORMED
            audit(episode, user=actor, reason=f"转型：{reason}" if reason else "转型")
            episode.save()
            new = InstitutionEpisode(
                institution=institution,
                category=Category.NON_SUBJECT,
                mode=episode.mode,
                audiences=episode.audiences,
                approved_on=on,
                license_no=nfkc(license_no) or institution.license_no,
            )
            audit(new, user=actor, reason="转型后新办学期间")
            new.save()
            values = _profile_values(last)
            if clean_name(new_name):
                values["name"] = clean_name(new_name)[:200]
            if fund_supervised is not None:
                values["fund_supervised"] = bool(fund_supervised)
            changes = profile_changes_text(_profile_values(last), values)
            profile = InstitutionProfile(episode=new, institution=institution, valid_from=on, **values)
            audit(profile, user=actor, reason="转型后登记事项" + (f"：{changes}" if changes else ""))
            profile.save()
            for key in ("name", "fund_supervised"):
                setattr(institution, key, values[key])
            if new.license_no:
                institution.license_no = new.license_no
        institution.category = Category.NON_SUBJECT
    elif action == "convert_to_non_profit":
        institution.nature = Nature.NON_PROFIT
        institution.non_profit_converted_on = on
        for episode in institution.episodes.filter(ended_on__isnull=True, approved_on__lte=on):
            first = episode_profile_ensure(episode, actor=actor, reason="登记事项（营转非前）")
            latest = episode.profiles.order_by("-valid_from").first() or first
            if latest.nature == Nature.NON_PROFIT or on < latest.valid_from:
                continue
            if on == latest.valid_from:
                latest.nature = Nature.NON_PROFIT
                audit(latest, user=actor, reason="营转非")
                latest.save()
            else:
                values = {**_profile_values(latest), "nature": Nature.NON_PROFIT}
                new_profile = InstitutionProfile(
                    episode=episode, institution=institution, valid_from=on, **values
                )
                latest.valid_to = on
                audit(latest, user=actor, reason=f"营转非：自 {on:%Y-%m-%d} 起为非营利性")
                latest.save()
                audit(new_profile, user=actor, reason="营转非：办学性质 营利性 → 非营利性")
                new_profile.save()
    elif end_reason:
        for episode in _open_episodes(institution):
            if on < episode.approved_on:
                raise RegistryError("终止日期不能早于审批日期")
            episode.ended_on, episode.end_reason = on, end_reason
            audit(episode, user=actor, reason=f"{label}：{reason}")
            episode.save()
    institution.status_changed_on = on
    institution.status_reason = reason[:300]
    audit(institution, user=actor, reason=f"{label}：{reason}" if reason else label)
    institution.save()
    return institution


# --- registered particulars per episode (登记事项: name, county, nature, fund supervision) ------------
#: Fields of :class:`InstitutionProfile` that belong to an episode (DESIGN.md "Institutions").
PROFILE_FIELDS = ("name", "county_id", "nature", "fund_supervised")
PROFILE_LABELS = {
    "name": "机构名称",
    "county_id": "区县代码",
    "nature": "办学性质",
    "fund_supervised": "纳入资金监管",
}


def _profile_text(field: str, value: Any) -> str:
    if field == "fund_supervised":
        return "是" if value else "否"
    if field == "nature":
        return str(Nature(value).label) if value in Nature.values else "未填"
    return str(value)


def profile_changes_text(before: dict[str, Any], after: dict[str, Any]) -> str:
    """ "机构名称：甲 → 乙；纳入资金监管：否 → 是" for the fields that differ (audit reasons)."""
    return "；".join(
        f"{PROFILE_LABELS[f]}：{_profile_text(f, before.get(f))} → {_profile_text(f, after.get(f))}"
        for f in PROFILE_FIELDS
        if f in after and before.get(f) != after[f]
    )


def _profile_values(profile: InstitutionProfile | Institution) -> dict[str, Any]:
    return {f: getattr(profile, f) for f in PROFILE_FIELDS}


def episode_profile_ensure(
    episode: InstitutionEpisode, *, actor: Any, values: dict[str, Any] | None = None, reason: str = "登记事项"
) -> InstitutionProfile:
    """The first profile of ``episode`` (created from ``values``, default the institution's current
    values, when the episode has none). Call inside a transaction."""
    first = episode.profiles.order_by("valid_from").first()
    if first is not None:
        return first
    values = values or _profile_values(episode.institution)
    profile = InstitutionProfile(
        episode=episode, institution_id=episode.institution_id, valid_from=episode.approved_on, **values
    )
    audit(profile, user=actor, reason=reason)
    profile.save()
    return profile


def institution_current_sync(*, institution: Institution, actor: Any, reason: str) -> Institution:
    """Copy the current episode's values onto ``institution`` (its cached current values).

    The current episode is the open one, else the one that ended last. Name, county, nature and
    fund supervision come from that episode's latest profile (when it has one); category, mode,
    audiences and licence number from the episode. Saves (audited with ``reason``) only when a
    value differs. Call inside a transaction.
    """
    episodes = list(institution.episodes.all())
    if not episodes:
        return institution
    current = max(episodes, key=lambda e: (e.ended_on is None, e.ended_on or e.approved_on, e.approved_on))
    wanted: dict[str, Any] = {
        "category": current.category,
        "mode": current.mode,
        "audiences": current.audiences,
    }
    if current.license_no:
        wanted["license_no"] = current.license_no
    latest = current.profiles.order_by("-valid_from").first()
    if latest is not None:
        wanted.update(_profile_values(latest))
        if not latest.nature:
            wanted.pop("nature")
    diff = {k: v for k, v in wanted.items() if getattr(institution, k) != v}
    if diff:
        for key, value in diff.items():
            setattr(institution, key, value)
        audit(institution, user=actor, reason=reason)
        institution.save()
    return institution


@transaction.atomic
def institution_particulars_change(
    *,
    institution: Institution,
    actor: Any,
    on: dt.date,
    reason: str = "",
    name: str | None = None,
    fund_supervised: bool | None = None,
    nature: str | None = None,
    county_code: str | None = None,
) -> InstitutionProfile:
    """Record a dated change of registered particulars (登记事项变更): a rename (机构更名), a change of
    fund supervision (纳入/退出资金监管), of 办学性质 or of county, in force from ``on``.

    The change applies to the episode active on ``on`` (the open one first): the profile in force on
    ``on`` ends there and a new one starts (or, when a profile starts on ``on`` already, it is
    corrected). Later profiles of that episode are left as they are, so ``on`` may not be earlier than
    the episode's latest recorded change. Audited (who, when, before → after, reason); the
    institution's current values follow.

    Raises :class:`RegistryError` (Chinese) when ``on`` is in the future, no episode is active on
    ``on``, ``on`` precedes the episode's latest change, a name is empty, or nothing changes.
    """
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    if on > _today():
        raise RegistryError("变更日期不能晚于今天")
    active = [e for e in institution.episodes.select_for_update() if e.is_active_on(on)]
    if not active:
        raise RegistryError(f"{on:%Y-%m-%d} 该机构没有有效的办学期间，无法登记变更")
    episode = max(active, key=lambda e: (e.ended_on is None, e.approved_on))
    episode_profile_ensure(episode, actor=actor, reason="登记事项（变更前）")
    profiles = list(episode.profiles.select_for_update().order_by("valid_from"))
    latest = profiles[-1]
    if on < latest.valid_from:
        raise RegistryError(
            f"变更日期不能早于该办学期间最近一次登记的变更日期（{latest.valid_from:%Y-%m-%d}）"
        )
    current = latest
    after: dict[str, Any] = {}
    if name is not None:
        name = clean_name(name)
        if not name:
            raise RegistryError("机构名称不能为空")
        after["name"] = name[:200]
    if fund_supervised is not None:
        after["fund_supervised"] = bool(fund_supervised)
    if nature is not None and nature != "":
        if nature not in Nature.values:
            raise RegistryError("未知的办学性质")
        after["nature"] = nature
    if county_code:
        after["county_id"] = county_code
    before = _profile_values(current)
    text = profile_changes_text(before, after)
    if not text:
        raise RegistryError("登记事项没有变化")
    reason = (reason or "").strip()
    label = f"登记事项变更（{on:%Y-%m-%d}）：{text}" + (f"；原因：{reason}" if reason else "")
    if on == current.valid_from:
        for key, value in after.items():
            setattr(current, key, value)
        audit(current, user=actor, reason=label)
        current.save()
        changed = current
    else:
        changed = InstitutionProfile(
            episode=episode,
            institution=institution,
            valid_from=on,
            valid_to=current.valid_to,
            **{**before, **after},
        )
        current.valid_to = on
        audit(current, user=actor, reason=f"登记事项变更：自 {on:%Y-%m-%d} 起由新登记事项取代")
        current.save()
        audit(changed, user=actor, reason=label)
        changed.save()
    institution_current_sync(institution=institution, actor=actor, reason=label[:100])
    return changed


@transaction.atomic
def institution_register_applicant(
    *,
    credit_code: str,
    name: str,
    county_code: str,
    address: str = "",
    nature: str = "",
    category: str = "",
    mode: str = "",
    audiences: str = "",
    actor: Any = None,
) -> Institution:
    """Register an institution that is about to apply (status 申请中). Raises RegistryError."""
    try:
        code = credit_code_normalize(credit_code)
    except CreditCodeError as error:
        raise RegistryError(str(error)) from None
    if Institution.objects.filter(credit_code=code).exists():
        raise RegistryError(f"统一社会信用代码 {code} 已登记")
    institution = Institution(
        credit_code=code,
        name=clean_name(name),
        county_id=county_code,
        address=clean_name(address),
        nature=nature,
        category=category,
        mode=mode,
        audiences=audiences,
        status=Status.APPLYING,
    )
    audit(institution, user=actor, reason="登记申办机构")
    institution.save()
    return institution


@transaction.atomic
def unlicensed_record_closed(
    *,
    credit_code: str,
    name: str,
    county_code: str,
    actor: Any,
    reason: str,
    address: str = "",
    on: dt.date | None = None,
) -> Institution:
    """Record an unlicensed operator closed by the regulator (无证取缔): it appears on the public
    black list (黑名单). An institution already registered must be 申请中 (others have a licence
    history and are revoked instead). Raises :class:`RegistryError`."""
    try:
        code = credit_code_normalize(credit_code)
    except CreditCodeError as error:
        raise RegistryError(str(error)) from None
    institution = Institution.objects.filter(credit_code=code).first()
    if institution is None:
        institution = Institution(
            credit_code=code,
            name=clean_name(name),
            county_id=county_code,
            address=clean_name(address),
            status=Status.APPLYING,
        )
        audit(institution, user=actor, reason="登记无证机构")
        institution.save()
    return institution_transition(
        institution=institution, action="ban_unlicensed", actor=actor, reason=reason, on=on
    )


# --- staff, sites, items, sessions -----------------------------------------------------------------
def id_number_validate(value: str) -> str:
    """An 18-character resident ID number (GB 11643-1999) with a valid check character
    (:func:`shuangjian.common.validation.id_number_normalize`, 18 characters only).

    Full-width input is accepted. Raises :class:`RegistryError` (Chinese).
    """
    try:
        number = id_number_normalize(value, allow_old=False)
    except IdNumberError as error:
        raise RegistryError(str(error)) from None
    if not number:
        raise RegistryError("身份证号应为18位（前17位为数字）")
    return number


def id_number_digest(number: str) -> str:
    """Keyed SHA-256 of an ID number: recognises one person without storing the number."""
    return hmac.new(settings.SECRET_KEY.encode(), number.encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def practitioner_save(
    *,
    institution: Institution,
    actor: Any,
    name: str,
    id_number: str = "",
    role: str,
    subject: str = "",
    teaches_subject_training: bool = False,
    teacher_certificate: str = "",
    professional_certificate: str = "",
    in_service_teacher: bool = False,
    background_check: str = BackgroundCheck.PENDING,
    active: bool = True,
    practitioner: Practitioner | None = None,
) -> Practitioner:
    """Create (or update ``practitioner``) a practitioner; the ID number is kept only masked + digest.

    ``id_number`` is required when creating; when updating, empty keeps the stored one.
    Raises :class:`RegistryError` (invalid ID number, the same person twice in one institution).
    """
    if practitioner is None:
        practitioner = Practitioner(institution=institution)
        if not id_number:
            raise RegistryError("请填写身份证号")
    if id_number:
        number = id_number_validate(id_number)
        digest = id_number_digest(number)
        clash = Practitioner.objects.filter(institution=institution, id_number_digest=digest)
        if practitioner.pk:
            clash = clash.exclude(pk=practitioner.pk)
        if clash.exists():
            raise RegistryError("该身份证号已在本机构登记")
        practitioner.id_number_masked = mask_id_number(number)
        practitioner.id_number_digest = digest
    practitioner.name = clean_name(name)
    practitioner.role = role
    practitioner.subject = clean_name(subject)
    practitioner.teaches_subject_training = teaches_subject_training
    practitioner.teacher_certificate = nfkc(teacher_certificate)
    practitioner.professional_certificate = clean_name(professional_certificate)
    practitioner.in_service_teacher = in_service_teacher
    practitioner.background_check = background_check
    practitioner.active = active
    practitioner.full_clean(exclude=["institution"])
    audit(practitioner, user=actor, reason="登记从业人员" if practitioner._state.adding else "修改从业人员")
    practitioner.save()
    return practitioner


@transaction.atomic
def site_save(
    *,
    institution: Institution,
    actor: Any,
    address: str,
    floor_area_m2: Any,
    capacity: int,
    fire_safety_ok: bool = False,
    site: Site | None = None,
) -> Site:
    """Create or update a teaching site. Raises :class:`RegistryError` for a non-positive area."""
    site = site or Site(institution=institution)
    if float(floor_area_m2) <= 0:
        raise RegistryError("建筑面积必须大于0")
    site.address, site.floor_area_m2, site.capacity = clean_name(address), floor_area_m2, capacity
    site.fire_safety_ok = fire_safety_ok
    audit(site, user=actor, reason="登记办学场所" if site._state.adding else "修改办学场所")
    site.save()
    return site


@transaction.atomic
def item_save(
    *,
    institution: Institution,
    actor: Any,
    name: str,
    description: str,
    category: str,
    subject_area: str,
    grades: Iterable[str],
    mode: str,
    class_size: str,
    class_minutes: int,
    total_hours: int,
    price_per_hour_fen: int,
    item: TrainingItem | None = None,
) -> TrainingItem:
    """Create or update a training item and classify it (D3). A changed item returns to 待审核.

    Raises :class:`RegistryError` for unknown grades, non-positive numbers or a price per class hour
    above the rule ``institutions.max_price_per_hour_fen`` (default ¥10,000).
    """
    from .classification import classify

    grades = [g for g in grades if g]
    unknown = [g for g in grades if g not in Grade.values]
    if unknown or not grades:
        raise RegistryError("请选择适用年级")
    if class_minutes <= 0 or total_hours <= 0 or price_per_hour_fen < 0:
        raise RegistryError("课时时长、总课时须大于0，价格不能为负")
    ceiling = int(rule_value("institutions.max_price_per_hour_fen", institution.county_id))
    if price_per_hour_fen > ceiling:
        raise RegistryError(
            f"每课时价格：不能超过{fen_to_yuan_text(ceiling)}（录入上限 "
            f"institutions.max_price_per_hour_fen），请核对是否多输了位数"
        )
    item = item or TrainingItem(institution=institution)
    item.name, item.description = clean_name(name), (description or "").strip()
    item.category, item.subject_area, item.mode, item.class_size = (
        category,
        clean_name(subject_area),
        mode,
        class_size,
    )
    item.grades = ",".join(grades)
    item.class_minutes, item.total_hours, item.price_per_hour_fen = (
        class_minutes,
        total_hours,
        price_per_hour_fen,
    )
    item.status = ItemStatus.DRAFT
    result = classify(item.name, item.description, audience=item.grade_labels, declared=category)
    item.classified_category = result.category
    item.disguised = result.disguised
    item.classification_reasons = result.reasons
    audit(item, user=actor, reason="登记培训项目" if item._state.adding else "修改培训项目")
    item.save()
    return item


@transaction.atomic
def item_set_status(*, item: TrainingItem, actor: Any, status: str, reason: str = "") -> TrainingItem:
    """Approve (核准) or withdraw (下架) a training item (regulator)."""
    if status not in ItemStatus.values:
        raise RegistryError("未知的项目状态")
    if status == ItemStatus.APPROVED and item.disguised:
        raise RegistryError("该项目申报为非学科类，但内容经鉴别属学科类，不能核准")
    item.status = status
    audit(
        item,
        user=actor,
        reason=f"项目{ItemStatus(status).label}：{reason}" if reason else f"项目{ItemStatus(status).label}",
    )
    item.save()
    return item


@transaction.atomic
def session_add(
    *,
    item: TrainingItem,
    actor: Any,
    date: dt.date,
    start: dt.time,
    end: dt.time,
    practitioner: Practitioner | None = None,
) -> TrainingSession:
    """Schedule a session of ``item``. Raises :class:`RegistryError` when end ≤ start or the
    practitioner belongs to another institution. Rule checks run in the compliance scan."""
    if end <= start:
        raise RegistryError("结束时间必须晚于开始时间")
    if practitioner is not None and practitioner.institution_id != item.institution_id:
        raise RegistryError("授课人员不属于本机构")
    session = TrainingSession(item=item, date=date, start=start, end=end, practitioner=practitioner)
    audit(session, user=actor, reason="排课")
    session.save()
    return session


# --- licensing ------------------------------------------------------------------------------------
MAX_MATERIAL_BYTES = 10 * 1024 * 1024
_SIGNATURES = [
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
]


def material_sniff(data: bytes, filename: str) -> tuple[str, str]:
    """(content type, extension) of an uploaded material, decided by its content, not its name.

    Accepts PDF, PNG and JPEG up to 10 MB: images must decode with Pillow and have at most 40
    megapixels, PDFs must be structurally plausible (validation.check_pdf). Raises
    :class:`RegistryError` naming the file and the reason.
    """
    if not data:
        raise RegistryError(f"文件“{filename}”为空")
    if len(data) > MAX_MATERIAL_BYTES:
        raise RegistryError(f"文件“{filename}”超过10 MB")
    for magic, content_type, ext in _SIGNATURES:
        if data.startswith(magic):
            try:
                if content_type.startswith("image/"):
                    check_image(data, filename)
                else:
                    check_pdf(data, filename)
            except MaterialError as error:
                raise RegistryError(str(error)) from None
            return content_type, ext
    raise RegistryError(f"文件“{filename}”的类型不支持：仅接受 PDF、JPG、PNG（按文件内容识别）")


REQUIRED_MATERIALS = (
    MaterialKind.CHARTER,
    MaterialKind.SITE_PROOF,
    MaterialKind.FIRE_SAFETY,
    MaterialKind.STAFF_LIST,
)


def _store_materials(
    application: LicenseApplication, materials: list[tuple[str, str, bytes]], actor: Any
) -> None:
    from django.core.files.base import ContentFile

    for kind, filename, data in materials:
        if kind not in MaterialKind.values:
            raise RegistryError(f"未知的材料类型“{kind}”")
        content_type, ext = material_sniff(data, filename)
        material = ApplicationMaterial(
            application=application,
            kind=kind,
            original_name=clean_name(filename)[:200],
            content_type=content_type,
            size=len(data),
        )
        material.file.save(f"material.{ext}", ContentFile(data), save=False)
        audit(material, user=actor, reason="上传申请材料")
        material.save()


@transaction.atomic
def application_submit(
    *,
    institution: Institution,
    actor: Any,
    category: str,
    mode: str,
    audiences: Iterable[str],
    description: str = "",
    materials: list[tuple[str, str, bytes]],
) -> LicenseApplication:
    """File a licence application with its materials [(kind, filename, bytes)].

    The review deadline is ``institutions.review_deadline_workdays`` working days after today
    (WorkdayCalendar: holidays and 调休 included). Raises :class:`RegistryError` when the
    institution already holds a licence or has a pending application, a required material is
    missing (章程, 场所证明, 消防, 人员名册) or a file fails the type/size check.
    """
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    if institution.status != Status.APPLYING:
        raise RegistryError(f"机构当前状态为“{Status(institution.status).label}”，不能申请办学许可")
    pending = institution.applications.filter(
        state__in=[ApplicationState.SUBMITTED, ApplicationState.CHANGES_REQUESTED]
    )
    if pending.exists():
        raise RegistryError("已有正在办理的申请，请在原申请上补正")
    audiences = [a for a in audiences if a]
    if not audiences or any(a not in Audience.values for a in audiences):
        raise RegistryError("请选择服务对象")
    if category not in Category.values or mode not in Mode.values:
        raise RegistryError("请选择培训类别和培训形式")
    given = {kind for kind, _name, _data in materials}
    missing = [str(MaterialKind(k).label) for k in REQUIRED_MATERIALS if k not in given]
    if missing:
        raise RegistryError("缺少必需的申请材料：" + "、".join(missing))
    now = timezone.now()
    days = int(rule_value("institutions.review_deadline_workdays", institution.county_id))
    application = LicenseApplication(
        institution=institution,
        category=category,
        mode=mode,
        audiences=",".join(audiences),
        description=(description or "").strip(),
        submitted_at=now,
        due_on=WorkdayCalendar().add_working_days(timezone.localdate(now), days),
    )
    audit(application, user=actor, reason="提交办学许可申请")
    application.save()
    _store_materials(application, materials, actor)
    return application


@transaction.atomic
def application_resubmit(
    *,
    application: LicenseApplication,
    actor: Any,
    description: str = "",
    materials: list[tuple[str, str, bytes]] | None = None,
) -> LicenseApplication:
    """Resubmit after 需补正 with added materials; the deadline restarts. Raises RegistryError."""
    application = LicenseApplication.objects.select_for_update().get(pk=application.pk)
    if not can_proceed(application.resubmit):
        raise RegistryError(f"申请当前状态为“{application.get_state_display()}”，不能重新提交")
    application.resubmit()
    if description:
        application.description = description.strip()
    _store_materials(application, materials or [], actor)
    days = int(rule_value("institutions.review_deadline_workdays", application.institution.county_id))
    application.due_on = WorkdayCalendar().add_working_days(timezone.localdate(), days)
    audit(application, user=actor, reason="补正后重新提交")
    application.save()
    return application


def license_number_issue(institution: Institution, category: str) -> str:
    """A new licence number: 教民 + county code + year + category letter + 5-digit serial."""
    year = timezone.localdate().year
    prefix = f"教民{institution.county_id}{year}{'X' if category == Category.SUBJECT else 'F'}"
    taken = Institution.objects.filter(license_no__startswith=prefix).count()
    taken += LicenseApplication.objects.filter(license_no__startswith=prefix).count()
    serial = taken + 1
    while Institution.objects.filter(license_no=f"{prefix}{serial:05d}").exists():
        serial += 1
    return f"{prefix}{serial:05d}"


@transaction.atomic
def application_decide(
    *,
    application: LicenseApplication,
    actor: Any,
    decision: str,
    reason: str = "",
) -> LicenseApplication:
    """A county regulator's decision: ``request_changes`` / ``approve`` / ``reject``.

    Approving issues a licence number, sets the institution 申请中 → 已审批 and opens its episode.
    Requesting changes and rejecting need a reason (the applicant sees it). Only a regulator whose
    region contains the institution may decide. Raises :class:`RegistryError` (Chinese).
    """
    application = (
        LicenseApplication.objects.select_for_update().select_related("institution").get(pk=application.pk)
    )
    if not (
        getattr(actor, "is_superuser", False)
        or (
            getattr(actor, "is_regulator", False) and actor.region.contains(application.institution.county_id)
        )
    ):
        raise RegistryError("只有机构所在地的监管部门可以审核该申请")
    labels = {"request_changes": "要求补正", "approve": "批准", "reject": "不予批准"}
    if decision not in labels:
        raise RegistryError("未知的审核操作")
    method = getattr(application, decision)
    if not can_proceed(method):
        raise RegistryError(f"申请当前状态为“{application.get_state_display()}”，不能“{labels[decision]}”")
    reason = (reason or "").strip()
    if decision in ("request_changes", "reject") and not reason:
        raise RegistryError(f"“{labels[decision]}”必须填写理由")
    method()
    application.reviewer = actor
    application.decision_reason = reason
    if decision != "request_changes":
        application.decided_at = timezone.now()
    if decision == "approve":
        license_no = license_number_issue(application.institution, application.category)
        application.license_no = license_no
        institution_transition(
            institution=application.institution,
            action="approve",
            actor=actor,
            reason=reason,
            license_no=license_no,
            category=application.category,
            mode=application.mode,
            audiences=application.audiences,
        )
    audit(application, user=actor, reason=f"{labels[decision]}：{reason}" if reason else labels[decision])
    application.save()
    return application


# --- violations -----------------------------------------------------------------------------------
@transaction.atomic
def violation_record(
    *,
    institution: Institution,
    rule_id: str,
    title: str,
    evidence: dict[str, Any],
    source: str,
    fingerprint: str = "",
    policy_source: str = "",
    detected_at: dt.datetime | None = None,
) -> tuple[Violation, bool]:
    """Record a violation, or refresh the open one with the same (source, rule, institution,
    fingerprint). Returns (violation, created). For use by every area (funds, complaints …)."""
    existing = (
        Violation.objects.select_for_update()
        .filter(
            institution=institution,
            rule_id=rule_id,
            source=source,
            fingerprint=fingerprint,
            status=ViolationStatus.OPEN,
        )
        .first()
    )
    if existing is not None:
        if existing.evidence != evidence or existing.title != title:
            existing.evidence, existing.title = evidence, title
            audit(existing, user=None, reason="复查更新证据")
            existing.save()
        return existing, False
    violation = Violation(
        institution=institution,
        rule_id=rule_id,
        title=title,
        evidence=evidence,
        source=source,
        fingerprint=fingerprint[:120],
        policy_source=policy_source[:300],
        detected_at=detected_at or timezone.now(),
    )
    audit(violation, user=None, reason=f"发现违规：{title}")
    violation.save()
    return violation, True


@transaction.atomic
def violation_resolve(*, violation: Violation, actor: Any, resolution: str) -> Violation:
    """Mark a violation handled (已处理) with a Chinese note. Raises RegistryError when already closed."""
    violation = Violation.objects.select_for_update().get(pk=violation.pk)
    if violation.status != ViolationStatus.OPEN:
        raise RegistryError("该违规记录已处理")
    if not (resolution or "").strip():
        raise RegistryError("请填写处理说明")
    violation.status = ViolationStatus.RESOLVED
    violation.resolved_at = timezone.now()
    violation.resolution = resolution.strip()[:300]
    audit(violation, user=actor, reason=f"处理违规：{violation.resolution}")
    violation.save()
    return violation
