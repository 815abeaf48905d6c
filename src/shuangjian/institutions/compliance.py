"""Compliance rule engine (合规规则): each rule is an object with an id, a Chinese title, its policy
source and the rule parameters it reads (declared in :mod:`.rules`, stored as RuleParameter data
the provincial regulator edits), and a ``check`` that yields findings with evidence.

:func:`compliance_scan` runs every rule over the registry (or one region) and records the findings
as :class:`~shuangjian.institutions.models.Violation` rows (source ``compliance``); open compliance
violations no longer found are resolved automatically (复查未再发现).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from shuangjian.common.audit import save_audited
from shuangjian.common.rules import RULES, rule_value
from shuangjian.common.workdays import WorkdayCalendar

from .choices import (
    COMPULSORY_GRADES,
    Audience,
    BackgroundCheck,
    Category,
    Mode,
    StaffRole,
    Status,
    ViolationStatus,
)
from .models import OPERATING, Institution, Practitioner, TrainingItem, TrainingSession, Violation

SOURCE = "compliance"


@dataclass
class Finding:
    """One breach found by a rule: the institution, a fingerprint unique within (rule, institution)
    and the evidence (JSON-serialisable facts, Chinese keys where shown to people)."""

    institution: Institution
    fingerprint: str
    evidence: dict[str, Any]


@dataclass
class ScanContext:
    """What the rules read: institutions with items, sessions and staff prefetched, the working-day
    calendar, the scan date, and cached rule parameters per county."""

    institutions: list[Institution]
    today: dt.date
    since: dt.date | None = None
    calendar: WorkdayCalendar = field(default_factory=WorkdayCalendar)
    _params: dict[tuple[str, str], Any] = field(default_factory=dict)

    def param(self, key: str, county: str) -> Any:
        if (key, county) not in self._params:
            self._params[(key, county)] = rule_value(key, county)
        return self._params[(key, county)]

    def sessions(self, item: TrainingItem) -> list[TrainingSession]:
        sessions = list(item.sessions.all())
        if self.since:
            sessions = [s for s in sessions if s.date >= self.since]
        return sessions


def _hm(value: str) -> dt.time:
    hour, minute = str(value).split(":")
    return dt.time(int(hour), int(minute))


def _session_evidence(item: TrainingItem, session: TrainingSession, **extra: Any) -> dict[str, Any]:
    return {
        "培训项目": item.name,
        "项目编号": item.pk,
        "日期": session.date.isoformat(),
        "时间": f"{session.start:%H:%M}-{session.end:%H:%M}",
        "培训形式": str(Mode(item.mode).label),
        **extra,
    }


class Rule:
    """Base class: ``id``, ``title`` (Chinese), ``source`` (policy document and article, RULES.md
    D-numbers), ``params`` (rule-parameter keys it reads); ``check(ctx)`` yields :class:`Finding`."""

    id: ClassVar[str] = ""
    title: ClassVar[str] = ""
    source: ClassVar[str] = ""
    params: ClassVar[tuple[str, ...]] = ()

    def check(self, ctx: ScanContext) -> Iterator[Finding]:
        raise NotImplementedError

    def parameters(self, region_code: str | None = None) -> list[dict[str, Any]]:
        """The rule's parameters with their current value for ``region_code`` (for the rules page)."""
        return [
            {
                "key": k,
                "title": RULES[k].title,
                "value": rule_value(k, region_code),
                "unit": RULES[k].unit,
                "source": RULES[k].source,
                "status": RULES[k].status,
            }
            for k in self.params
        ]


def _in_vacation(day: dt.date, vacations: list[list[str]]) -> bool:
    return any(dt.date.fromisoformat(start) <= day <= dt.date.fromisoformat(end) for start, end in vacations)


def _holiday_name(day: dt.date) -> str:
    try:
        import chinese_calendar

        on_holiday, name = chinese_calendar.get_holiday_detail(day)
        if on_holiday and name:
            labels = {
                "New Year's Day": "元旦",
                "Spring Festival": "春节",
                "Tomb-sweeping Day": "清明节",
                "Labour Day": "劳动节",
                "Dragon Boat Festival": "端午节",
                "National Day": "国庆节",
                "Mid-autumn Festival": "中秋节",
            }
            return labels.get(str(name), str(name))
    except (NotImplementedError, ValueError):
        pass
    return ""


class SubjectRestDayRule(Rule):
    """Subject training on statutory holidays, rest days or school vacations (D1).

    Rest days come from WorkdayCalendar, so an adjusted working Saturday (调休上班) is a school day
    and allowed; vacation periods are rule data per region."""

    id = "TIME-REST-DAY"
    title = "学科类培训安排在法定节假日、休息日或寒暑假"
    source = "D1 双减意见：不得占用国家法定节假日、休息日及寒暑假期组织学科类培训"
    params = ("institutions.school_vacations",)

    def check(self, ctx):
        for inst in ctx.institutions:
            vacations = ctx.param("institutions.school_vacations", inst.county_id)
            for item in inst.items.all():
                if item.effective_category != Category.SUBJECT:
                    continue
                for session in ctx.sessions(item):
                    reason = ""
                    if not ctx.calendar.is_working_day(session.date):
                        name = _holiday_name(session.date)
                        reason = f"法定节假日（{name}）" if name else "休息日"
                    elif _in_vacation(session.date, vacations):
                        reason = "寒暑假"
                    if reason:
                        yield Finding(
                            inst, f"session:{session.pk}", _session_evidence(item, session, 禁止时段=reason)
                        )


class OnlineLengthRule(Rule):
    """Online class hours longer than the limit (30 minutes, D1)."""

    id = "TIME-ONLINE-LENGTH"
    title = "线上培训每课时超过规定时长"
    source = "D1 双减意见：线上培训每课时不超过30分钟"
    params = ("institutions.online_class_max_minutes",)

    def check(self, ctx):
        for inst in ctx.institutions:
            limit = int(ctx.param("institutions.online_class_max_minutes", inst.county_id))
            for item in inst.items.all():
                if item.mode != Mode.ONLINE:
                    continue
                if item.class_minutes > limit:
                    yield Finding(
                        inst,
                        f"item:{item.pk}",
                        {"培训项目": item.name, "每课时（分钟）": item.class_minutes, "上限（分钟）": limit},
                    )
                for session in ctx.sessions(item):
                    if session.minutes > limit:
                        yield Finding(
                            inst,
                            f"session:{session.pk}",
                            _session_evidence(item, session, 时长分钟=session.minutes, 上限分钟=limit),
                        )


class OnlineBreakRule(Rule):
    """Online classes of one item on one day with less than the minimum break between them (D1)."""

    id = "TIME-ONLINE-BREAK"
    title = "线上培训课程间隔不足"
    source = "D1 双减意见：线上培训课程间隔不少于10分钟"
    params = ("institutions.online_break_min_minutes",)

    def check(self, ctx):
        for inst in ctx.institutions:
            minimum = int(ctx.param("institutions.online_break_min_minutes", inst.county_id))
            for item in inst.items.all():
                if item.mode != Mode.ONLINE:
                    continue
                by_day: dict[dt.date, list[TrainingSession]] = defaultdict(list)
                for session in ctx.sessions(item):
                    by_day[session.date].append(session)
                for day_sessions in by_day.values():
                    day_sessions.sort(key=lambda s: s.start)
                    for before, after in zip(day_sessions, day_sessions[1:], strict=False):
                        gap = (
                            dt.datetime.combine(after.date, after.start)
                            - dt.datetime.combine(before.date, before.end)
                        ).total_seconds() // 60
                        if gap < minimum:
                            yield Finding(
                                inst,
                                f"session:{after.pk}",
                                _session_evidence(
                                    item,
                                    after,
                                    上一节=f"{before.start:%H:%M}-{before.end:%H:%M}",
                                    间隔分钟=int(gap),
                                    下限分钟=minimum,
                                ),
                            )


class LatestEndRule(Rule):
    """Training ending after 21:00 online or 20:30 offline (D1, D9, D7)."""

    id = "TIME-LATEST-END"
    title = "培训结束时间晚于规定时间"
    source = "D1 双减意见（线上不晚于21:00）；D9 睡眠管理通知、D7（线下不晚于20:30）"
    params = ("institutions.online_latest_end", "institutions.offline_latest_end")

    def check(self, ctx):
        for inst in ctx.institutions:
            online = _hm(ctx.param("institutions.online_latest_end", inst.county_id))
            offline = _hm(ctx.param("institutions.offline_latest_end", inst.county_id))
            for item in inst.items.all():
                latest = online if item.mode == Mode.ONLINE else offline
                for session in ctx.sessions(item):
                    if session.end > latest:
                        yield Finding(
                            inst,
                            f"session:{session.pk}",
                            _session_evidence(item, session, 最晚结束=f"{latest:%H:%M}"),
                        )


class GuidedPriceRule(Rule):
    """Compulsory-education subject items priced above the guided price plus its float (D6, D13).

    Allowed = base price of the class-size band × class minutes / standard minutes (45 offline,
    30 online) × (1 + float). Compared exactly in integers/decimals (no floating point)."""

    id = "PRICE-GUIDED"
    title = "学科类培训收费超过政府指导价上浮幅度"
    source = "D6 发改价格〔2021〕1279号；D13 湘发改价费规〔2021〕862号（上浮不超过10%）"
    params = (
        "institutions.guided_price_fen",
        "institutions.guided_price_float",
        "institutions.standard_minutes_offline",
        "institutions.standard_minutes_online",
    )

    def check(self, ctx):
        for inst in ctx.institutions:
            base = ctx.param("institutions.guided_price_fen", inst.county_id)
            float_ = Decimal(str(ctx.param("institutions.guided_price_float", inst.county_id)))
            for item in inst.items.all():
                if item.effective_category != Category.SUBJECT or not (
                    set(item.grade_list) & COMPULSORY_GRADES
                ):
                    continue
                key = (
                    "institutions.standard_minutes_online"
                    if item.mode == Mode.ONLINE
                    else "institutions.standard_minutes_offline"
                )
                standard = int(ctx.param(key, inst.county_id))
                band_price = int(base.get(item.class_size, base.get("MEDIUM")))
                allowed = Decimal(band_price) * item.class_minutes / standard * (1 + float_)
                if item.price_per_hour_fen > allowed:
                    yield Finding(
                        inst,
                        f"item:{item.pk}",
                        {
                            "培训项目": item.name,
                            "班型": item.get_class_size_display(),
                            "每课时价格（元）": f"{item.price_per_hour_fen / 100:.2f}",
                            "基准价（元/标准课时）": f"{band_price / 100:.2f}",
                            "允许上限（元/课时）": f"{allowed / 100:.2f}",
                            "课时时长（分钟）": item.class_minutes,
                        },
                    )


def _staff_evidence(person: Practitioner, **extra: Any) -> dict[str, Any]:
    return {"姓名": person.name, "身份证号": person.id_number_masked, "任教科目": person.subject, **extra}


class CertificateRule(Rule):
    """Teaching staff without the required qualification (D4): subject training needs a teacher
    qualification certificate; non-subject training a teacher certificate or proof of ability."""

    id = "STAFF-CERTIFICATE"
    title = "从业人员无相应资格证明"
    source = "D4 校外培训机构从业人员管理办法（试行）第二章 资质要求；D7"

    def check(self, ctx):
        for inst in ctx.institutions:
            for person in inst.practitioners.all():
                if not person.active or person.role == StaffRole.OTHER:
                    continue
                subject = person.teaches_subject_training or inst.category == Category.SUBJECT
                if subject and not person.teacher_certificate:
                    yield Finding(inst, f"staff:{person.pk}", _staff_evidence(person, 缺少="教师资格证"))
                elif not subject and not (person.teacher_certificate or person.professional_certificate):
                    yield Finding(
                        inst, f"staff:{person.pk}", _staff_evidence(person, 缺少="教师资格证或专业能力证明")
                    )


class InServiceTeacherRule(Rule):
    """In-service primary/secondary or kindergarten teachers employed by an institution (D4, D7)."""

    id = "STAFF-IN-SERVICE"
    title = "聘用中小学、幼儿园在职教师"
    source = "D4 从业人员管理办法：不得聘用中小学、幼儿园在职教师；D7"

    def check(self, ctx):
        for inst in ctx.institutions:
            for person in inst.practitioners.all():
                if person.active and person.in_service_teacher:
                    yield Finding(inst, f"staff:{person.pk}", _staff_evidence(person, 情形="中小学在职教师"))


class BackgroundCheckRule(Rule):
    """Staff whose background check failed (blacklist or criminal record, D4)."""

    id = "STAFF-BACKGROUND"
    title = "聘用背景核查未通过的人员"
    source = "D4 从业人员管理办法：不得聘用列入黑名单或有故意犯罪记录的人员"

    def check(self, ctx):
        for inst in ctx.institutions:
            for person in inst.practitioners.all():
                if person.active and person.background_check == BackgroundCheck.FAILED:
                    yield Finding(inst, f"staff:{person.pk}", _staff_evidence(person, 背景核查="未通过"))


class PreschoolRule(Rule):
    """Preschool restrictions (D1): no online training of any kind for preschoolers; no offline
    subject training (foreign languages included)."""

    id = "PRESCHOOL"
    title = "面向学龄前儿童开展线上培训或学科类培训"
    source = "D1 双减意见：严禁对学龄前儿童开展线上培训，严禁以学前班、幼小衔接班、思维训练班等名义开展学科类（含外语）培训"

    def check(self, ctx):
        for inst in ctx.institutions:
            for item in inst.items.all():
                if "PRE" not in item.grade_list:
                    continue
                if item.mode == Mode.ONLINE:
                    yield Finding(
                        inst,
                        f"item:{item.pk}:online",
                        {"培训项目": item.name, "情形": "面向学龄前儿童的线上培训"},
                    )
                if item.effective_category == Category.SUBJECT:
                    yield Finding(
                        inst,
                        f"item:{item.pk}:subject",
                        {
                            "培训项目": item.name,
                            "情形": "面向学龄前儿童的学科类培训",
                            "鉴别理由": item.classification_reasons[:3],
                        },
                    )
            if Audience.PRESCHOOL in inst.audience_list and inst.mode == Mode.ONLINE and inst.is_operating:
                yield Finding(inst, "institution:online", {"情形": "线上机构服务对象含学龄前儿童"})


class LicenseRule(Rule):
    """Training without a valid licence: an operating institution with no licence number or an
    expired one, or sessions scheduled by an institution that is not licensed (申请中/停办/注销/吊销)."""

    id = "LICENSE"
    title = "无证或许可证过期开展培训"
    source = "D1 双减意见；D8 校外培训行政处罚暂行办法（擅自举办校外培训机构）"
    params = ("institutions.license_expiry_warning_days",)

    def check(self, ctx):
        for inst in ctx.institutions:
            if inst.status in OPERATING:
                if not inst.license_no:
                    yield Finding(inst, "license:missing", {"情形": "未登记办学许可证号"})
                elif inst.license_valid_until and inst.license_valid_until < ctx.today:
                    yield Finding(
                        inst,
                        "license:expired",
                        {
                            "情形": "办学许可证已过期",
                            "许可证号": inst.license_no,
                            "有效期至": inst.license_valid_until.isoformat(),
                        },
                    )
                continue
            since = inst.status_changed_on
            scheduled = [
                (item, s)
                for item in inst.items.all()
                for s in ctx.sessions(item)
                if since is None or s.date >= since
            ]
            if scheduled:
                item, first = min(scheduled, key=lambda p: (p[1].date, p[1].start))
                yield Finding(
                    inst,
                    "license:unlicensed-sessions",
                    {
                        "情形": f"机构状态为“{Status(inst.status).label}”仍排课",
                        "排课节数": len(scheduled),
                        "最早一节": f"{first.date.isoformat()} {item.name}",
                    },
                )


class DisguisedItemRule(Rule):
    """Items declared non-subject whose content reads as subject training (D3 classification)."""

    id = "ITEM-DISGUISED"
    title = "疑似隐形变异学科类培训"
    source = "D3 义务教育阶段校外培训项目分类鉴别指南（目的、内容、方式、评价）"

    def check(self, ctx):
        for inst in ctx.institutions:
            for item in inst.items.all():
                if item.disguised:
                    yield Finding(
                        inst,
                        f"item:{item.pk}",
                        {
                            "培训项目": item.name,
                            "申报类别": "非学科类",
                            "鉴别理由": item.classification_reasons,
                        },
                    )


ALL_RULES: list[Rule] = [
    SubjectRestDayRule(),
    OnlineLengthRule(),
    OnlineBreakRule(),
    LatestEndRule(),
    GuidedPriceRule(),
    CertificateRule(),
    InServiceTeacherRule(),
    BackgroundCheckRule(),
    PreschoolRule(),
    LicenseRule(),
    DisguisedItemRule(),
]
RULES_BY_ID = {r.id: r for r in ALL_RULES}


def check_institution(
    institution: Institution, *, rule_ids: list[str] | None = None, today: dt.date | None = None
) -> list[tuple[Rule, Finding]]:
    """Run rules (default all) over one institution without recording anything (for instant
    feedback when staff schedule a session). Returns (rule, finding) pairs."""
    rules = [RULES_BY_ID[r] for r in rule_ids] if rule_ids else ALL_RULES
    ctx = ScanContext(
        institutions=list(scan_queryset().filter(pk=institution.pk)), today=today or timezone.localdate()
    )
    return [(rule, finding) for rule in rules for finding in rule.check(ctx)]


@dataclass
class ScanResult:
    """Counts of a scan: institutions checked, violations created / still open / resolved, per rule."""

    institutions: int = 0
    created: int = 0
    still_open: int = 0
    resolved: int = 0
    by_rule: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"已检查 {self.institutions} 家机构：新发现 {self.created} 条，仍存在 {self.still_open} 条，"
            f"已自动解除 {self.resolved} 条"
        )


def scan_queryset(region_code: str | None = None):
    qs = Institution.objects.all()
    if region_code:
        qs = qs.in_region(region_code)
    return qs.prefetch_related(
        Prefetch("items", queryset=TrainingItem.objects.prefetch_related("sessions")),
        "practitioners",
    )


def compliance_scan(
    *,
    region_code: str | None = None,
    today: dt.date | None = None,
    since: dt.date | None = None,
    rules: list[Rule] | None = None,
    batch: int = 500,
    progress: Callable[[int, int], None] | None = None,
) -> ScanResult:
    """Run ``rules`` (default all) over the registry or one region's subtree and record violations.

    Institutions are read in batches of ``batch``; each batch commits in one transaction. Open
    compliance violations of the scanned institutions whose finding is gone are resolved with the
    note 复查未再发现. ``progress(done, total)`` is called after each batch (institutions). Returns a
    :class:`ScanResult`.
    """
    from simple_history.utils import bulk_create_with_history

    rules = rules or ALL_RULES
    result = ScanResult(by_rule={r.id: 0 for r in rules})
    today = today or timezone.localdate()
    calendar = WorkdayCalendar()
    ids = list(scan_queryset(region_code).values_list("pk", flat=True).order_by("pk"))
    now = timezone.now()
    rule_ids = [r.id for r in rules]
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        institutions = list(scan_queryset().filter(pk__in=chunk).select_related("county"))
        ctx = ScanContext(institutions=institutions, today=today, since=since, calendar=calendar)
        found: dict[tuple[int, str, str], tuple[Rule, Finding]] = {}
        for rule in rules:
            for finding in rule.check(ctx):
                found[(finding.institution.pk, rule.id, finding.fingerprint)] = (rule, finding)
        with transaction.atomic():
            open_rows = {
                (v.institution_id, v.rule_id, v.fingerprint): v
                for v in Violation.objects.select_for_update().filter(
                    institution_id__in=chunk, source=SOURCE, status=ViolationStatus.OPEN, rule_id__in=rule_ids
                )
            }
            new = []
            for key, (rule, finding) in found.items():
                result.by_rule[rule.id] += 1
                existing = open_rows.pop(key, None)
                if existing is not None:
                    result.still_open += 1
                    if existing.evidence != finding.evidence:
                        existing.evidence = finding.evidence
                        save_audited(
                            existing, user=None, reason="合规扫描：更新证据", update_fields=["evidence"]
                        )
                    continue
                new.append(
                    Violation(
                        institution=finding.institution,
                        rule_id=rule.id,
                        title=rule.title,
                        evidence=finding.evidence,
                        fingerprint=finding.fingerprint[:120],
                        source=SOURCE,
                        policy_source=rule.source[:300],
                        detected_at=now,
                    )
                )
            if new:
                bulk_create_with_history(new, Violation, default_change_reason="合规扫描：发现违规")
                result.created += len(new)
            for gone in open_rows.values():
                gone.status = ViolationStatus.RESOLVED
                gone.resolved_at = now
                gone.resolution = "复查未再发现"
                save_audited(gone, user=None, reason="合规扫描：复查未再发现")
                result.resolved += 1
        result.institutions += len(institutions)
        if progress:
            progress(min(start + batch, len(ids)), len(ids))
    result.warnings = list(calendar.warnings)
    return result


def compliance_scan_job(day: dt.date) -> tuple[dict[str, int], list[str]]:
    """The daily job ``compliance_scan`` (01:00, registered in :mod:`shuangjian.common.operations`):
    :func:`compliance_scan` of the whole province on ``day``, as counts
    ``{"institutions", "created", "still_open", "resolved"}`` and its warnings."""
    result = compliance_scan(today=day)
    counts = {
        "institutions": result.institutions,
        "created": result.created,
        "still_open": result.still_open,
        "resolved": result.resolved,
    }
    return counts, list(result.warnings)
