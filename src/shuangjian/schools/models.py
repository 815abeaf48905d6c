"""Schools (in-school burden reduction, 校内减负): schools, classes, homework publication (作业公示),
exams (考试) and after-school service (课后服务) returns.

Every record reaches its region through the school's county and is read through
``Model.objects.visible_to(user)``: regulators see their subtree, school staff (role SCHOOL) only
their own school's rows. Checks against the policy rules live in :mod:`shuangjian.schools.checks`,
rule parameters in :mod:`shuangjian.schools.rules`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from shuangjian.common.scoping import ScopedQuerySet

from .choices import ExamKind, GradeBand, SchoolKind, UrbanRural

#: Kinds of compulsory-education schools (义务教育学校): the only ones the burden-reduction rates count.
COMPULSORY_KINDS = (SchoolKind.PRIMARY, SchoolKind.JUNIOR, SchoolKind.NINE_YEAR)


#: Grades (年级) each kind of school teaches: primary 1–6, junior secondary 7–9 (初一–初三).
KIND_GRADES: dict[str, range] = {
    SchoolKind.PRIMARY: range(1, 7),
    SchoolKind.JUNIOR: range(7, 10),
    SchoolKind.NINE_YEAR: range(1, 10),
    SchoolKind.KINDERGARTEN: range(0),  # no grades 1–9: kindergartens have no homework or exam classes
    SchoolKind.SENIOR: range(0),  # senior grades 10–12 are outside this registry's class rules
}

GRADE_LABELS = {
    1: _("一年级"),
    2: _("二年级"),
    3: _("三年级"),
    4: _("四年级"),
    5: _("五年级"),
    6: _("六年级"),
    7: _("七年级"),
    8: _("八年级"),
    9: _("九年级"),
}


def grade_band(grade: int) -> GradeBand:
    """The rule band of ``grade`` (1–9). Raises ``ValueError`` for other numbers."""
    if grade in (1, 2):
        return GradeBand.G1_2
    if 3 <= grade <= 6:
        return GradeBand.G3_6
    if 7 <= grade <= 9:
        return GradeBand.G7_9
    raise ValueError(f"年级应为1至9，而不是{grade}")


class School(models.Model):
    """A school in a county; ``is_furong`` marks the province's 芙蓉学校.

    Most are compulsory-education schools; kindergartens (幼儿园) and senior high schools (高级中学) are
    registered for STEM education and never count in the burden-reduction rates (``COMPULSORY_KINDS``).
    ``urban_rural`` is the Ministry's 城区 / 镇区 / 乡村 class (blank when the registry lacks it: the STEM
    area then falls back to rule data by county type).

    ``code`` is the school's 学校标识码 (10 digits in the national register; any up to 20 characters
    accepted). ``students`` is the enrolment (在校生数) when known.
    """

    code = models.CharField(_("学校标识码"), max_length=20, unique=True)
    name = models.CharField(_("学校名称"), max_length=200)
    county = models.ForeignKey("regions.Region", verbose_name=_("所在区县"), on_delete=models.PROTECT)
    kind = models.CharField(_("学段类型"), max_length=12, choices=SchoolKind.choices)
    urban_rural = models.CharField(
        _("城乡分类"), max_length=5, choices=UrbanRural.choices, blank=True, default=""
    )
    is_furong = models.BooleanField(_("芙蓉学校"), default=False)
    students = models.PositiveIntegerField(_("在校生数"), null=True, blank=True)
    is_active = models.BooleanField(_("在办"), default=True)
    history = HistoricalRecords()

    scope_region_field = "county"
    scope_school_field = "pk"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("学校")
        verbose_name_plural = _("学校")

    def __str__(self) -> str:
        return self.name

    @property
    def grades(self) -> range:
        """Grades this school teaches (1–6, 7–9 or 1–9)."""
        return KIND_GRADES[SchoolKind(self.kind)]


class SchoolClass(models.Model):
    """A class (班级) of a school: grade 1–9 and its number within the grade.

    ``public_key`` is the unguessable key of the class's public homework page (for parents).
    """

    school = models.ForeignKey(
        School, verbose_name=_("学校"), on_delete=models.CASCADE, related_name="classes"
    )
    grade = models.PositiveSmallIntegerField(_("年级"), choices=sorted(GRADE_LABELS.items()))
    number = models.PositiveSmallIntegerField(_("班号"))
    students = models.PositiveIntegerField(_("学生数"), null=True, blank=True)
    is_active = models.BooleanField(_("在用"), default=True)
    public_key = models.UUIDField(_("公示页标识"), default=uuid.uuid4, unique=True, editable=False)
    history = HistoricalRecords()

    scope_region_field = "school__county"
    scope_school_field = "school"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["school", "grade", "number"]
        verbose_name = _("班级")
        verbose_name_plural = _("班级")
        constraints = [
            models.UniqueConstraint(fields=["school", "grade", "number"], name="uniq_class_grade_number"),
            models.CheckConstraint(condition=models.Q(grade__gte=1, grade__lte=9), name="class_grade_1_9"),
        ]

    def __str__(self) -> str:
        return f"{GRADE_LABELS[self.grade]}{self.number}班"

    @property
    def band(self) -> GradeBand:
        return grade_band(self.grade)


class HomeworkDay(models.Model):
    """One class's homework publication (作业公示) for one day, with its items.

    ``written_minutes`` (sum of the written items' estimated minutes), ``total_minutes`` and
    ``has_written`` are kept in step with the items by :func:`shuangjian.schools.services.homework_publish`
    so that rates aggregate in the database. Checked against RULES.md §7 (D1, D10).
    """

    school_class = models.ForeignKey(
        SchoolClass, verbose_name=_("班级"), on_delete=models.CASCADE, related_name="homework_days"
    )
    date = models.DateField(_("日期"))
    written_minutes = models.PositiveIntegerField(_("书面作业时长（分钟）"), default=0)
    total_minutes = models.PositiveIntegerField(_("作业总时长（分钟）"), default=0)
    has_written = models.BooleanField(_("含书面作业"), default=False)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("公示人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("公示时间"), auto_now=True)
    history = HistoricalRecords()

    scope_region_field = "school_class__school__county"
    scope_school_field = "school_class__school"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "school_class"]
        verbose_name = _("作业公示")
        verbose_name_plural = _("作业公示")
        constraints = [
            models.UniqueConstraint(fields=["school_class", "date"], name="uniq_homework_class_date"),
        ]
        indexes = [models.Index(fields=["date"], name="schools_homework_date")]

    def __str__(self) -> str:
        return f"{self.school_class} {self.date}"


class HomeworkItem(models.Model):
    """One subject's assignment in a :class:`HomeworkDay`: content and estimated minutes.

    ``is_written`` False marks non-written work (reading aloud, physical exercise, practice in class),
    which grades 1–2 may have (RULES.md §7, D1).
    """

    day = models.ForeignKey(
        HomeworkDay, verbose_name=_("作业公示"), on_delete=models.CASCADE, related_name="items"
    )
    subject = models.CharField(_("学科"), max_length=20)
    content = models.TextField(_("作业内容"), max_length=1000)
    minutes = models.PositiveSmallIntegerField(_("预计时长（分钟）"))
    is_written = models.BooleanField(_("书面作业"), default=True)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    history = HistoricalRecords()

    scope_region_field = "day__school_class__school__county"
    scope_school_field = "day__school_class__school"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["day", "position", "id"]
        verbose_name = _("作业条目")
        verbose_name_plural = _("作业条目")

    def __str__(self) -> str:
        return f"{self.subject} {self.minutes}分钟"


class Exam(models.Model):
    """An exam a school registers (考试备案) for one grade in one term.

    ``term`` is the school term as ``2025-2026-1`` (autumn, August–January) or ``2025-2026-2``
    (spring, February–July), derived from ``held_on`` (see :func:`shuangjian.schools.checks.term_of`).
    ``is_written`` False marks a non-paper assessment (游园式测评 for grades 1–2), which the written-exam
    rules do not count.
    """

    school = models.ForeignKey(School, verbose_name=_("学校"), on_delete=models.CASCADE, related_name="exams")
    term = models.CharField(_("学期"), max_length=11, db_index=True)
    grade = models.PositiveSmallIntegerField(_("年级"), choices=sorted(GRADE_LABELS.items()))
    kind = models.CharField(_("考试类型"), max_length=8, choices=ExamKind.choices)
    name = models.CharField(_("考试名称"), max_length=100)
    subjects = models.CharField(_("科目"), max_length=200, blank=True)
    held_on = models.DateField(_("考试日期"))
    is_written = models.BooleanField(_("纸笔考试"), default=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    scope_region_field = "school__county"
    scope_school_field = "school"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["school", "term", "grade", "held_on", "id"]
        verbose_name = _("考试备案")
        verbose_name_plural = _("考试备案")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "grade", "kind", "name", "held_on"], name="uniq_exam_registration"
            ),
            models.CheckConstraint(condition=models.Q(grade__gte=1, grade__lte=9), name="exam_grade_1_9"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{GRADE_LABELS[self.grade]}，{self.held_on}）"


class AfterSchoolWeek(models.Model):
    """A school's weekly after-school service return (课后服务周报), checked against "5+2".

    ``week_start`` is the Monday of the week. ``hours_per_day`` in hours (one decimal), ``end_time`` the
    usual end of the service on a school day, ``fee_fen`` the fees charged for the week and
    ``subsidy_fen`` the public subsidy for the week, both in fen.
    """

    school = models.ForeignKey(
        School, verbose_name=_("学校"), on_delete=models.CASCADE, related_name="after_school_weeks"
    )
    week_start = models.DateField(_("周一日期"))
    days_offered = models.PositiveSmallIntegerField(_("开展天数"))
    hours_per_day = models.DecimalField(_("每天时长（小时）"), max_digits=3, decimal_places=1)
    end_time = models.TimeField(_("结束时间"))
    students_enrolled = models.PositiveIntegerField(_("参加学生数"))
    students_requested = models.PositiveIntegerField(_("申请学生数"))
    staff_count = models.PositiveIntegerField(_("参与教职工数"))
    external_staff_count = models.PositiveIntegerField(_("校外人员数"), default=0)
    fee_fen = models.BigIntegerField(_("收费金额（分）"), default=0)
    subsidy_fen = models.BigIntegerField(_("财政补助（分）"), default=0)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    # 科普/STEM activities in the service (issue 17): on how many of the ``days_offered`` there was one,
    # what they were and which resources (科普基地, 科技馆, partner enterprise …) were used.
    science_days = models.PositiveSmallIntegerField(_("开展科普/STEM活动天数"), default=0)
    science_activities = models.CharField(_("科普/STEM活动"), max_length=300, blank=True)
    science_resources = models.CharField(_("使用的科普资源"), max_length=200, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("填报时间"), auto_now=True)
    history = HistoricalRecords()

    scope_region_field = "school__county"
    scope_school_field = "school"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-week_start", "school"]
        verbose_name = _("课后服务周报")
        verbose_name_plural = _("课后服务周报")
        constraints = [
            models.UniqueConstraint(fields=["school", "week_start"], name="uniq_afterschool_school_week"),
            models.CheckConstraint(condition=models.Q(days_offered__lte=7), name="afterschool_days_le_7"),
            models.CheckConstraint(
                condition=models.Q(science_days__lte=models.F("days_offered")),
                name="afterschool_science_le_days",
            ),
            models.CheckConstraint(
                condition=models.Q(fee_fen__gte=0, subsidy_fen__gte=0), name="afterschool_money_nonneg"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.week_start}"
