"""Business writes of school–enterprise cooperation (校企合作).

Every function is keyword-only, runs in one transaction and audits each write through
django-simple-history with the acting user and a Chinese change reason. Refusals raise
:class:`CooperationError` (a ``ValueError``) with a Chinese message that says why; nothing is written.
Deadlines are in working days (``common.workdays.WorkdayCalendar``: holidays and 调休) from rule data
(:mod:`shuangjian.cooperation.rules`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django_fsm import can_proceed

from shuangjian.common.audit import audit, history_user, save_audited
from shuangjian.common.codes import CreditCodeError, credit_code_normalize
from shuangjian.common.errors import DomainError
from shuangjian.common.rules import rule_value
from shuangjian.common.text import clean_name, nfkc
from shuangjian.common.workdays import WorkdayCalendar
from shuangjian.regions.models import Region, RegionLevel

from . import access
from .checks import programme_checks
from .choices import (
    AgreementKind,
    BodyKind,
    BodyLevel,
    CraftsmanLevel,
    FilingState,
    IeStatus,
    MemberRole,
    MentorSide,
    PeriodPlace,
    ProgrammeKind,
    SiteState,
    XLevel,
)
from .majors import MAJOR_CODE_RE
from .models import (
    Agreement,
    AnnualReport,
    Apprentice,
    AssessmentSession,
    AssessmentSite,
    BodyActivity,
    BodyMember,
    CraftsmanRecognition,
    Enterprise,
    IndustryEducationBody,
    Mentor,
    OrderClassOutcome,
    Programme,
    TrainingPeriod,
    TrainingVolume,
    XCertificate,
    XPilot,
)


class CooperationError(DomainError):
    """A refused cooperation operation; the message is Chinese and says why."""

    code = "cooperation_refused"


def _audit(instance: Model, actor: Any, reason: str) -> None:
    """Attach the acting user and change reason the next history row records (common.audit)."""
    audit(instance, user=actor, reason=reason)


def _save(instance: Model, actor: Any, reason: str) -> None:
    save_audited(instance, user=actor, reason=reason)


def mask_name(name: str) -> str:
    """张三丰 → 张**: only the family name (first character) is kept."""
    name = clean_name(name)
    if not name:
        raise CooperationError("姓名不能为空")
    return name[0] + "*" * max(1, len(name) - 1) if "*" not in name else name


def person_digest(id_number: str) -> str:
    """Keyed SHA-256 of an ID number (to recognise the same person twice without storing it)."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, nfkc(id_number).upper().encode(), hashlib.sha256).hexdigest()


def _require_staff(actor: Any, school: Any) -> None:
    if not access.is_school_staff_of(actor, school):
        raise CooperationError("只有本校的职业院校用户可以办理")


def _workdays_after(day: dt.date, key: str, region: str) -> dt.date:
    return WorkdayCalendar().add_working_days(day, int(rule_value(key, region)))


# --- enterprises --------------------------------------------------------------------------------
def county_of_credit_code(code: str) -> str | None:
    """The county of registration of a credit code (digits 3–8) when the region table has it."""
    candidate = code[2:8]
    if Region.objects.filter(code=candidate, level=RegionLevel.COUNTY).exists():
        return candidate
    return None


@transaction.atomic
def enterprise_upsert(
    *, credit_code: str, name: str, actor: Any, industry: str = ""
) -> tuple[Enterprise, bool]:
    """The enterprise with ``credit_code`` (GB 32100 check character verified), created when new.

    An existing enterprise keeps its name unless ``name`` differs, in which case the new name is
    recorded (audited). Returns (enterprise, created). Raises :class:`CooperationError`.
    """
    try:
        code = credit_code_normalize(credit_code)
    except CreditCodeError as exc:
        raise CooperationError(str(exc)) from None
    name = clean_name(name)
    if not name:
        raise CooperationError("企业名称不能为空")
    enterprise = Enterprise.objects.select_for_update().filter(credit_code=code).first()
    if enterprise is None:
        enterprise = Enterprise(
            credit_code=code, name=name, industry=clean_name(industry), county_id=county_of_credit_code(code)
        )
        _save(enterprise, actor, "登记合作企业")
        return enterprise, True
    changed = []
    if enterprise.name != name:
        enterprise.name = name
        changed.append("名称")
    if industry and enterprise.industry != clean_name(industry):
        enterprise.industry = clean_name(industry)
        changed.append("行业")
    if changed:
        _save(enterprise, actor, "更新企业" + "、".join(changed))
    return enterprise, False


@transaction.atomic
def enterprise_set_ie_status(
    *,
    enterprise: Enterprise,
    actor: Any,
    status: str,
    level: str = "",
    recognised_on: dt.date | None = None,
    reason: str = "",
) -> Enterprise:
    """Record the 产教融合型企业 status (S14: 入库培育 → 已认定 → 已退出) with level and date.

    Only regulators. 已认定 needs a level and a recognition date. Raises :class:`CooperationError`.
    """
    if not (getattr(actor, "is_superuser", False) or getattr(actor, "is_regulator", False)):
        raise CooperationError("只有教育行政部门可以认定产教融合型企业")
    if status not in IeStatus.values:
        raise CooperationError("未知的产教融合型企业状态")
    if status == IeStatus.RECOGNISED and (level not in BodyLevel.values or recognised_on is None):
        raise CooperationError("认定为产教融合型企业须填写认定层级和认定日期")
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    enterprise.ie_status = status
    enterprise.ie_level = level if status == IeStatus.RECOGNISED else enterprise.ie_level
    enterprise.ie_recognised_on = (
        recognised_on if status == IeStatus.RECOGNISED else enterprise.ie_recognised_on
    )
    _save(
        enterprise, actor, f"产教融合型企业：{IeStatus(status).label}" + (f"（{reason}）" if reason else "")
    )
    return enterprise


# --- programmes ---------------------------------------------------------------------------------
def school_major_name(school: Any, major_code: str) -> str | None:
    """The name of the major ``major_code`` as the school offers it (专业设置), or None if it does not."""
    major = school.majors.filter(major__code=major_code).first()
    return major.name if major else None


@transaction.atomic
def programme_create(
    *,
    actor: Any,
    school: Any,
    kind: str,
    major_code: str,
    enterprise: Enterprise,
    entry_year: int,
    students: int,
    agreement_signed_on: dt.date,
    name: str = "",
    code: str = "",
) -> Programme:
    """A school's new programme (草稿) for one of its majors with an enterprise.

    The major must be one the school offers; ``students`` > 0; the school–enterprise agreement date
    is recorded as the programme's agreement (an :class:`Agreement` row is created with it).
    Raises :class:`CooperationError`.
    """
    _require_staff(actor, school)
    if kind not in ProgrammeKind.values:
        raise CooperationError("请选择项目类型（学徒制或订单班）")
    major_code = nfkc(major_code).upper()
    major_name = school_major_name(school, major_code)
    if not MAJOR_CODE_RE.match(major_code) or major_name is None:
        raise CooperationError(f"专业代码“{major_code}”不是本校开设的专业")
    if students <= 0:
        raise CooperationError("学生人数应大于0")
    this_year = timezone.localdate().year
    if not 2000 <= entry_year <= this_year + 1:
        raise CooperationError(f"年级应在2000至{this_year + 1}之间")
    if agreement_signed_on > timezone.localdate():
        raise CooperationError("协议签订日期不能晚于今天")
    code = nfkc(code) or _next_programme_code(school, kind, entry_year)
    if Programme.objects.filter(code=code).exists():
        raise CooperationError(f"项目编号“{code}”已被使用")
    programme = Programme(
        code=code,
        kind=kind,
        school=school,
        major_code=major_code,
        major_name=major_name,
        enterprise=enterprise,
        name=clean_name(name),
        entry_year=entry_year,
        students=students,
        agreement_signed_on=agreement_signed_on,
    )
    _save(programme, actor, "创建校企合作项目（草稿）")
    agreement = Agreement(
        programme=programme, kind=AgreementKind.SCHOOL_ENTERPRISE, signed_on=agreement_signed_on
    )
    _save(agreement, actor, "登记校企合作协议")
    return programme


def _next_programme_code(school: Any, kind: str, entry_year: int) -> str:
    prefix = f"{'XT' if kind == ProgrammeKind.APPRENTICESHIP else 'DD'}{school.code}{entry_year}"
    n = Programme.objects.filter(code__startswith=prefix).count() + 1
    while Programme.objects.filter(code=f"{prefix}{n:03d}").exists():
        n += 1
    return f"{prefix}{n:03d}"


def _editable(programme: Programme, actor: Any) -> Programme:
    programme = Programme.objects.select_for_update().select_related("school").get(pk=programme.pk)
    _require_staff(actor, programme.school)
    if programme.state not in (FilingState.DRAFT, FilingState.RETURNED):
        raise CooperationError(f"项目当前状态为“{programme.get_state_display()}”，不能修改")
    return programme


@transaction.atomic
def mentor_add(
    *,
    programme: Programme,
    actor: Any,
    side: str,
    name: str,
    qualification: str,
    dual_qualified: bool = False,
    practice_years: int = 0,
) -> Mentor:
    """Add a school or enterprise mentor (name stored masked) to a draft programme."""
    programme = _editable(programme, actor)
    if side not in MentorSide.values:
        raise CooperationError("请选择导师类别")
    if not clean_name(qualification):
        raise CooperationError("请填写导师资质（如双师型、技能等级、职称）")
    mentor = Mentor(
        programme=programme,
        side=side,
        name=mask_name(name),
        qualification=clean_name(qualification),
        dual_qualified=dual_qualified,
        practice_years=max(0, practice_years),
    )
    _save(mentor, actor, f"登记{MentorSide(side).label}")
    return mentor


@transaction.atomic
def apprentice_add(
    *,
    programme: Programme,
    actor: Any,
    ref: str,
    birth_month: dt.date,
    school_mentor: Mentor | None,
    enterprise_mentor: Mentor | None,
    agreement_signed_on: dt.date,
    guardian_signed: bool = False,
) -> Apprentice:
    """Register an apprentice (pseudonymous ``ref``) with both mentors and the three-party agreement.

    The mentors must belong to the programme and be of the right side. Raises :class:`CooperationError`.
    """
    programme = _editable(programme, actor)
    if not programme.is_apprenticeship:
        raise CooperationError("订单班不登记学徒")
    ref = nfkc(ref)
    if not ref:
        raise CooperationError("学徒编号不能为空")
    if programme.apprentices.filter(ref=ref).exists():
        raise CooperationError(f"学徒编号“{ref}”已登记")
    for mentor, side in ((school_mentor, MentorSide.SCHOOL), (enterprise_mentor, MentorSide.ENTERPRISE)):
        if mentor is not None and (mentor.programme_id != programme.pk or mentor.side != side):
            raise CooperationError(f"所选{side.label}不属于本项目")
    if agreement_signed_on > timezone.localdate():
        raise CooperationError("三方协议签订日期不能晚于今天")
    apprentice = Apprentice(
        programme=programme,
        ref=ref,
        birth_month=birth_month.replace(day=1),
        school_mentor=school_mentor,
        enterprise_mentor=enterprise_mentor,
    )
    _save(apprentice, actor, "登记学徒")
    agreement = Agreement(
        programme=programme,
        kind=AgreementKind.TRIPARTITE,
        apprentice=apprentice,
        signed_on=agreement_signed_on,
        guardian_signed=guardian_signed,
    )
    _save(agreement, actor, "登记三方协议")
    return apprentice


@transaction.atomic
def period_add(
    *,
    programme: Programme,
    actor: Any,
    place: str,
    starts_on: dt.date,
    ends_on: dt.date,
    hours_per_day: Any,
    days_per_week: int = 5,
    content: str = "",
) -> TrainingPeriod:
    """Add a 工学交替 period (school or workplace) to a draft programme's training plan."""
    programme = _editable(programme, actor)
    if place not in PeriodPlace.values:
        raise CooperationError("请选择学习地点")
    if ends_on < starts_on:
        raise CooperationError("结束日期不能早于开始日期")
    try:
        hours = Decimal(str(hours_per_day))
    except InvalidOperation:
        raise CooperationError("每日学时应为数字") from None
    if not Decimal(0) < hours <= Decimal(24) or not 1 <= days_per_week <= 7:
        raise CooperationError("每日学时应在0至24之间，每周天数应在1至7之间")
    period = TrainingPeriod(
        programme=programme,
        place=place,
        starts_on=starts_on,
        ends_on=ends_on,
        hours_per_day=hours,
        days_per_week=days_per_week,
        content=clean_name(content),
    )
    _save(period, actor, f"登记工学交替安排：{PeriodPlace(place).label}")
    return period


@transaction.atomic
def programme_submit(*, programme: Programme, actor: Any) -> Programme:
    """Submit a draft (or returned) programme for filing; sets the review deadline.

    Every check of :mod:`.checks` must pass; otherwise the refusal lists each failed check and its
    problems. Raises :class:`CooperationError`.
    """
    programme = _editable(programme, actor)
    failed = [f for f in programme_checks(programme) if not f.passed]
    if failed:
        lines = [f"{f.check.title}：{'；'.join(f.problems)}" for f in failed]
        raise CooperationError("未通过备案检查：" + " / ".join(lines))
    programme.submit()
    programme.submitted_at = timezone.now()
    programme.review_due_on = _workdays_after(
        timezone.localdate(), "cooperation.review_workdays", programme.school.county_id
    )
    _save(programme, actor, f"提交备案，由{access.reviewer_level_label(programme.school)}审核")
    return programme


@transaction.atomic
def programme_review(*, programme: Programme, actor: Any, decision: str, reason: str = "") -> Programme:
    """The reviewing level's decision on a submitted programme: ``approve`` or ``return`` (reasons required).

    A returned programme gets a resubmission deadline (``cooperation.resubmit_workdays``).
    Raises :class:`CooperationError`.
    """
    programme = Programme.objects.select_for_update().select_related("school").get(pk=programme.pk)
    if not access.can_review_filing(actor, programme.school):
        raise CooperationError(f"该项目由{access.reviewer_level_label(programme.school)}审核")
    reason = (reason or "").strip()
    if decision == "approve":
        if not can_proceed(programme.approve):
            raise CooperationError(f"项目当前状态为“{programme.get_state_display()}”，不能备案")
        programme.approve()
        label = "审核通过，予以备案"
    elif decision == "return":
        if not can_proceed(programme.return_for_changes):
            raise CooperationError(f"项目当前状态为“{programme.get_state_display()}”，不能退回")
        if not reason:
            raise CooperationError("退回修改必须写明理由")
        programme.return_for_changes()
        programme.review_due_on = _workdays_after(
            timezone.localdate(), "cooperation.resubmit_workdays", programme.school.county_id
        )
        label = "退回修改"
    else:
        raise CooperationError("未知的审核操作")
    programme.reviewer = history_user(actor)
    programme.reviewed_at = timezone.now()
    programme.review_reason = reason
    _save(programme, actor, f"{label}：{reason}" if reason else label)
    return programme


def annual_report_due(programme: Programme, year: int) -> dt.date:
    """Deadline of the annual report for ``year``: working days after 31 December of that year."""
    return _workdays_after(
        dt.date(year, 12, 31), "cooperation.annual_report_workdays", programme.school.county_id
    )


@transaction.atomic
def annual_report_file(
    *,
    programme: Programme,
    actor: Any,
    year: int,
    students_in_training: int,
    students_left: int = 0,
    summary: str,
) -> AnnualReport:
    """File a filed (已备案) programme's annual report for ``year`` (once per year)."""
    programme = Programme.objects.select_for_update().select_related("school").get(pk=programme.pk)
    _require_staff(actor, programme.school)
    if programme.state != FilingState.APPROVED:
        raise CooperationError("只有已备案的项目可以报送年度报告")
    if not programme.agreement_signed_on.year <= year <= timezone.localdate().year:
        raise CooperationError("年度应在协议签订年份至今年之间")
    if programme.annual_reports.filter(year=year).exists():
        raise CooperationError(f"{year}年度报告已报送")
    if students_in_training < 0 or students_left < 0:
        raise CooperationError("人数不能为负数")
    if not (summary or "").strip():
        raise CooperationError("请填写年度总结")
    report = AnnualReport(
        programme=programme,
        year=year,
        students_in_training=students_in_training,
        students_left=students_left,
        summary=summary.strip(),
        due_on=annual_report_due(programme, year),
        submitted_at=timezone.now(),
    )
    _save(report, actor, f"报送{year}年度报告")
    _save(programme, actor, f"报送{year}年度报告")
    return report


@transaction.atomic
def programme_complete(*, programme: Programme, actor: Any, ended_on: dt.date, reason: str = "") -> Programme:
    """Close a filed programme (已结业) on ``ended_on``; an apprenticeship needs ≥ 1 annual report."""
    programme = Programme.objects.select_for_update().select_related("school").get(pk=programme.pk)
    _require_staff(actor, programme.school)
    if not can_proceed(programme.complete):
        raise CooperationError(f"项目当前状态为“{programme.get_state_display()}”，不能结业")
    if programme.is_apprenticeship and not programme.annual_reports.exists():
        raise CooperationError("学徒制项目结业前须至少报送一份年度报告")
    if ended_on < programme.agreement_signed_on:
        raise CooperationError("结束日期不能早于协议签订日期")
    programme.complete()
    programme.ended_on = ended_on
    _save(programme, actor, "项目结业" + (f"：{reason}" if reason else ""))
    return programme


@transaction.atomic
def order_outcome_record(
    *,
    programme: Programme,
    actor: Any,
    graduated_on: dt.date,
    graduates: int,
    hired_by_orderer: int,
    hired_elsewhere: int = 0,
    further_study: int = 0,
    other: int = 0,
) -> OrderClassOutcome:
    """Record (or correct) an order class's outcome at graduation; the four outcomes add up to graduates."""
    programme = Programme.objects.select_for_update().select_related("school").get(pk=programme.pk)
    _require_staff(actor, programme.school)
    if programme.kind != ProgrammeKind.ORDER_CLASS:
        raise CooperationError("只有订单班登记毕业去向")
    parts = (hired_by_orderer, hired_elsewhere, further_study, other)
    if graduates <= 0 or any(p < 0 for p in parts):
        raise CooperationError("毕业人数应大于0，各去向人数不能为负数")
    if sum(parts) != graduates:
        raise CooperationError(f"各去向人数之和（{sum(parts)}）应等于毕业人数（{graduates}）")
    outcome = OrderClassOutcome.objects.filter(programme=programme).first() or OrderClassOutcome(
        programme=programme
    )
    outcome.graduated_on = graduated_on
    outcome.graduates = graduates
    outcome.hired_by_orderer, outcome.hired_elsewhere, outcome.further_study, outcome.other = parts
    _save(outcome, actor, "登记订单班毕业去向")
    return outcome


# --- 1+X ----------------------------------------------------------------------------------------
def levels_normalize(levels: list[str] | str) -> str:
    """Comma-separated XLevel values from values or Chinese labels (初级、中级、高级); raises on others."""
    items = levels.replace("，", ",").replace("、", ",").split(",") if isinstance(levels, str) else levels
    out = []
    for item in items:
        item = nfkc(item)
        if not item:
            continue
        value = (
            item
            if item in XLevel.values
            else {"初级": "JUNIOR", "中级": "INTERMEDIATE", "高级": "SENIOR"}.get(item)
        )
        if value is None:
            raise CooperationError(f"“{item}”不是有效等级（初级、中级、高级）")
        if value not in out:
            out.append(value)
    if not out:
        raise CooperationError("请至少选择一个等级")
    return ",".join(v for v in XLevel.values if v in out)


@transaction.atomic
def certificate_upsert(
    *,
    name: str,
    organisation: str,
    levels: Any,
    actor: Any,
    batch: int | None = None,
    filed_on: dt.date | None = None,
) -> tuple[XCertificate, bool]:
    """The catalogue certificate (name, 培训评价组织), created when new; levels are merged in."""
    name, organisation = clean_name(name), clean_name(organisation)
    if not name or not organisation:
        raise CooperationError("证书名称和培训评价组织不能为空")
    normalized = levels_normalize(levels)
    cert = XCertificate.objects.select_for_update().filter(name=name, organisation=organisation).first()
    if cert is None:
        cert = XCertificate(
            name=name, organisation=organisation, levels=normalized, batch=batch, filed_on=filed_on
        )
        _save(cert, actor, "登记职业技能等级证书")
        return cert, True
    merged = levels_normalize(cert.levels.split(",") + normalized.split(","))
    if merged != cert.levels:
        cert.levels = merged
        _save(cert, actor, "补充证书等级")
    return cert, False


@transaction.atomic
def site_apply(
    *, actor: Any, school: Any, certificate: XCertificate, levels: Any, capacity: int = 0, code: str = ""
) -> AssessmentSite:
    """A school applies to host an assessment site (申请中); deadline ``cooperation.site_review_workdays``.

    The levels must be levels of the certificate; one open or approved site per school and
    certificate. Raises :class:`CooperationError`.
    """
    _require_staff(actor, school)
    if getattr(school, "is_technical", False):
        raise CooperationError("技工学校不纳入1+X证书制度试点（湖南第三批试点通知）")
    normalized = levels_normalize(levels)
    if not set(normalized.split(",")) <= set(certificate.levels.split(",")):
        raise CooperationError(f"证书“{certificate.name}”没有所选等级")
    if certificate.retired_on and certificate.retired_on <= timezone.localdate():
        raise CooperationError("该证书已停止试点")
    if AssessmentSite.objects.filter(
        school=school, certificate=certificate, state__in=[SiteState.APPLIED, SiteState.APPROVED]
    ).exists():
        raise CooperationError("本校已有该证书的考核站点或正在办理的申请")
    code = nfkc(code) or _next_site_code(school)
    if AssessmentSite.objects.filter(code=code).exists():
        raise CooperationError(f"站点编号“{code}”已被使用")
    site = AssessmentSite(
        code=code,
        school=school,
        certificate=certificate,
        levels=normalized,
        capacity=max(0, capacity),
        applied_at=timezone.now(),
        review_due_on=_workdays_after(
            timezone.localdate(), "cooperation.site_review_workdays", school.county_id
        ),
    )
    _save(site, actor, "申请设立1+X考核站点")
    return site


@transaction.atomic
def pilot_file(
    *, actor: Any, school: Any, certificate: XCertificate, year: int, planned_students: int = 0
) -> XPilot:
    """File a school's 1+X pilot (试点备案) for a certificate and year (H2: filed with the 省教育厅);
    filing the same school, certificate and year again updates the planned students."""
    _require_staff(actor, school)
    if planned_students < 0:
        raise CooperationError("计划参加人数不能为负数")
    if getattr(school, "is_technical", False):
        raise CooperationError("技工学校不纳入1+X证书制度试点（湖南第三批试点通知）")
    pilot = XPilot.objects.filter(school=school, certificate=certificate, year=year).first()
    pilot = pilot or XPilot(school=school, certificate=certificate, year=year)
    pilot.planned_students = planned_students
    _save(pilot, actor, f"1+X试点备案：{certificate.name}")
    return pilot


def _next_site_code(school: Any) -> str:
    prefix = f"ZD{school.code}"
    n = AssessmentSite.objects.filter(code__startswith=prefix).count() + 1
    while AssessmentSite.objects.filter(code=f"{prefix}{n:03d}").exists():
        n += 1
    return f"{prefix}{n:03d}"


@transaction.atomic
def site_review(
    *, site: AssessmentSite, actor: Any, decision: str, reason: str = "", approved_on: dt.date | None = None
) -> AssessmentSite:
    """The province approves (``approved_on`` default today) or rejects (reason required) an application."""
    site = AssessmentSite.objects.select_for_update().select_related("school").get(pk=site.pk)
    if not access.can_review_site(actor, site.school):
        raise CooperationError("1+X考核站点由省级教育行政部门审核")
    reason = (reason or "").strip()
    if decision == "approve":
        if not can_proceed(site.approve):
            raise CooperationError(f"站点当前状态为“{site.get_state_display()}”，不能批准")
        site.approve()
        site.approved_on = approved_on or timezone.localdate()
        label = "批准设立考核站点"
    elif decision == "reject":
        if not can_proceed(site.reject):
            raise CooperationError(f"站点当前状态为“{site.get_state_display()}”，不能驳回")
        if not reason:
            raise CooperationError("不予批准必须写明理由")
        site.reject()
        label = "不予批准"
    else:
        raise CooperationError("未知的审核操作")
    site.reviewer = history_user(actor)
    site.reason = reason
    _save(site, actor, f"{label}：{reason}" if reason else label)
    return site


@transaction.atomic
def site_revoke(
    *, site: AssessmentSite, actor: Any, reason: str, revoked_on: dt.date | None = None
) -> AssessmentSite:
    """The province revokes an approved site (reason required); it stays in the cumulative count."""
    site = AssessmentSite.objects.select_for_update().select_related("school").get(pk=site.pk)
    if not access.can_review_site(actor, site.school):
        raise CooperationError("1+X考核站点由省级教育行政部门撤销")
    if not can_proceed(site.revoke):
        raise CooperationError(f"站点当前状态为“{site.get_state_display()}”，不能撤销")
    if not (reason or "").strip():
        raise CooperationError("撤销必须写明理由")
    revoked_on = revoked_on or timezone.localdate()
    if site.approved_on and revoked_on < site.approved_on:
        raise CooperationError("撤销日期不能早于批准日期")
    site.revoke()
    site.revoked_on = revoked_on
    site.reason = reason.strip()
    _save(site, actor, f"撤销考核站点：{reason.strip()}")
    return site


@transaction.atomic
def session_record(
    *, site: AssessmentSite, actor: Any, held_on: dt.date, level: str, candidates: int, passed: int
) -> AssessmentSession:
    """Record an assessment session's results at an approved site (same site, date, level: corrected)."""
    site = AssessmentSite.objects.select_related("school").get(pk=site.pk)
    _require_staff(actor, site.school)
    level = levels_normalize([level])
    if level not in site.levels.split(","):
        raise CooperationError("该站点未获准考核所选等级")
    if not site.active_on(held_on):
        raise CooperationError("考核日期不在站点有效期内")
    if held_on > timezone.localdate():
        raise CooperationError("考核日期不能晚于今天")
    if candidates <= 0 or not 0 <= passed <= candidates:
        raise CooperationError("参考人数应大于0，通过人数应在0至参考人数之间")
    session = AssessmentSession.objects.filter(site=site, held_on=held_on, level=level).first()
    session = session or AssessmentSession(site=site, held_on=held_on, level=level)
    session.candidates, session.passed = candidates, passed
    _save(session, actor, "登记考核结果")
    return session


# --- bodies, craftsmen, training volumes ---------------------------------------------------------
def _require_regulator(actor: Any, county_code: str) -> None:
    if getattr(actor, "is_superuser", False):
        return
    if not (getattr(actor, "is_regulator", False) and actor.region.contains(county_code)):
        raise CooperationError("只有所在地的教育行政部门可以登记")


@transaction.atomic
def body_create(
    *,
    actor: Any,
    name: str,
    kind: str,
    level: str,
    county_code: str,
    founded_on: dt.date,
    anchor: str = "",
    batch: str = "",
) -> IndustryEducationBody:
    """Register an industry–education body (联合体 / 共同体 / 实践中心) in the regulator's region."""
    _require_regulator(actor, county_code)
    if kind not in BodyKind.values or level not in BodyLevel.values:
        raise CooperationError("请选择平台类型和层级")
    if not clean_name(name):
        raise CooperationError("名称不能为空")
    body = IndustryEducationBody(
        name=clean_name(name),
        kind=kind,
        level=level,
        county_id=county_code,
        founded_on=founded_on,
        anchor=clean_name(anchor),
        batch=clean_name(batch),
    )
    _save(body, actor, "登记产教融合平台")
    return body


@transaction.atomic
def body_member_add(
    *,
    body: IndustryEducationBody,
    actor: Any,
    role: str,
    school: Any = None,
    enterprise: Enterprise | None = None,
    other_name: str = "",
) -> BodyMember:
    """Add a member (exactly one of school, enterprise, other name) to a body."""
    _require_regulator(actor, body.county_id)
    if role not in MemberRole.values:
        raise CooperationError("请选择成员角色")
    if sum(bool(x) for x in (school, enterprise, clean_name(other_name))) != 1:
        raise CooperationError("成员须为一所学校、一家企业或一个其他单位")
    member = BodyMember(
        body=body, role=role, school=school, enterprise=enterprise, other_name=clean_name(other_name)
    )
    _save(member, actor, "登记成员单位")
    return member


@transaction.atomic
def body_activity_add(
    *, body: IndustryEducationBody, actor: Any, held_on: dt.date, title: str, participants: int = 0
) -> BodyActivity:
    _require_regulator(actor, body.county_id)
    if not clean_name(title):
        raise CooperationError("活动名称不能为空")
    activity = BodyActivity(
        body=body, held_on=held_on, title=clean_name(title), participants=max(0, participants)
    )
    _save(activity, actor, "登记平台活动")
    return activity


@transaction.atomic
def craftsman_record(
    *,
    actor: Any,
    name: str,
    id_number: str,
    level: str,
    year: int,
    field: str,
    county_code: str,
    employer: str = "",
    school: Any = None,
) -> tuple[CraftsmanRecognition, bool]:
    """Record a craftsman recognition (name masked, ID number only as a keyed digest). Same person,
    level and year again: no change (created=False)."""
    _require_regulator(actor, county_code)
    if level not in CraftsmanLevel.values:
        raise CooperationError("请选择工匠级别")
    if not nfkc(id_number):
        raise CooperationError("身份证号不能为空（仅保存摘要）")
    digest = person_digest(id_number)
    existing = CraftsmanRecognition.objects.filter(person_digest=digest, level=level, year=year).first()
    if existing:
        return existing, False
    rec = CraftsmanRecognition(
        person_name=mask_name(name),
        person_digest=digest,
        level=level,
        year=year,
        field=clean_name(field),
        employer=clean_name(employer),
        county_id=county_code,
        school=school,
    )
    _save(rec, actor, f"登记{CraftsmanLevel(level).label}")
    return rec, True


@transaction.atomic
def training_volume_record(
    *, actor: Any, school: Any, year: int, subsidised: int, market: int
) -> TrainingVolume:
    """A school's 补贴性培训 and 市场化社会培训 person-times for ``year`` (replaces that year's figures)."""
    _require_staff(actor, school)
    if subsidised < 0 or market < 0:
        raise CooperationError("培训人次不能为负数")
    volume = TrainingVolume.objects.filter(school=school, year=year).first() or TrainingVolume(
        school=school, year=year
    )
    volume.subsidised, volume.market = subsidised, market
    _save(volume, actor, f"填报{year}年社会培训量")
    return volume
