"""The platform's checks of an apprenticeship programme (中国特色学徒制) before filing.

Each check is a :class:`Check` with an id, a Chinese title, its policy source and the rule-data keys
it reads (:mod:`shuangjian.cooperation.rules`). :func:`programme_checks` runs them all and returns a
:class:`Finding` per check (passed or not, with every offending item named), so the school sees the
whole list before submitting and the reviewer sees it on the programme page.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from shuangjian.common.rules import rule_value

from .choices import AgreementKind, MentorSide, PeriodPlace, ProgrammeKind
from .models import Programme


@dataclass(frozen=True)
class Check:
    id: str
    title: str
    source: str
    params: tuple[str, ...] = ()


@dataclass
class Finding:
    """The result of one check: ``passed`` and, when not, the problems (Chinese) it found."""

    check: Check
    passed: bool
    problems: list[str] = field(default_factory=list)


CHECKS = {
    "AGREEMENT-BEFORE-TRAINING": Check(
        "AGREEMENT-BEFORE-TRAINING",
        "培养开始前签订校企协议和每名学徒的三方协议",
        "S13 职业教育法（2022）与现代学徒制试点：先签协议后培养；S11 岗位实习须先签三方协议",
    ),
    "DUAL-MENTOR": Check(
        "DUAL-MENTOR",
        "每名学徒均有校内导师和企业导师（双导师）",
        "S12 关于全面推行中国特色企业新型学徒制的指导意见（2021）：企校双师带徒",
    ),
    "MENTOR-RATIO": Check(
        "MENTOR-RATIO",
        "导师带徒人数不超过上限",
        "带徒比例未查到公开规定（本地规则）",
        ("cooperation.enterprise_mentor_max_apprentices", "cooperation.school_mentor_max_apprentices"),
    ),
    "GUARDIAN-CONSENT": Check(
        "GUARDIAN-CONSENT",
        "未成年学徒的三方协议有监护人签字同意",
        "S11 及人社问答：未满18周岁须监护人签字",
        ("cooperation.adult_age",),
    ),
    "MIN-AGE": Check(
        "MIN-AGE", "进入企业岗位培养时已满16周岁", "S11 第十六条", ("cooperation.min_workplace_age",)
    ),
    "WORK-HOURS": Check(
        "WORK-HOURS",
        "企业岗位培养时长在法定上限以内",
        "劳动时间规定（待核实，见规则说明）",
        ("cooperation.max_workplace_hours_per_day", "cooperation.max_workplace_hours_per_week"),
    ),
    "PLAN": Check("PLAN", "培养方案含在校学习和企业岗位培养（工学交替）", "S12：双基地、工学交替"),
}


def programme_checks(programme: Programme) -> list[Finding]:
    """Run every check on ``programme`` (an apprenticeship; an order class only gets the
    school–enterprise agreement check). Rule values are those of the school's county."""
    region = programme.school.county_id
    agreements = list(programme.agreements.all())
    mentors = {m.pk: m for m in programme.mentors.all()}
    apprentices = list(programme.apprentices.all())
    periods = list(programme.periods.all())
    workplace = [p for p in periods if p.place == PeriodPlace.ENTERPRISE]
    start: dt.date | None = min((p.starts_on for p in periods), default=None)
    work_start: dt.date | None = min((p.starts_on for p in workplace), default=None)
    findings: list[Finding] = []

    problems = []
    se = [a for a in agreements if a.kind == AgreementKind.SCHOOL_ENTERPRISE]
    if not se:
        problems.append("缺少校企合作协议")
    elif start and min(a.signed_on for a in se) > start:
        problems.append(f"校企合作协议签订日期晚于培养开始日期 {start:%Y-%m-%d}")
    if programme.kind == ProgrammeKind.ORDER_CLASS:
        return [Finding(CHECKS["AGREEMENT-BEFORE-TRAINING"], not problems, problems)]
    for apprentice in apprentices:
        agreement = getattr(apprentice, "agreement", None)
        if agreement is None:
            problems.append(f"学徒 {apprentice.ref} 缺少三方协议")
        elif work_start and agreement.signed_on > work_start:
            problems.append(
                f"学徒 {apprentice.ref} 的三方协议签订日期晚于岗位培养开始日期 {work_start:%Y-%m-%d}"
            )
    findings.append(Finding(CHECKS["AGREEMENT-BEFORE-TRAINING"], not problems, problems))

    problems = []
    if not apprentices:
        problems.append("尚未登记学徒")
    for apprentice in apprentices:
        missing = []
        if apprentice.school_mentor_id not in mentors:
            missing.append("校内导师")
        if apprentice.enterprise_mentor_id not in mentors:
            missing.append("企业导师")
        if missing:
            problems.append(f"学徒 {apprentice.ref} 缺少{'和'.join(missing)}")
    findings.append(Finding(CHECKS["DUAL-MENTOR"], not problems, problems))

    problems = []
    limits = {
        MentorSide.ENTERPRISE: int(rule_value("cooperation.enterprise_mentor_max_apprentices", region)),
        MentorSide.SCHOOL: int(rule_value("cooperation.school_mentor_max_apprentices", region)),
    }
    load = Counter([a.school_mentor_id for a in apprentices] + [a.enterprise_mentor_id for a in apprentices])
    for mentor_id, count in sorted(load.items(), key=lambda kv: str(kv[0])):
        mentor = mentors.get(mentor_id) if mentor_id is not None else None
        if mentor and count > limits[MentorSide(mentor.side)]:
            problems.append(
                f"{mentor.get_side_display()} {mentor.name} 带徒 {count} 人，超过上限 "
                f"{limits[MentorSide(mentor.side)]} 人"
            )
    findings.append(Finding(CHECKS["MENTOR-RATIO"], not problems, problems))

    adult = int(rule_value("cooperation.adult_age", region))
    min_age = int(rule_value("cooperation.min_workplace_age", region))
    guardian, too_young = [], []
    for apprentice in apprentices:
        agreement = getattr(apprentice, "agreement", None)
        at = work_start or start or programme.agreement_signed_on
        if apprentice.age_on(at) < adult and not (agreement and agreement.guardian_signed):
            guardian.append(f"学徒 {apprentice.ref} 培养开始时未满{adult}周岁，三方协议缺少监护人签字")
        if work_start and apprentice.age_on(work_start) < min_age:
            too_young.append(
                f"学徒 {apprentice.ref} 进入企业岗位培养时（{work_start:%Y-%m-%d}）未满{min_age}周岁"
            )
    findings.append(Finding(CHECKS["GUARDIAN-CONSENT"], not guardian, guardian))
    findings.append(Finding(CHECKS["MIN-AGE"], not too_young, too_young))

    problems = []
    per_day = float(rule_value("cooperation.max_workplace_hours_per_day", region))
    per_week = float(rule_value("cooperation.max_workplace_hours_per_week", region))
    for period in workplace:
        label = f"{period.starts_on:%Y-%m-%d}起的企业岗位培养"
        if float(period.hours_per_day) > per_day:
            problems.append(f"{label}每日 {period.hours_per_day:g} 小时，超过 {per_day:g} 小时")
        if period.hours_per_week > per_week:
            problems.append(f"{label}每周 {period.hours_per_week:g} 小时，超过 {per_week:g} 小时")
    findings.append(Finding(CHECKS["WORK-HOURS"], not problems, problems))

    problems = []
    places = {p.place for p in periods}
    if PeriodPlace.SCHOOL not in places:
        problems.append("培养方案缺少在校学习阶段")
    if PeriodPlace.ENTERPRISE not in places:
        problems.append("培养方案缺少企业岗位培养阶段")
    for period in periods:
        if period.ends_on < period.starts_on:
            problems.append(f"{period.starts_on:%Y-%m-%d}起的阶段结束日期早于开始日期")
    findings.append(Finding(CHECKS["PLAN"], not problems, problems))
    return findings
