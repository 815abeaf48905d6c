"""Writes of STEM education: courses and their materials, the review workflow, adoption, competitions
and research projects. Every function is keyword-only, runs in one transaction and leaves an audit row
(django-simple-history: who, when, before/after, reason). Refusals raise :class:`StemError` (Chinese).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed

from shuangjian.common.audit import audit
from shuangjian.common.errors import DomainError
from shuangjian.common.rules import rule_value
from shuangjian.common.text import clean_name
from shuangjian.common.workdays import WorkdayCalendar
from shuangjian.regions.models import RegionLevel
from shuangjian.schools.models import School, SchoolKind
from shuangjian.schools.services import can_write_school

from .models import (
    Carrier,
    Competition,
    CompetitionEntry,
    CourseMaterial,
    CourseReview,
    CourseState,
    MaterialKind,
    ResearchProject,
    ResearchState,
    ResourceKind,
    ReviewStep,
    Stage,
    StemCourse,
)
from .rules import DAYS_BY_LEVEL, MIN_ELEMENT_CHARS, MIN_INTEGRATED, REQUIRE_PLAN_FILE, required_elements

MAX_MATERIALS = 20
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
EDITABLE_STATES = (CourseState.REGISTERED, CourseState.RETURNED)
#: Stages a kind of school may run (a kindergarten runs 学前 courses only).
KIND_STAGES = {
    SchoolKind.KINDERGARTEN: {Stage.PRESCHOOL},
    SchoolKind.PRIMARY: {Stage.PRIMARY},
    SchoolKind.JUNIOR: {Stage.JUNIOR},
    SchoolKind.NINE_YEAR: {Stage.PRIMARY, Stage.JUNIOR},
    SchoolKind.SENIOR: {Stage.SENIOR},
}


class StemError(DomainError):
    """A refused STEM action; the message is Chinese and names the reason (nothing was changed)."""

    code = "stem_refused"


def _audit(instance: Any, actor: Any, reason: str) -> None:
    audit(instance, user=actor, reason=reason[:100])


def _is_staff_of(actor: Any, school: School) -> bool:
    """School staff of ``school``, a superuser, or the command line (None)."""
    if actor is None or getattr(actor, "is_superuser", False):
        return True
    return getattr(actor, "school_id", None) == school.pk and not getattr(actor, "is_regulator", False)


def _may_register(actor: Any, school: School) -> bool:
    """School staff of ``school``, or a regulator over it (a county collecting its schools' courses)."""
    return _is_staff_of(actor, school) or bool(
        getattr(actor, "is_regulator", False) and can_write_school(actor, school)
    )


def split_subjects(text: str) -> list[str]:
    """Subjects written 数学、科学,美术 / 数学；科学 → ["数学", "科学", "美术"] (trimmed, de-duplicated)."""
    import re

    out: list[str] = []
    for part in re.split(r"[、,，;；/\s]+", text or ""):
        part = part.strip()
        if part and part not in out:
            out.append(part)
    return out


@dataclass
class CourseInput:
    """A course's registry fields and plan (hours per term, pupils a count, dates inclusive)."""

    name: str
    stage: str
    carrier: str
    anchor_subject: str
    subjects: list[str]
    hours: int
    start_on: dt.date
    end_on: dt.date | None = None
    grades: str = ""
    teachers: str = ""
    pupils: int = 0
    in_after_school: bool = False
    resource_kinds: list[str] = field(default_factory=list)
    resources: str = ""
    summary: str = ""
    objectives: str = ""
    problem: str = ""
    activities: str = ""
    evaluation: str = ""
    safety: str = ""

    def values(self) -> dict[str, Any]:
        """Model field → value, cleaned."""
        subjects = [s for s in self.subjects if s != self.anchor_subject.strip()]
        return {
            "name": clean_name(self.name)[:200],
            "stage": self.stage,
            "carrier": self.carrier,
            "anchor_subject": clean_name(self.anchor_subject)[:20],
            "subjects": "、".join(subjects)[:200],
            "hours": self.hours,
            "start_on": self.start_on,
            "end_on": self.end_on,
            "grades": clean_name(self.grades)[:60],
            "teachers": clean_name(self.teachers)[:200],
            "pupils": self.pupils,
            "in_after_school": self.in_after_school,
            "resource_kinds": ",".join(k for k in ResourceKind.values if k in self.resource_kinds),
            "resources": clean_name(self.resources)[:300],
            "summary": self.summary.strip(),
            "objectives": self.objectives.strip(),
            "problem": self.problem.strip(),
            "activities": self.activities.strip(),
            "evaluation": self.evaluation.strip(),
            "safety": self.safety.strip(),
        }


def course_input_errors(data: CourseInput, school: School) -> list[tuple[str, str]]:
    """(field, Chinese reason) for every impossible value of ``data`` at ``school``; [] when valid."""
    errors: list[tuple[str, str]] = []
    if not clean_name(data.name):
        errors.append(("name", "课程名称不能为空"))
    if data.stage not in Stage.values:
        errors.append(("stage", "学段应为学前、小学、初中或高中"))
    elif school.kind in KIND_STAGES and data.stage not in KIND_STAGES[SchoolKind(school.kind)]:
        allowed = "、".join(str(Stage(s).label) for s in KIND_STAGES[SchoolKind(school.kind)])
        errors.append(("stage", f"{school.get_kind_display()}只能开设{allowed}学段的课程"))
    if data.carrier not in Carrier.values:
        errors.append(("carrier", "载体应为学科融合、传统文化、现代科技或游戏活动"))
    if not clean_name(data.anchor_subject):
        errors.append(("anchor_subject", "主学科不能为空"))
    if not 1 <= data.hours <= 400:
        errors.append(("hours", "课时应在1至400之间"))
    if data.pupils < 0 or (school.students is not None and data.pupils > school.students):
        errors.append(("pupils", f"参与学生数应在0至在校生数（{school.students}）之间"))
    if data.end_on is not None and data.end_on < data.start_on:
        errors.append(("end_on", "结束日期不能早于开设日期"))
    if data.start_on.year < 2000:
        errors.append(("start_on", "开设日期不能早于2000年"))
    unknown = [k for k in data.resource_kinds if k not in ResourceKind.values]
    if unknown:
        errors.append(("resource_kinds", "未知的资源类型：" + "、".join(unknown)))
    return errors


def _check_input(data: CourseInput, school: School) -> None:
    errors = course_input_errors(data, school)
    if errors:
        raise StemError("；".join(reason for _f, reason in errors))


@transaction.atomic
def course_register(
    *, actor: Any, school: School, data: CourseInput, adopted_from: StemCourse | None = None
) -> StemCourse:
    """Register a school's STEM course (state 已登记): the school's staff, a regulator over the school, or
    the command line.

    Raises :class:`StemError` for bad values, a stage the kind of school does not teach, or a course of
    the same name already registered at the school.
    """
    if not _may_register(actor, school):
        raise StemError("只有本校（园）或所在地教育行政部门可以登记课程")
    _check_input(data, school)
    values = data.values()
    if StemCourse.objects.filter(school=school, name=values["name"]).exists():
        raise StemError(f"本校已登记名为《{values['name']}》的课程")
    course = StemCourse(school=school, adopted_from=adopted_from, **values)
    _audit(course, actor, "采用省级优秀课程" if adopted_from else "登记STEM课程")
    course.save()
    return course


@transaction.atomic
def course_update(*, actor: Any, course: StemCourse, data: CourseInput) -> StemCourse:
    """Change a course's registry fields and plan while it is 已登记 or 退回修改. Raises StemError."""
    course = StemCourse.objects.select_for_update().select_related("school").get(pk=course.pk)
    if not _is_staff_of(actor, course.school):
        raise StemError("只有本校（园）教师可以修改本校课程")
    if course.state not in EDITABLE_STATES:
        raise StemError(f"课程当前状态为“{course.get_state_display()}”，不能修改")
    _check_input(data, course.school)
    values = data.values()
    if (
        values["name"] != course.name
        and StemCourse.objects.filter(school=course.school, name=values["name"]).exists()
    ):
        raise StemError(f"本校已登记名为《{values['name']}》的课程")
    for name, value in values.items():
        setattr(course, name, value)
    _audit(course, actor, "修改课程方案")
    course.save()
    return course


@transaction.atomic
def course_upsert(*, actor: Any, school: School, data: CourseInput) -> tuple[StemCourse, str]:
    """Create or update the course (school, name) from an import; "created" | "updated" | "unchanged".

    A course already in review (neither 已登记 nor 退回修改) may not be changed by an import: StemError.
    """
    values = data.values()
    course = StemCourse.objects.select_for_update().filter(school=school, name=values["name"]).first()
    if course is None:
        return course_register(actor=actor, school=school, data=data), "created"
    changes = course_changes(course, data)
    if not changes:
        return course, "unchanged"
    if course.state not in EDITABLE_STATES:
        raise StemError(f"课程已进入审核流程（{course.get_state_display()}），不能通过导入修改")
    for name, value in changes.items():
        setattr(course, name, value)
    _audit(course, actor, "导入STEM课程（更新）")
    course.save()
    return course, "updated"


_PLAN_FIELDS = {"summary", "objectives", "problem", "activities", "evaluation", "safety"}


def course_changes(course: StemCourse, data: CourseInput) -> dict[str, Any]:
    """Field → new value where ``data`` differs from ``course`` (empty plan cells keep the stored plan)."""
    values = data.values()
    return {k: v for k, v in values.items() if (k not in _PLAN_FIELDS or v) and getattr(course, k) != v}


def course_standard_gaps(course: StemCourse) -> list[str]:
    """What the course lacks against the course standard in force in its county (Chinese lines).

    Checks every required element (rule ``stem.course_standard.required_elements``) is filled with at
    least ``stem.course_standard.min_chars`` characters, the integrated subjects number at least
    ``stem.course_standard.min_integrated_subjects``, and — when ``stem.course_standard.require_plan_file``
    — a 课程方案 file is attached. [] means the plan meets the standard.
    """
    county = course.school.county_id
    min_chars = int(rule_value(MIN_ELEMENT_CHARS.key, county))
    gaps = []
    for field_name, title in required_elements(county):
        if field_name == "subjects":
            need = int(rule_value(MIN_INTEGRATED.key, county))
            if len(course.subject_list) < need:
                gaps.append(f"{title}：主学科之外至少融合{need}门学科（现有{len(course.subject_list)}门）")
            continue
        value = str(getattr(course, field_name, "") or "").strip()
        if len(value) < min_chars:
            gaps.append(f"{title}：未填写或少于{min_chars}字")
    if (
        rule_value(REQUIRE_PLAN_FILE.key, county)
        and not course.materials.filter(kind=MaterialKind.PLAN).exists()
    ):
        gaps.append("课程方案文件：未上传")
    return gaps


# --- materials -------------------------------------------------------------------------------------
@transaction.atomic
def material_add(
    *, actor: Any, course: StemCourse, kind: str, filename: str, data: bytes, public: bool = False
) -> CourseMaterial:
    """Attach a material to a course; images go through the 随手拍 photo pipeline (EXIF removed).

    ``kind``: 课程方案 / 教学设计 (PDF or image) or 活动照片 (image). Images are decoded and re-encoded by
    :func:`shuangjian.complaints.photos.process_photo` (metadata, GPS position included, dropped; a
    thumbnail kept); PDFs must be structurally complete (:func:`shuangjian.institutions.validation.check_pdf`)
    and at most 20 MB. Only the school's staff while the course is editable (or the command line).
    Raises :class:`StemError` naming the file and the reason.
    """
    from shuangjian.complaints.photos import PhotoError, process_photo
    from shuangjian.institutions.validation import MaterialError, check_pdf

    course = StemCourse.objects.select_for_update().select_related("school").get(pk=course.pk)
    if not _is_staff_of(actor, course.school):
        raise StemError("只有本校（园）教师可以上传课程材料")
    if actor is not None and course.state not in EDITABLE_STATES:
        raise StemError(f"课程当前状态为“{course.get_state_display()}”，不能再上传材料")
    if kind not in MaterialKind.values:
        raise StemError("未知的材料类型")
    if course.materials.count() >= MAX_MATERIALS:
        raise StemError(f"每门课程最多{MAX_MATERIALS}份材料")
    name = clean_name(filename)[:200] or "材料"
    material = CourseMaterial(course=course, kind=kind, original_name=name, public=public)
    if data.startswith(b"%PDF-"):
        if kind == MaterialKind.PHOTO:
            raise StemError(f"“{name}”是PDF文件：活动照片请上传图片")
        if len(data) > MAX_DOCUMENT_BYTES:
            raise StemError(f"“{name}”超过20 MB")
        try:
            check_pdf(data, name)
        except MaterialError as error:
            raise StemError(str(error)) from None
        material.content_type, material.size = "application/pdf", len(data)
        import hashlib

        material.sha256 = hashlib.sha256(data).hexdigest()
        material.file.save("material.pdf", ContentFile(data), save=False)
    else:
        try:
            photo = process_photo(name, data)
        except PhotoError as error:
            raise StemError(str(error)) from None
        material.content_type, material.size, material.sha256 = "image/jpeg", len(photo.data), photo.sha256
        material.file.save("material.jpg", ContentFile(photo.data), save=False)
        material.thumbnail.save("thumb.jpg", ContentFile(photo.thumbnail), save=False)
    _audit(material, actor, f"上传{MaterialKind(kind).label}")
    material.save()
    return material


# --- review workflow -------------------------------------------------------------------------------
#: Who reviews at each level, for the refusal message.
REVIEWER_WHO: dict[str, str] = {
    RegionLevel.COUNTY: "学校所在县市区",
    RegionLevel.PREFECTURE: "学校所在市州",
    RegionLevel.PROVINCE: "省级",
}

#: decision → (step, Chinese label, reason required, level of the reviewer)
DECISIONS: dict[str, tuple[str, str, bool, str]] = {
    "county_pass": (ReviewStep.COUNTY, "县级审核通过", False, RegionLevel.COUNTY),
    "county_return": (ReviewStep.COUNTY, "退回修改", True, RegionLevel.COUNTY),
    "city_recommend": (ReviewStep.CITY, "市级推荐", False, RegionLevel.PREFECTURE),
    "city_decline": (ReviewStep.CITY, "市级不予推荐", True, RegionLevel.PREFECTURE),
    "province_recognise": (ReviewStep.PROVINCE, "认定为省级优秀STEM课程", False, RegionLevel.PROVINCE),
    "province_decline": (ReviewStep.PROVINCE, "省级不予认定", True, RegionLevel.PROVINCE),
}


def _deadline(level: str, county: str, start: dt.date) -> dt.date:
    days = int(rule_value(DAYS_BY_LEVEL[level].key, county))
    return WorkdayCalendar().add_working_days(start, days)


def _moment(on: dt.date | None) -> dt.datetime:
    """Now, or noon (Asia/Shanghai) of a backdated day."""
    if on is None:
        return timezone.now()
    return timezone.make_aware(dt.datetime.combine(on, dt.time(12, 0)))


def reviewer_level(actor: Any, course: StemCourse) -> str | None:
    """The review level ``actor`` holds over ``course``: "COUNTY" / "PREFECTURE" / "PROVINCE" for a
    regulator of that level whose region contains the school; None for anyone else."""
    if not getattr(actor, "is_regulator", False) or not actor.region_id:
        return None
    if not actor.region.contains(course.school.county_id):
        return None
    return actor.region.level


@transaction.atomic
def course_submit(*, actor: Any, course: StemCourse, note: str = "", on: dt.date | None = None) -> StemCourse:
    """The school submits its course for review (已登记 / 退回修改 → 待县级审核).

    The plan must meet the course standard (:func:`course_standard_gaps`); the county's deadline is
    ``stem.review.county_workdays`` working days after today (WorkdayCalendar: holidays, 调休).
    ``on`` backdates the submission (imports of past records, the demo); default today. Raises
    :class:`StemError` listing every gap, or for a wrong state or user.
    """
    course = StemCourse.objects.select_for_update().select_related("school").get(pk=course.pk)
    if not _is_staff_of(actor, course.school):
        raise StemError("只有本校（园）教师可以申报本校课程")
    if not can_proceed(course.submit):
        raise StemError(f"课程当前状态为“{course.get_state_display()}”，不能申报")
    gaps = course_standard_gaps(course)
    if gaps:
        raise StemError("课程方案不符合课程规范：" + "；".join(gaps))
    today = on or timezone.localdate()
    course.submit()
    course.submitted_at = _moment(on)
    course.due_on = _deadline(RegionLevel.COUNTY, course.school.county_id, today)
    _audit(course, actor, "学校申报")
    course.save()
    CourseReview.objects.create(
        course=course,
        step=ReviewStep.SUBMIT,
        decision="submit",
        decision_label="学校申报",
        reason=note.strip(),
        actor=actor if getattr(actor, "pk", None) else None,
        decided_at=_moment(on),
        due_on=None,
        on_time=True,
    )
    return course


@transaction.atomic
def course_review(
    *, actor: Any, course: StemCourse, decision: str, reason: str = "", on: dt.date | None = None
) -> CourseReview:
    """A reviewer's decision on a pending course (see :data:`DECISIONS`).

    The county regulator of the school's county decides on 待县级审核 (pass or return with a reason),
    the city regulator on 县级通过 (recommend, or decline with a reason), the provincial regulator on
    市级推荐 (recognise as 省级优秀STEM课程, or decline with a reason). Passing sets the next level's
    deadline in working days (rule data); the review row records whether this step met its own. Raises
    :class:`StemError` for an unknown decision, a wrong state, a reviewer of the wrong level or region,
    or a missing reason. ``actor`` None is the command line (the demo); ``on`` backdates the decision.
    """
    course = StemCourse.objects.select_for_update().select_related("school").get(pk=course.pk)
    if decision not in DECISIONS:
        raise StemError("未知的审核操作")
    step, label, needs_reason, level = DECISIONS[decision]
    method = getattr(course, decision)
    if not can_proceed(method):
        raise StemError(f"课程当前状态为“{course.get_state_display()}”，不能“{label}”")
    if (
        actor is not None
        and not getattr(actor, "is_superuser", False)
        and reviewer_level(actor, course) != level
    ):
        who = REVIEWER_WHO[level]
        raise StemError(f"“{label}”只能由{who}教育行政部门办理")
    reason = (reason or "").strip()
    if needs_reason and not reason:
        raise StemError(f"“{label}”必须填写理由")
    today = on or timezone.localdate()
    due = course.due_on
    method()
    next_level = course.pending_level
    course.due_on = _deadline(next_level, course.school.county_id, today) if next_level else None
    if course.state == CourseState.RECOGNISED:
        course.recognised_on = today
    _audit(course, actor, f"{label}：{reason}" if reason else label)
    course.save()
    return CourseReview.objects.create(
        course=course,
        step=step,
        decision=decision,
        decision_label=label,
        reason=reason,
        actor=actor if getattr(actor, "pk", None) else None,
        decided_at=_moment(on),
        due_on=due,
        on_time=due is None or today <= due,
    )


@transaction.atomic
def course_adopt(*, actor: Any, course: StemCourse, start_on: dt.date | None = None) -> StemCourse:
    """A school adopts a course from the public library: it gets its own copy (已登记, ``adopted_from``
    set, plan copied, pupils 0) that counts as its course. Only a recognised course; only school staff.
    Raises :class:`StemError` when the course is not recognised, the user is not school staff, or the
    school already has it."""
    source = StemCourse.objects.select_related("school").get(pk=course.pk)
    if source.state != CourseState.RECOGNISED:
        raise StemError("只能采用省级优秀STEM课程")
    school_id = getattr(actor, "school_id", None)
    if not school_id or getattr(actor, "is_regulator", False):
        raise StemError("请使用学校（幼儿园）账号采用课程")
    school = School.objects.get(pk=school_id)
    if school.pk == source.school_id:
        raise StemError("不能采用本校自己的课程")
    if StemCourse.objects.filter(school=school, adopted_from=source).exists():
        raise StemError("本校已采用该课程")
    stages = KIND_STAGES.get(SchoolKind(school.kind), {source.stage})
    stage = source.stage if source.stage in stages else sorted(stages)[0]
    data = CourseInput(
        name=source.name
        if not StemCourse.objects.filter(school=school, name=source.name).exists()
        else f"{source.name}（采用）",
        stage=stage,
        carrier=source.carrier,
        anchor_subject=source.anchor_subject,
        subjects=source.subject_list,
        hours=source.hours,
        start_on=start_on or timezone.localdate(),
        grades=source.grades,
        resources=source.resources,
        resource_kinds=[k for k in source.resource_kinds.split(",") if k],
        in_after_school=source.in_after_school,
        summary=source.summary,
        objectives=source.objectives,
        problem=source.problem,
        activities=source.activities,
        evaluation=source.evaluation,
        safety=source.safety,
    )
    return course_register(actor=actor, school=school, data=data, adopted_from=source)


# --- competitions ----------------------------------------------------------------------------------
@transaction.atomic
def competition_upsert(
    *,
    actor: Any,
    name: str,
    year: int,
    edition: int | None = None,
    level: str = "国家级",
    organisers: str = "",
    held_on: dt.date | None = None,
    source: str = "",
) -> Competition:
    """Create or update a competition keyed by (name, year). Provincial regulators or the command line."""
    if actor is not None and not getattr(actor, "is_provincial", False):
        raise StemError("只有省级教育行政部门可以登记赛事")
    values = {
        "edition": edition,
        "level": level,
        "organisers": organisers,
        "held_on": held_on,
        "source": source,
    }
    competition = Competition.objects.select_for_update().filter(name=name, year=year).first()
    if competition is None:
        competition = Competition(name=name, year=year, **values)
    elif all(getattr(competition, k) == v for k, v in values.items()):
        return competition
    else:
        for k, v in values.items():
            setattr(competition, k, v)
    _audit(competition, actor, "登记赛事")
    competition.save()
    return competition


@transaction.atomic
def entry_record(
    *,
    actor: Any,
    competition: Competition,
    school: School,
    title: str,
    course: StemCourse | None = None,
    team: str = "",
    group: str = "",
    top_n: int | None = None,
    overall_rank: int | None = None,
    group_rank: int | None = None,
    prize: str = "",
    result_on: dt.date | None = None,
) -> CompetitionEntry:
    """Record (or update) an entry and its result: "进入前50强，学前教育段第二名" is top_n=50, group="学前教育段",
    group_rank=2. Regulators over the school or the command line. Raises StemError."""
    if (
        actor is not None
        and not getattr(actor, "is_superuser", False)
        and not (getattr(actor, "is_regulator", False) and can_write_school(actor, school))
    ):
        raise StemError("只有学校所在地的教育行政部门可以登记参赛结果")
    if course is not None and course.school_id != school.pk:
        raise StemError("参赛课程不属于该学校")
    for label, value in (("进入前N强", top_n), ("总排名", overall_rank), ("组内名次", group_rank)):
        if value is not None and value < 1:
            raise StemError(f"{label}应为正整数")
    values = {
        "course": course,
        "team": team,
        "group": group,
        "top_n": top_n,
        "overall_rank": overall_rank,
        "group_rank": group_rank,
        "prize": prize,
        "result_on": result_on,
    }
    entry = (
        CompetitionEntry.objects.select_for_update()
        .filter(competition=competition, school=school, title=title)
        .first()
    )
    if entry is None:
        entry = CompetitionEntry(competition=competition, school=school, title=title, **values)
    elif all(getattr(entry, k) == v for k, v in values.items()):
        return entry
    else:
        for k, v in values.items():
            setattr(entry, k, v)
    _audit(entry, actor, f"登记参赛结果：{entry.result_text}")
    entry.save()
    return entry


# --- research projects -----------------------------------------------------------------------------
@transaction.atomic
def research_apply(
    *,
    actor: Any,
    school: School,
    title: str,
    stage: str,
    lead: str,
    summary: str = "",
    level: str = "省级",
    applied_on: dt.date | None = None,
) -> ResearchProject:
    """The school applies for a research project (申请立项). Only its staff. Raises StemError."""
    if not _is_staff_of(actor, school):
        raise StemError("只有本校（园）可以申报课题")
    title = clean_name(title)[:200]
    if not title or not clean_name(lead):
        raise StemError("课题名称和负责人不能为空")
    if stage not in Stage.values:
        raise StemError("学段应为学前、小学、初中或高中")
    if ResearchProject.objects.filter(school=school, title=title).exists():
        raise StemError(f"本校已申报课题《{title}》")
    project = ResearchProject(
        school=school,
        title=title,
        stage=stage,
        lead=clean_name(lead)[:60],
        summary=summary.strip(),
        level=level,
        applied_on=applied_on or timezone.localdate(),
    )
    _audit(project, actor, "申请立项")
    project.save()
    return project


def can_review_research(actor: Any, project: ResearchProject) -> bool:
    """The 教科院 / education department reviewer: a regulator holding ``stem.review_research`` whose region
    contains the school, or a superuser."""
    if getattr(actor, "is_superuser", False):
        return True
    return bool(
        getattr(actor, "is_regulator", False)
        and actor.region_id
        and actor.region.contains(project.school.county_id)
        and actor.has_perm("stem.review_research")
    )


#: action → (Chinese label, who acts: "school" | "reviewer", reason required, text field written)
RESEARCH_ACTIONS: dict[str, tuple[str, str, bool, str | None]] = {
    "approve": ("立项", "reviewer", False, None),
    "decline": ("不予立项", "reviewer", True, None),
    "file_midterm": ("提交中期报告", "school", False, "midterm_report"),
    "pass_midterm": ("中期检查通过", "reviewer", False, None),
    "return_midterm": ("中期报告退回", "reviewer", True, None),
    "file_conclusion": ("申请结题", "school", False, "outputs"),
    "conclude": ("准予结题", "reviewer", False, None),
    "return_conclusion": ("结题申请退回", "reviewer", True, None),
}


@transaction.atomic
def research_transition(
    *,
    actor: Any,
    project: ResearchProject,
    action: str,
    reason: str = "",
    text: str = "",
    on: dt.date | None = None,
) -> ResearchProject:
    """Move a research project along 立项 → 中期 → 结题 (see :data:`RESEARCH_ACTIONS`).

    School actions need the school's staff and their text (the mid-term report, the outputs); reviewer
    actions need :func:`can_review_research`; returns and declines need a reason. Dates default to today.
    Raises :class:`StemError`.
    """
    project = ResearchProject.objects.select_for_update().select_related("school").get(pk=project.pk)
    if action not in RESEARCH_ACTIONS:
        raise StemError("未知的课题操作")
    label, who, needs_reason, text_field = RESEARCH_ACTIONS[action]
    method = getattr(project, action)
    if not can_proceed(method):
        raise StemError(f"课题当前状态为“{project.get_state_display()}”，不能“{label}”")
    if who == "school" and not _is_staff_of(actor, project.school):
        raise StemError(f"“{label}”只能由课题承担单位办理")
    if who == "reviewer" and actor is not None and not can_review_research(actor, project):
        raise StemError(f"“{label}”只能由教科院（教育行政部门）课题管理人员办理")
    reason = (reason or "").strip()
    if needs_reason and not reason:
        raise StemError(f"“{label}”必须填写理由")
    if text_field:
        text = (text or "").strip()
        if not text:
            raise StemError("中期报告不能为空" if text_field == "midterm_report" else "研究成果不能为空")
        setattr(project, text_field, text)
    day = on or timezone.localdate()
    method()
    if project.state == ResearchState.APPROVED and action == "approve":
        project.approved_on = day
    elif project.state == ResearchState.MIDTERM_PASSED and action == "pass_midterm":
        project.midterm_on = day
    elif project.state == ResearchState.CONCLUDED:
        project.concluded_on = day
    if who == "reviewer":
        project.last_reason = reason
    _audit(project, actor, f"{label}：{reason}" if reason else label)
    project.save()
    return project


def resource_kinds_from_words(words: Iterable[str]) -> list[str]:
    """ResourceKind values from Chinese words (科普基地 / 科普教育基地, 科技馆, 企业 / 合作企业, 高校 …);
    unknown words are returned with a leading "?" so callers can name them."""
    table = {
        "科普基地": ResourceKind.SCIENCE_BASE,
        "科普教育基地": ResourceKind.SCIENCE_BASE,
        "科技馆": ResourceKind.MUSEUM,
        "科技场馆": ResourceKind.MUSEUM,
        "企业": ResourceKind.ENTERPRISE,
        "合作企业": ResourceKind.ENTERPRISE,
        "高校": ResourceKind.UNIVERSITY,
        "科研院所": ResourceKind.UNIVERSITY,
        "高校及科研院所": ResourceKind.UNIVERSITY,
        "其他": ResourceKind.OTHER,
    }
    out = []
    for word in words:
        out.append(table[word].value if word in table else f"?{word}")
    return out
