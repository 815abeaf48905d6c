"""Writes of the enforcement area: campaigns, inspections and the life of a case (案件).

Every write is one transaction and leaves an audit row with the user and the reason
(simple-history ``_history_user`` / ``_change_reason``). Errors are :class:`CaseError` with a Chinese
message naming the field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed

from shuangjian.common.audit import audit
from shuangjian.common.errors import DomainError
from shuangjian.common.text import mask_id_number

from .legal import LEGAL_BASES
from .models import Campaign, Case, CaseKind, CaseState, Inspection, Measure
from .validation import IdNumberError, date_bound_error, id_number_normalize


class CaseError(DomainError):
    """Bad input or a transition the case's state does not allow (Chinese message)."""

    code = "case_refused"


def mask_person_name(name: str) -> str:
    """张三丰 → 张**: keep the family name only (a person's name is never stored in full)."""
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)


def _check_region(user: Any, county_code: str) -> None:
    from shuangjian.common.scoping import user_region_prefix

    prefix = user_region_prefix(user) if user is not None else ""
    if prefix is None or not county_code.startswith(prefix):
        raise CaseError(_("承办区县不在您的管辖范围内"))


@transaction.atomic
def campaign_create(
    *, name: str, region_code: str, start_on: dt.date, end_on: dt.date, focus: str = "", actor: Any = None
) -> Campaign:
    """Create a campaign (专项整治) over ``region_code``'s subtree from ``start_on`` to ``end_on`` inclusive."""
    if not (name or "").strip():
        raise CaseError(_("名称：必填"))
    if end_on < start_on:
        raise CaseError(_("结束日期：不能早于开始日期"))
    if actor is not None:
        _check_region(actor, region_code)
    campaign = Campaign(
        name=name.strip(),
        region_id=region_code,
        start_on=start_on,
        end_on=end_on,
        focus=focus,
        created_by=actor,
    )
    audit(campaign, user=actor, reason=_("创建专项整治"))
    campaign.save()
    return campaign


@transaction.atomic
def inspection_record(
    *,
    county_code: str,
    inspected_on: dt.date,
    institution: Any = None,
    place: str = "",
    campaign: Campaign | None = None,
    inspectors: str = "",
    findings: str = "",
    problem_found: bool = False,
    actor: Any = None,
) -> Inspection:
    """Record an inspection (检查) in a county, of an institution or a place."""
    if institution is None and not place.strip():
        raise CaseError(_("检查对象：请选择机构或填写检查地点"))
    _check_date(inspected_on, _("检查日期"))
    if actor is not None:
        _check_region(actor, county_code)
    inspection = Inspection(
        county_id=county_code,
        inspected_on=inspected_on,
        institution=institution,
        place=place,
        campaign=campaign,
        inspectors=inspectors,
        findings=findings,
        problem_found=problem_found,
        created_by=actor,
    )
    audit(inspection, user=actor, reason=_("登记检查"))
    inspection.save()
    return inspection


def _check_date(day: dt.date, label: str) -> None:
    """Raise :class:`CaseError` "<label>：…" for a date before 2000-01-01 or after today."""
    message = date_bound_error(day, label=f"{label}：")
    if message:
        raise CaseError(message)


def _next_number(county_code: str, year: int) -> str:
    prefix = f"JC-{county_code}-{year}-"
    last = (
        Case.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:05d}"


def _validate_codes(legal_bases: Iterable[str], measures: Iterable[str]) -> tuple[list[str], list[str]]:
    bases = list(dict.fromkeys(legal_bases))
    unknown = [b for b in bases if b not in LEGAL_BASES]
    if unknown:
        raise CaseError(_("法律依据：未知条目 {k}").format(k="、".join(unknown)))
    chosen = list(dict.fromkeys(measures))
    bad = [m for m in chosen if m not in Measure.values]
    if bad:
        raise CaseError(_("处理措施：未知措施 {k}").format(k="、".join(bad)))
    return bases, chosen


@transaction.atomic
def case_open(
    *,
    kind: str,
    county_code: str,
    opened_on: dt.date,
    facts: str = "",
    institution: Any = None,
    party_name: str = "",
    party_id_number: str = "",
    party_is_person: bool = False,
    campaign: Campaign | None = None,
    inspection: Inspection | None = None,
    reports: Iterable[Any] = (),
    warnings: Iterable[Any] = (),
    legal_bases: Iterable[str] = (),
    ads_removed: int = 0,
    subjects_count: int = 1,
    actor: Any = None,
    number: str | None = None,
) -> Case:
    """Open a case (立案) in ``county_code``.

    The party is ``institution`` or ``party_name``; a person's name is stored masked (张**) and an ID
    number only masked (430102********1234). ``reports`` / ``warnings`` must belong to the same
    county. Raises :class:`CaseError` (kind unknown, no party, foreign county, bad legal basis).
    """
    if kind not in CaseKind.values:
        raise CaseError(_("案件类型：无效"))
    if actor is not None:
        _check_region(actor, county_code)
    if institution is None and not (party_name or "").strip() and kind != CaseKind.ADVERTISEMENT:
        raise CaseError(_("当事人：请选择涉案机构或填写当事人"))
    if institution is not None and institution.county_id != county_code:
        raise CaseError(_("涉案机构：不属于承办区县"))
    if ads_removed < 0 or subjects_count < 0:
        raise CaseError(_("数量：不能为负数"))
    _check_date(opened_on, _("立案日期"))
    try:
        party_id_number = id_number_normalize(party_id_number)
    except IdNumberError as exc:
        raise CaseError(_("个人证件号：{r}").format(r=exc)) from None
    bases, _measures = _validate_codes(legal_bases, ())
    reports, warnings = list(reports), list(warnings)
    for item in reports + warnings:
        if item.county_id != county_code:
            raise CaseError(_("来源线索/预警：不属于承办区县"))
    name = (party_name or "").strip()
    case = Case(
        number=number or _next_number(county_code, opened_on.year),
        kind=kind,
        county_id=county_code,
        campaign=campaign,
        inspection=inspection,
        institution=institution,
        party_name=mask_person_name(name) if party_is_person else name,
        party_id_masked=mask_id_number(party_id_number) if party_id_number else "",
        facts=facts,
        legal_bases=bases,
        ads_removed=ads_removed,
        subjects_count=subjects_count,
        opened_on=opened_on,
        handler=actor,
    )
    audit(case, user=actor, reason=_("立案"))
    case.save()
    if reports:
        case.reports.set(reports)
    if warnings:
        case.warnings.set(warnings)
    if institution is not None and kind == CaseKind.ILLEGAL_CHARGING:
        from shuangjian.risk.services import risk_rescore

        inst_id, day = institution.pk, min(opened_on, timezone.localdate())
        transaction.on_commit(
            lambda: risk_rescore(institution_id=inst_id, as_of=day)
        )  # 违规收费 is a risk signal
    return case


def _locked(case_id: int) -> Case:
    return Case.objects.select_for_update().get(pk=case_id)


def _fsm(case: Case, method: str, action: str) -> None:
    try:
        getattr(case, method)()
    except TransitionNotAllowed as exc:
        raise CaseError(
            _("案件当前状态为“{s}”，不能{a}").format(s=case.get_state_display(), a=action)
        ) from exc


@transaction.atomic
def case_investigate(*, case_id: int, actor: Any, note: str = "") -> Case:
    """已立案 → 调查取证."""
    case = _locked(case_id)
    _fsm(case, "investigate", _("开始调查"))
    if note:
        case.facts = f"{case.facts}\n{note}".strip()
    audit(case, user=actor, reason=_("开始调查取证"))
    case.save()
    return case


@transaction.atomic
def case_decide(
    *,
    case_id: int,
    actor: Any,
    decided_on: dt.date,
    decision: str,
    measures: Iterable[str],
    legal_bases: Iterable[str] = (),
    fine_fen: int = 0,
    confiscated_fen: int = 0,
    refund_ordered_fen: int = 0,
    ads_removed: int | None = None,
) -> Case:
    """作出处理决定: measures (Measure values), legal bases, penalties in fen (≥ 0); a fine needs the
    FINE measure and a legal basis. Raises CaseError."""
    case = _locked(case_id)
    bases, chosen = _validate_codes(list(legal_bases) or case.legal_bases, measures)
    if not chosen:
        raise CaseError(_("处理措施：至少选择一项"))
    if not bases:
        raise CaseError(_("法律依据：至少选择一项"))
    if min(fine_fen, confiscated_fen, refund_ordered_fen) < 0:
        raise CaseError(_("金额：不能为负数"))
    if fine_fen and Measure.FINE not in chosen:
        raise CaseError(_("罚款：处理措施未选择“罚款”"))
    _check_date(decided_on, _("决定日期"))
    if decided_on < case.opened_on:
        raise CaseError(_("决定日期：不能早于立案日期"))
    if not (decision or "").strip():
        raise CaseError(_("处理决定：必填"))
    _fsm(case, "decide", _("作出处理决定"))
    case.decided_on, case.decision, case.measures, case.legal_bases = (
        decided_on,
        decision.strip(),
        chosen,
        bases,
    )
    case.fine_fen, case.confiscated_fen, case.refund_ordered_fen = (
        fine_fen,
        confiscated_fen,
        refund_ordered_fen,
    )
    if ads_removed is not None:
        case.ads_removed = ads_removed
    audit(case, user=actor, reason=_("作出处理决定"))
    case.save()
    return case


@transaction.atomic
def case_close(*, case_id: int, actor: Any, closed_on: dt.date, note: str) -> Case:
    """结案 (after a decision) with a closing note."""
    case = _locked(case_id)
    if not (note or "").strip():
        raise CaseError(_("结案说明：必填"))
    _check_date(closed_on, _("结案日期"))
    if case.decided_on and closed_on < case.decided_on:
        raise CaseError(_("结案日期：不能早于决定日期"))
    _fsm(case, "close", _("结案"))
    case.closed_on, case.closure_note = closed_on, note.strip()
    audit(case, user=actor, reason=_("结案"))
    case.save()
    return case


@transaction.atomic
def case_revoke(*, case_id: int, actor: Any, reason: str) -> Case:
    """撤销立案 with a reason (no violation established)."""
    case = _locked(case_id)
    if not (reason or "").strip():
        raise CaseError(_("撤销理由：必填"))
    _fsm(case, "revoke", _("撤销立案"))
    case.closure_note, case.closed_on = reason.strip(), timezone.localdate()
    audit(case, user=actor, reason=_("撤销立案：{r}").format(r=reason.strip()))
    case.save()
    return case


__all__ = [
    "CaseError",
    "CaseState",
    "campaign_create",
    "case_close",
    "case_decide",
    "case_investigate",
    "case_open",
    "case_revoke",
    "inspection_record",
    "mask_person_name",
]
