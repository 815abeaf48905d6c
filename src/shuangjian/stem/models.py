"""STEM and science education (STEM教育 / 科学教育): courses, their review, competitions and research.

Part 二 of 湘教复字〔2023〕283号: schools and kindergartens build STEM courses; the department will
standardise them (规范现有STEM教育课程开展) and spread them to rural schools. Records:

- :class:`StemCourse` 课程 of a school or kindergarten (``schools.School``), with its plan (the elements the
  course standard requires, rule data ``stem.course_standard.*``) and :class:`CourseMaterial` files.
  Lifecycle (django-fsm-2 on ``state``, through ``services.course_*``): 已登记 → 待县级审核 → 县级通过 →
  市级推荐 → 省级优秀STEM课程, with 退回修改 back to the school and 规范课程 (passed the county, not
  recommended / recognised) as an end. Each decision is a :class:`CourseReview` row with its reason and
  its deadline in working days.
- :class:`Competition` (e.g. 第四届中国STEM教育发展大会) and :class:`CompetitionEntry` with its result.
- :class:`ResearchProject` 课题: 申请立项 → 已立项 → 中期 → 结题, reviewed by the 教科院/education
  department (users holding the ``stem.review_research`` permission).

Every record reaches its region through the school's county and is read through
``Model.objects.visible_to(user)``; every change is audited by django-simple-history.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import transition
from simple_history.models import HistoricalRecords

from shuangjian.common.fsm import StateField
from shuangjian.common.scoping import ScopedQuerySet
from shuangjian.regions.models import RegionLevel

from .choices import Carrier, CourseState, MaterialKind, ResearchState, ResourceKind, ReviewStep, Stage

#: States waiting for a reviewer, with the level that acts on them.
PENDING_LEVEL: dict[str, str] = {
    CourseState.SUBMITTED: RegionLevel.COUNTY,
    CourseState.COUNTY_PASSED: RegionLevel.PREFECTURE,
    CourseState.CITY_RECOMMENDED: RegionLevel.PROVINCE,
}


class StemCourse(models.Model):
    """A STEM course (STEM课程) a school or kindergarten runs.

    ``subjects`` lists the integrated subjects (融合学科, separated by 、) besides ``anchor_subject``;
    ``hours`` is class hours per term; ``pupils`` the pupils taking it (参与学生数); the course is offered
    on a date D when ``start_on`` ≤ D and (``end_on`` is empty or ``end_on`` ≥ D). The plan fields
    (``objectives`` … ``safety``) are the elements the course standard requires before submission
    (rule ``stem.course_standard.required_elements``). ``adopted_from`` marks a course a school adopted
    from the public library. ``due_on`` is the deadline of the pending review step (working days).
    """

    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("学校（幼儿园）"),
        on_delete=models.PROTECT,
        related_name="stem_courses",
    )
    name = models.CharField(_("课程名称"), max_length=200)
    stage = models.CharField(_("学段"), max_length=10, choices=Stage.choices)
    carrier = models.CharField(_("载体"), max_length=12, choices=Carrier.choices)
    anchor_subject = models.CharField(_("主学科"), max_length=20)
    subjects = models.CharField(_("融合学科"), max_length=200, blank=True)
    hours = models.PositiveSmallIntegerField(_("课时"))
    grades = models.CharField(_("适用年级"), max_length=60, blank=True)
    teachers = models.CharField(_("授课教师"), max_length=200, blank=True)
    pupils = models.PositiveIntegerField(_("参与学生数"), default=0)
    in_after_school = models.BooleanField(_("纳入课后服务"), default=False)
    resource_kinds = models.CharField(_("资源类型"), max_length=120, blank=True)
    resources = models.CharField(_("使用的资源"), max_length=300, blank=True)
    start_on = models.DateField(_("开设日期"))
    end_on = models.DateField(_("结束日期"), null=True, blank=True)
    summary = models.TextField(_("课程简介"), max_length=2000, blank=True)
    objectives = models.TextField(_("课程目标"), max_length=2000, blank=True)
    problem = models.TextField(_("真实问题或项目"), max_length=2000, blank=True)
    activities = models.TextField(_("探究、设计与制作环节"), max_length=4000, blank=True)
    evaluation = models.TextField(_("评价方式"), max_length=2000, blank=True)
    safety = models.TextField(_("安全预案"), max_length=2000, blank=True)
    state = StateField(_("状态"), max_length=20, choices=CourseState.choices, default=CourseState.REGISTERED)
    due_on = models.DateField(_("本级办理期限"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("申报时间"), null=True, blank=True)
    recognised_on = models.DateField(_("认定日期"), null=True, blank=True)
    adopted_from = models.ForeignKey(
        "self",
        verbose_name=_("采用自"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="adoptions",
    )
    public_key = models.CharField(_("公开编号"), max_length=16, unique=True, editable=False)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    scope_region_field = "school__county"
    scope_school_field = "school"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["school", "name"]
        verbose_name = _("STEM课程")
        verbose_name_plural = _("STEM课程")
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="uniq_stem_course_school_name"),
            models.CheckConstraint(
                condition=models.Q(end_on__isnull=True) | models.Q(end_on__gte=models.F("start_on")),
                name="stem_course_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["state"], name="stem_course_state")]

    def __str__(self) -> str:
        return f"《{self.name}》"

    def save(self, *args, **kwargs):
        if not self.public_key:
            self.public_key = secrets.token_hex(8)
        super().save(*args, **kwargs)

    @property
    def subject_list(self) -> list[str]:
        return [s for s in self.subjects.split("、") if s]

    @property
    def resource_kind_labels(self) -> str:
        return "、".join(
            str(ResourceKind(k).label) for k in self.resource_kinds.split(",") if k in ResourceKind.values
        )

    @property
    def pending_level(self) -> str | None:
        """ "COUNTY" / "PREFECTURE" / "PROVINCE" while a reviewer of that level must act; else None."""
        return PENDING_LEVEL.get(self.state)

    # --- lifecycle (call through services.course_submit / course_review, never from views) --------
    @transition(
        field=state, source=[CourseState.REGISTERED, CourseState.RETURNED], target=CourseState.SUBMITTED
    )
    def submit(self) -> None:
        """学校申报: 已登记 / 退回修改 → 待县级审核."""

    @transition(field=state, source=CourseState.SUBMITTED, target=CourseState.COUNTY_PASSED)
    def county_pass(self) -> None:
        """县级审核通过 → 待市级推荐."""

    @transition(field=state, source=CourseState.SUBMITTED, target=CourseState.RETURNED)
    def county_return(self) -> None:
        """县级退回修改."""

    @transition(field=state, source=CourseState.COUNTY_PASSED, target=CourseState.CITY_RECOMMENDED)
    def city_recommend(self) -> None:
        """市级推荐 → 待省级认定."""

    @transition(field=state, source=CourseState.COUNTY_PASSED, target=CourseState.STANDARD)
    def city_decline(self) -> None:
        """市级不推荐: the course stays a standardised (规范) course."""

    @transition(field=state, source=CourseState.CITY_RECOMMENDED, target=CourseState.RECOGNISED)
    def province_recognise(self) -> None:
        """省级认定为省级优秀STEM课程."""

    @transition(field=state, source=CourseState.CITY_RECOMMENDED, target=CourseState.STANDARD)
    def province_decline(self) -> None:
        """省级不予认定: the course stays a standardised (规范) course."""


class CourseReview(models.Model):
    """One step of a course's review: who decided what, why, when, against which deadline.

    ``decision`` is the transition's name (``submit``, ``county_pass``, ``county_return``,
    ``city_recommend``, ``city_decline``, ``province_recognise``, ``province_decline``); ``due_on``
    the deadline the step had (working days, rule data) and ``on_time`` whether it was met.
    """

    course = models.ForeignKey(
        StemCourse, verbose_name=_("课程"), on_delete=models.CASCADE, related_name="reviews"
    )
    step = models.CharField(_("环节"), max_length=10, choices=ReviewStep.choices)
    decision = models.CharField(_("决定"), max_length=24)
    decision_label = models.CharField(_("决定（中文）"), max_length=40)
    reason = models.TextField(_("理由"), max_length=2000, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("办理时间"))
    due_on = models.DateField(_("期限"), null=True, blank=True)
    on_time = models.BooleanField(_("按期"), default=True)
    history = HistoricalRecords()

    scope_region_field = "course__school__county"
    scope_school_field = "course__school"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["course", "decided_at", "id"]
        verbose_name = _("课程审核记录")
        verbose_name_plural = _("课程审核记录")

    def __str__(self) -> str:
        return f"{self.course} {self.get_step_display()} {self.decision_label}"


def material_upload_to(instance: CourseMaterial, filename: str) -> str:
    """MEDIA_ROOT/stem/<course id>/<random>.<ext>: never the uploader's file name."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"stem/{instance.course_id}/{secrets.token_hex(12)}.{ext}"


class CourseMaterial(models.Model):
    """A course's material: plan or lesson design (PDF, or a photo of it) or an activity photo.

    Images go through the 随手拍 photo pipeline (``complaints.photos.process_photo``: decoded, re-encoded
    without EXIF/GPS, thumbnail); PDFs are checked for structure. ``public`` marks a material whose
    rights (portraits of minors, third-party images) the school cleared: only those show in the public
    library, and only for a recognised course.
    """

    course = models.ForeignKey(
        StemCourse, verbose_name=_("课程"), on_delete=models.CASCADE, related_name="materials"
    )
    kind = models.CharField(_("材料类型"), max_length=8, choices=MaterialKind.choices)
    file = models.FileField(_("文件"), upload_to=material_upload_to, max_length=200)
    thumbnail = models.FileField(_("缩略图"), upload_to=material_upload_to, max_length=200, blank=True)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=40)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    public = models.BooleanField(_("已获授权可公开"), default=False)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    history = HistoricalRecords()

    scope_region_field = "course__school__county"
    scope_school_field = "course__school"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["course", "kind", "id"]
        verbose_name = _("课程材料")
        verbose_name_plural = _("课程材料")

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class Competition(models.Model):
    """A competition or showcase (赛事/展评), e.g. 第四届中国STEM教育发展大会 (2021).

    ``level``: 国家级 / 省级 / 市级. Not region-scoped (an event is public); its entries are.
    """

    name = models.CharField(_("赛事名称"), max_length=200)
    edition = models.PositiveSmallIntegerField(_("届次"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    level = models.CharField(_("级别"), max_length=10, default="国家级")
    organisers = models.CharField(_("主办单位"), max_length=300, blank=True)
    held_on = models.DateField(_("举办（启动）日期"), null=True, blank=True)
    source = models.CharField(_("资料来源"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("赛事")
        verbose_name_plural = _("赛事")
        constraints = [models.UniqueConstraint(fields=["name", "year"], name="uniq_competition_name_year")]

    def __str__(self) -> str:
        return f"{self.name}（{self.year}）"


class CompetitionEntry(models.Model):
    """An entry (参赛作品) of a school's course or team in a competition, with its result.

    ``group`` is the competition group (组别, e.g. 学前教育段); ``top_n`` records "进入前N强" (50 for the
    seed document's entry), ``group_rank`` the rank in the group (2: "位列学前教育段第二名"), ``prize``
    the prize level when one was given. ``awarded`` is True for an entry with any result.
    """

    competition = models.ForeignKey(
        Competition, verbose_name=_("赛事"), on_delete=models.PROTECT, related_name="entries"
    )
    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("学校（幼儿园）"),
        on_delete=models.PROTECT,
        related_name="stem_entries",
    )
    course = models.ForeignKey(
        StemCourse,
        verbose_name=_("参赛课程"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="entries",
    )
    title = models.CharField(_("作品名称"), max_length=200)
    team = models.CharField(_("团队/指导教师"), max_length=200, blank=True)
    group = models.CharField(_("组别"), max_length=40, blank=True)
    top_n = models.PositiveSmallIntegerField(_("进入前N强"), null=True, blank=True)
    overall_rank = models.PositiveSmallIntegerField(_("总排名"), null=True, blank=True)
    group_rank = models.PositiveSmallIntegerField(_("组内名次"), null=True, blank=True)
    prize = models.CharField(_("奖项等级"), max_length=20, blank=True)
    result_on = models.DateField(_("结果日期"), null=True, blank=True)
    history = HistoricalRecords()

    scope_region_field = "school__county"
    scope_school_field = "school"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["competition", "group", "group_rank", "title"]
        verbose_name = _("参赛作品")
        verbose_name_plural = _("参赛作品")
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "school", "title"], name="uniq_entry_comp_school_title"
            ),
        ]

    def __str__(self) -> str:
        return f"《{self.title}》"

    @property
    def awarded(self) -> bool:
        return bool(self.prize or self.group_rank or self.overall_rank or self.top_n)

    @property
    def result_text(self) -> str:
        """The result in words: "进入前50强；学前教育段第2名"."""
        parts = []
        if self.top_n:
            parts.append(f"进入前{self.top_n}强")
        if self.overall_rank:
            parts.append(f"总排名第{self.overall_rank}名")
        if self.group_rank:
            parts.append(f"{self.group or '组内'}第{self.group_rank}名")
        if self.prize:
            parts.append(self.prize)
        return "；".join(parts) or "参赛"


class ResearchProject(models.Model):
    """A research project (课题) on STEM education, owned by a school or kindergarten.

    Lifecycle (django-fsm-2, through ``services.research_*``): the school applies (申请立项); the
    reviewer (教科院 / education department: ``stem.review_research`` permission, region containing the
    school) approves (立项) or not; the school files its mid-term report (中期), the reviewer passes it or
    returns it; the school files for conclusion (结题) with its outputs, the reviewer concludes it or
    returns it. Returns need a reason.
    """

    school = models.ForeignKey(
        "schools.School", verbose_name=_("承担单位"), on_delete=models.PROTECT, related_name="stem_research"
    )
    title = models.CharField(_("课题名称"), max_length=200)
    stage = models.CharField(_("学段"), max_length=10, choices=Stage.choices)
    lead = models.CharField(_("课题负责人"), max_length=60)
    level = models.CharField(_("立项级别"), max_length=10, default="省级")
    summary = models.TextField(_("研究内容"), max_length=4000, blank=True)
    midterm_report = models.TextField(_("中期报告"), max_length=4000, blank=True)
    outputs = models.TextField(_("研究成果"), max_length=4000, blank=True)
    state = StateField(_("状态"), max_length=22, choices=ResearchState.choices, default=ResearchState.APPLIED)
    applied_on = models.DateField(_("申请日期"))
    approved_on = models.DateField(_("立项日期"), null=True, blank=True)
    midterm_on = models.DateField(_("中期检查日期"), null=True, blank=True)
    concluded_on = models.DateField(_("结题日期"), null=True, blank=True)
    last_reason = models.TextField(_("最近审核意见"), max_length=2000, blank=True)
    history = HistoricalRecords()

    scope_region_field = "school__county"
    scope_school_field = "school"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-applied_on", "title"]
        verbose_name = _("STEM课题")
        verbose_name_plural = _("STEM课题")
        permissions = [("review_research", "可审核STEM课题（教科院）")]
        constraints = [models.UniqueConstraint(fields=["school", "title"], name="uniq_research_school_title")]

    def __str__(self) -> str:
        return f"《{self.title}》"

    @transition(field=state, source=ResearchState.APPLIED, target=ResearchState.APPROVED)
    def approve(self) -> None:
        """立项."""

    @transition(field=state, source=ResearchState.APPLIED, target=ResearchState.NOT_APPROVED)
    def decline(self) -> None:
        """不予立项."""

    @transition(field=state, source=ResearchState.APPROVED, target=ResearchState.MIDTERM_SUBMITTED)
    def file_midterm(self) -> None:
        """学校提交中期报告."""

    @transition(field=state, source=ResearchState.MIDTERM_SUBMITTED, target=ResearchState.MIDTERM_PASSED)
    def pass_midterm(self) -> None:
        """中期检查通过."""

    @transition(field=state, source=ResearchState.MIDTERM_SUBMITTED, target=ResearchState.APPROVED)
    def return_midterm(self) -> None:
        """中期报告退回."""

    @transition(field=state, source=ResearchState.MIDTERM_PASSED, target=ResearchState.CONCLUSION_SUBMITTED)
    def file_conclusion(self) -> None:
        """学校申请结题."""

    @transition(field=state, source=ResearchState.CONCLUSION_SUBMITTED, target=ResearchState.CONCLUDED)
    def conclude(self) -> None:
        """准予结题."""

    @transition(field=state, source=ResearchState.CONCLUSION_SUBMITTED, target=ResearchState.MIDTERM_PASSED)
    def return_conclusion(self) -> None:
        """结题申请退回."""
