"""Writes of in-school burden reduction: keyword-only, typed, each in one transaction.

Who may write: school staff (role SCHOOL) only for their own school; an import run from the command
line (``actor`` None) or by a superuser writes anything; regulators may import returns for schools in
their subtree but do not publish homework themselves. A refused write raises ``ReturnForbidden`` (a ``PermissionDenied``);
bad values raise ``ReturnRefused`` (a ``ValidationError``) with Chinese messages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from shuangjian.common.audit import audit
from shuangjian.common.errors import DomainPermissionDenied, DomainValidationError

from .checks import monday_of, term_of
from .models import (
    GRADE_LABELS,
    KIND_GRADES,
    AfterSchoolWeek,
    Exam,
    ExamKind,
    HomeworkDay,
    HomeworkItem,
    School,
    SchoolClass,
)
from .validation import EXAM_DAYS_AHEAD, date_bound_error, enrolment_error, week_bound_error

MAX_ITEM_MINUTES = 300
MAX_FUTURE_DAYS = 30


def can_write_school(actor: Any, school: School) -> bool:
    """Whether ``actor`` may write records of ``school`` (None = the command line)."""
    if actor is None or getattr(actor, "is_superuser", False):
        return True
    if getattr(actor, "school_id", None):
        return actor.school_id == school.pk
    if getattr(actor, "is_regulator", False) and actor.region_id:
        return school.county_id.startswith(actor.region.subtree_prefix)
    return False


def _require_school_staff(actor: Any, school: School) -> None:
    """School staff of ``school`` (or the command line / a superuser); else ``PermissionDenied``."""
    if actor is None or getattr(actor, "is_superuser", False):
        return
    if getattr(actor, "school_id", None) != school.pk:
        raise ReturnForbidden("只有本校教师可以填报本校数据")


class ReturnRefused(DomainValidationError):
    """A refused in-school return (bad figure, date or grade); a Django ``ValidationError`` whose
    ``messages`` are Chinese."""

    code = "return_refused"


class ReturnForbidden(DomainPermissionDenied):
    """The user may not file or change this school's returns (Django ``PermissionDenied``: 403)."""

    code = "return_forbidden"


@dataclass(frozen=True)
class HomeworkItemInput:
    """One subject's assignment: subject (学科), content (作业内容), estimated minutes, written or not."""

    subject: str
    content: str
    minutes: int
    is_written: bool = True


def validate_items(items: list[HomeworkItemInput]) -> None:
    """Raise ``ValidationError`` (Chinese, naming the item) for an empty subject or bad minutes."""
    for index, item in enumerate(items, start=1):
        if not item.subject.strip():
            raise ReturnRefused(f"第{index}项：学科不能为空")
        if not 0 <= item.minutes <= MAX_ITEM_MINUTES:
            raise ReturnRefused(f"第{index}项：预计时长应在0至{MAX_ITEM_MINUTES}分钟之间")
        if item.is_written and item.minutes == 0:
            raise ReturnRefused(f"第{index}项：书面作业须填写预计时长")
        if len(item.content) > 1000:
            raise ReturnRefused(f"第{index}项：作业内容不超过1000字")


def _totals(items: list[HomeworkItemInput]) -> dict[str, Any]:
    written = sum(i.minutes for i in items if i.is_written)
    return {
        "written_minutes": written,
        "total_minutes": sum(i.minutes for i in items),
        "has_written": any(i.is_written for i in items),
    }


@transaction.atomic
def homework_publish(
    *, actor: Any, school_class: SchoolClass, date: dt.date, items: list[HomeworkItemInput], note: str = ""
) -> HomeworkDay:
    """Publish (or re-publish) a class's homework for ``date`` (作业公示); returns the day record.

    An empty ``items`` list publishes "no homework" — it still counts as published. Re-publishing
    replaces the day's items. Only the class's own school staff may publish (``PermissionDenied``);
    a date before 2000-01-01 or more than 30 days ahead, or bad items, raise ``ValidationError``.
    A non-school day is accepted (the page warns: such a day is not counted by the rates). The checks against the
    grade's limit (D1, D10) are not a refusal: an over-limit day is recorded and shows as a violation.
    """
    _require_school_staff(actor, school_class.school)
    message = date_bound_error(date, label="日期", days_ahead=MAX_FUTURE_DAYS)
    if message:
        raise ReturnRefused(message)
    validate_items(items)
    day, created = HomeworkDay.objects.select_for_update().get_or_create(
        school_class=school_class, date=date, defaults={"published_by": actor if actor and actor.pk else None}
    )
    for name, value in _totals(items).items():
        setattr(day, name, value)
    day.note = note.strip()[:300]
    day.published_by = actor if actor is not None and actor.pk else day.published_by
    audit(day, user=actor, reason="公示作业" if created else "更新作业公示")
    day.save()
    day.items.all().delete()
    for position, item in enumerate(items):
        row = HomeworkItem(
            day=day,
            subject=item.subject.strip(),
            content=item.content.strip(),
            minutes=item.minutes,
            is_written=item.is_written,
            position=position,
        )
        audit(row, user=actor, reason="公示作业")
        row.save()
    return day


@transaction.atomic
def homework_import_apply(
    *, actor: Any, days: dict[tuple[int, dt.date], list[HomeworkItemInput]]
) -> tuple[int, int, int]:
    """Apply imported homework: (class id, date) → items. Returns (created, updated, unchanged) days.

    A day whose stored items equal the file's is left alone (re-importing the same file changes
    nothing); a different one has its items replaced. Permission is checked by the importer.
    """
    created = updated = unchanged = 0
    if not days:
        return 0, 0, 0
    class_ids = {k[0] for k in days}
    dates = {k[1] for k in days}
    existing = {
        (d.school_class_id, d.date): d
        for d in HomeworkDay.objects.filter(school_class_id__in=class_ids, date__in=dates).prefetch_related(
            "items"
        )
    }
    user = actor if actor is not None and getattr(actor, "pk", None) else None
    new_days = []
    for (class_id, date), items in days.items():
        current = existing.get((class_id, date))
        if current is None:
            day = HomeworkDay(school_class_id=class_id, date=date, published_by=user, **_totals(items))
            audit(day, user=actor, reason="导入作业公示")
            new_days.append((day, items))
            continue
        stored = [
            HomeworkItemInput(i.subject, i.content, i.minutes, i.is_written) for i in current.items.all()
        ]
        if stored == items:
            unchanged += 1
            continue
        for name, value in _totals(items).items():
            setattr(current, name, value)
        audit(current, user=actor, reason="导入更新作业公示")
        current.save()
        current.items.all().delete()
        bulk_create_with_history(_item_rows(current, items), HomeworkItem, default_user=user)
        updated += 1
    if new_days:
        saved = bulk_create_with_history(
            [d for d, _ in new_days], HomeworkDay, batch_size=500, default_user=user
        )
        if any(d.pk is None for d in saved):  # backends that do not return ids
            keys = {(d.school_class_id, d.date) for d, _ in new_days}
            ids = {
                (d.school_class_id, d.date): d
                for d in HomeworkDay.objects.filter(school_class_id__in=class_ids, date__in=dates)
                if (d.school_class_id, d.date) in keys
            }
            saved = [ids[(d.school_class_id, d.date)] for d, _ in new_days]
        rows: list[HomeworkItem] = []
        for day, (_, items) in zip(saved, new_days, strict=True):
            rows.extend(_item_rows(day, items))
        bulk_create_with_history(rows, HomeworkItem, batch_size=1000, default_user=user)
        created = len(new_days)
    return created, updated, unchanged


def _item_rows(day: HomeworkDay, items: list[HomeworkItemInput]) -> list[HomeworkItem]:
    return [
        HomeworkItem(
            day=day,
            subject=i.subject,
            content=i.content,
            minutes=i.minutes,
            is_written=i.is_written,
            position=n,
        )
        for n, i in enumerate(items)
    ]


@dataclass(frozen=True)
class AfterSchoolInput:
    """A weekly after-school return's figures (money in fen, hours per day in hours)."""

    days_offered: int
    hours_per_day: Decimal
    end_time: dt.time
    students_enrolled: int
    students_requested: int
    staff_count: int
    external_staff_count: int = 0
    fee_fen: int = 0
    subsidy_fen: int = 0
    note: str = ""
    science_days: int = 0  # days of the week's service with a 科普/STEM activity (≤ days_offered)
    science_activities: str = ""
    science_resources: str = ""


def validate_after_school(data: AfterSchoolInput) -> None:
    """Raise ``ValidationError`` (Chinese) for impossible figures."""
    if not 0 <= data.days_offered <= 7:
        raise ReturnRefused("开展天数应在0至7之间")
    if not Decimal(0) <= data.hours_per_day <= Decimal(12):
        raise ReturnRefused("每天时长应在0至12小时之间")
    if data.hours_per_day != data.hours_per_day.quantize(Decimal("0.1")):
        raise ReturnRefused("每天时长最多一位小数")
    for label, value in (
        ("参加学生数", data.students_enrolled),
        ("申请学生数", data.students_requested),
        ("参与教职工数", data.staff_count),
        ("校外人员数", data.external_staff_count),
        ("收费金额", data.fee_fen),
        ("财政补助", data.subsidy_fen),
    ):
        if value < 0:
            raise ReturnRefused(f"{label}不能为负数")
    if not 0 <= data.science_days <= data.days_offered:
        raise ReturnRefused("开展科普/STEM活动天数应在0至开展天数之间")


@transaction.atomic
def after_school_report(
    *,
    actor: Any,
    school: School,
    week_start: dt.date,
    data: AfterSchoolInput,
    reason: str = "填报课后服务周报",
) -> tuple[AfterSchoolWeek, bool]:
    """Create or correct a school's weekly after-school return; returns (record, changed).

    ``week_start`` may be any day of the week: it is stored as that week's Monday. Only the school's
    staff (``PermissionDenied`` for anyone else but the command line); bad figures, a week before
    2000 or not yet started, or more pupils enrolled/requesting than the school's 在校生数 raise
    ``ValidationError``. A return identical to the stored one changes nothing.
    """
    if actor is not None and not can_write_school(actor, school):
        raise ReturnForbidden("无权填报该学校的课后服务")
    validate_after_school(data)
    monday = monday_of(week_start)
    for message in (
        week_bound_error(monday),
        enrolment_error(
            enrolled=data.students_enrolled,
            requested=data.students_requested,
            school_students=school.students,
            school_name=school.name,
        ),
    ):
        if message:
            raise ReturnRefused(message)
    record = AfterSchoolWeek.objects.select_for_update().filter(school=school, week_start=monday).first()
    values = {
        "days_offered": data.days_offered,
        "hours_per_day": data.hours_per_day,
        "end_time": data.end_time,
        "students_enrolled": data.students_enrolled,
        "students_requested": data.students_requested,
        "staff_count": data.staff_count,
        "external_staff_count": data.external_staff_count,
        "fee_fen": data.fee_fen,
        "subsidy_fen": data.subsidy_fen,
        "note": data.note.strip()[:300],
        "science_days": data.science_days,
        "science_activities": data.science_activities.strip()[:300],
        "science_resources": data.science_resources.strip()[:200],
    }
    if record is not None and all(getattr(record, k) == v for k, v in values.items()):
        return record, False
    if record is None:
        record = AfterSchoolWeek(school=school, week_start=monday)
    for name, value in values.items():
        setattr(record, name, value)
    if actor is not None and actor.pk:
        record.reported_by = actor
    audit(record, user=actor, reason=reason)
    record.save()
    return record, True


@transaction.atomic
def exam_register(
    *,
    actor: Any,
    school: School,
    grade: int,
    kind: str,
    name: str,
    held_on: dt.date,
    subjects: str = "",
    is_written: bool = True,
    term: str | None = None,
) -> tuple[Exam, bool]:
    """Register (备案) an exam of ``school`` for ``grade``; returns (exam, created).

    The term is derived from ``held_on`` (:func:`~shuangjian.schools.checks.term_of`); a ``term``
    given that disagrees raises ``ValidationError``, as do a grade the school does not teach, an
    unknown kind or an empty name. Registering the same exam again changes nothing. A registration
    that breaks D11's frequency rules is recorded (the school did hold it) and shows as a violation.
    """
    if actor is not None and not can_write_school(actor, school):
        raise ReturnForbidden("无权为该学校登记考试")
    if grade not in KIND_GRADES[school.kind]:
        raise ReturnRefused(f"{school.name}没有{GRADE_LABELS.get(grade, grade)}")
    if kind not in ExamKind.values:
        raise ReturnRefused("考试类型应为期末考试、期中考试、毕业年级模拟考试或其他考试")
    name = name.strip()
    if not name:
        raise ReturnRefused("考试名称不能为空")
    message = date_bound_error(held_on, label="考试日期", days_ahead=EXAM_DAYS_AHEAD)
    if message:
        raise ReturnRefused(message)
    derived = term_of(held_on)
    if term and term != derived:
        raise ReturnRefused(f"考试日期 {held_on} 属于 {derived} 学期，而不是 {term}")
    exam = Exam.objects.filter(school=school, grade=grade, kind=kind, name=name, held_on=held_on).first()
    if exam is not None:
        if exam.subjects == subjects.strip() and exam.is_written == is_written:
            return exam, False
        exam.subjects, exam.is_written = subjects.strip(), is_written
        audit(exam, user=actor, reason="更新考试备案")
        exam.save()
        return exam, False
    exam = Exam(
        school=school,
        term=derived,
        grade=grade,
        kind=kind,
        name=name,
        held_on=held_on,
        subjects=subjects.strip(),
        is_written=is_written,
        registered_by=actor if actor is not None and actor.pk else None,
    )
    audit(exam, user=actor, reason="登记考试")
    exam.save()
    return exam, True


@transaction.atomic
def school_upsert(
    *,
    code: str,
    name: str,
    county_id: str,
    kind: str,
    is_furong: bool,
    students: int | None = None,
    classes_per_grade: int | None = None,
    actor: Any = None,
    urban_rural: str | None = None,
) -> tuple[School, str]:
    """Create or update a school by its 学校标识码; returns (school, "created" | "updated" | "unchanged").

    ``urban_rural`` (``UrbanRural`` value, 城区/镇区/乡村) is set when given; None keeps the stored class.

    With ``classes_per_grade`` the school gets classes 1..n in every grade it teaches (missing ones
    are created; existing ones are kept, never deleted).
    """
    school = School.objects.select_for_update().filter(code=code).first()
    state = "unchanged"
    values = {"name": name, "county_id": county_id, "kind": kind, "is_furong": is_furong}
    if students is not None:
        values["students"] = students
    if urban_rural is not None:
        values["urban_rural"] = urban_rural
    if school is None:
        school = School(code=code, **values)
        audit(school, user=actor, reason="导入学校名册")
        school.save()
        state = "created"
    elif any(getattr(school, k) != v for k, v in values.items()):
        for k, v in values.items():
            setattr(school, k, v)
        audit(school, user=actor, reason="导入学校名册（更新）")
        school.save()
        state = "updated"
    if classes_per_grade:
        have = set(school.classes.values_list("grade", "number"))
        new = [
            SchoolClass(school=school, grade=g, number=n)
            for g in school.grades
            for n in range(1, classes_per_grade + 1)
            if (g, n) not in have
        ]
        if new:
            bulk_create_with_history(new, SchoolClass)
            if state == "unchanged":
                state = "updated"
    return school, state


@transaction.atomic
def class_upsert(
    *,
    actor: Any,
    school: School,
    grade: int,
    number: int,
    students: int | None = None,
    is_active: bool = True,
) -> str:
    """Create or update class ``grade``/``number`` of ``school``; returns "created" | "updated" | "unchanged".

    ``PermissionDenied`` for anyone who may not write the school; ``ValidationError`` for a grade the
    school does not teach.
    """
    if actor is not None and not can_write_school(actor, school):
        raise ReturnForbidden("无权修改该学校的班级")
    if grade not in KIND_GRADES[school.kind]:
        raise ReturnRefused(f"{school.name}没有{GRADE_LABELS.get(grade, grade)}")
    school_class = (
        SchoolClass.objects.select_for_update().filter(school=school, grade=grade, number=number).first()
    )
    if school_class is None:
        school_class = SchoolClass(
            school=school, grade=grade, number=number, students=students, is_active=is_active
        )
        audit(school_class, user=actor, reason="导入班级名册")
        school_class.save()
        return "created"
    changed = school_class.is_active != is_active or (
        students is not None and school_class.students != students
    )
    if not changed:
        return "unchanged"
    school_class.is_active = is_active
    if students is not None:
        school_class.students = students
    audit(school_class, user=actor, reason="导入班级名册（更新）")
    school_class.save()
    return "updated"
