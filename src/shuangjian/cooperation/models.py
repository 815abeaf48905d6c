"""School–enterprise cooperation (校企合作): enterprises, apprenticeship programmes and order classes,
1+X certificates and assessment sites, industry–education bodies, craftsmen, training volumes.

Every record reaches its region through a vocational school's county (or, for enterprises, bodies
and craftsmen, their own county) and is read through ``Model.objects.visible_to(user)``; a school's
own staff see only their school's rows. State changes are django-fsm-2 transitions run by
:mod:`shuangjian.cooperation.services`, each audited by django-simple-history (who, when, before,
after, Chinese reason).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import transition
from simple_history.models import HistoricalRecords

from shuangjian.common.fsm import StateField
from shuangjian.common.scoping import ScopedQuerySet

from .choices import (
    AgreementKind,
    BodyKind,
    BodyLevel,
    CraftsmanLevel,
    FilingState,
    IeStatus,
    MemberRole,
    MentorSide,
    Outcome,
    PeriodPlace,
    ProgrammeKind,
    SiteState,
)
from .majors import major_category_name

SCHOOL_MODEL = "vocational.VocationalSchool"


class Enterprise(models.Model):
    """A cooperating enterprise (合作企业), identified by its unified social credit code (GB 32100).

    ``county`` is the county of registration (digits 3–8 of the credit code when that is a county of
    the region table, else chosen); ``None`` for an enterprise registered outside the province, which
    only the province sees in lists (its programmes remain visible through the schools).
    产教融合型企业 (S14, 发改社会〔2019〕590号): ``ie_status`` with ``ie_recognised_on`` and ``ie_level``.
    """

    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("企业名称"), max_length=200)
    industry = models.CharField(_("所属行业"), max_length=60, blank=True)
    county = models.ForeignKey(
        "regions.Region",
        verbose_name=_("注册地区县"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ie_status = models.CharField(
        _("产教融合型企业"), max_length=12, choices=IeStatus.choices, blank=True, default=""
    )
    ie_level = models.CharField(_("认定层级"), max_length=12, choices=BodyLevel.choices, blank=True)
    ie_recognised_on = models.DateField(_("认定日期"), null=True, blank=True)
    history = HistoricalRecords()

    scope_region_field = "county"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("合作企业")
        verbose_name_plural = _("合作企业")

    def __str__(self) -> str:
        return self.name

    @property
    def is_ie_enterprise(self) -> bool:
        """Recognised 产教融合型企业 (status 已认定)."""
        return self.ie_status == IeStatus.RECOGNISED


class Programme(models.Model):
    """A school–enterprise programme cohort: an apprenticeship (中国特色学徒制) or an order class (订单班).

    One row per cohort: school × major × enterprise × year of entry (``entry_year``) with
    ``students`` (学生人数) and the school–enterprise agreement date (``agreement_signed_on``). Active
    on D when agreement_signed_on ≤ D and (ended_on empty or ended_on > D) (DESIGN.md). Filing
    (备案) workflow on ``state``: 草稿 → 待审核 → 已备案 / 退回修改 → … → 已结业; the reviewer is the
    county/city of the school for 中职 and the province for 高职/职业本科 (``reviewer_level``).
    ``review_due_on``: the review deadline in working days (rule ``cooperation.review_workdays``).
    Statistics count filed programmes (已备案 / 已结业) only.
    """

    code = models.CharField(_("项目编号"), max_length=40, unique=True)
    kind = models.CharField(_("项目类型"), max_length=16, choices=ProgrammeKind.choices)
    school = models.ForeignKey(
        SCHOOL_MODEL, verbose_name=_("学校"), on_delete=models.PROTECT, related_name="coop_programmes"
    )
    major_code = models.CharField(_("专业代码"), max_length=7)
    major_name = models.CharField(_("专业名称"), max_length=100, blank=True)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("合作企业"), on_delete=models.PROTECT, related_name="programmes"
    )
    name = models.CharField(_("项目名称"), max_length=200, blank=True)
    entry_year = models.PositiveIntegerField(_("年级"))
    students = models.PositiveIntegerField(_("学生人数"))
    agreement_signed_on = models.DateField(_("协议签订日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    state = StateField(
        _("备案状态"), max_length=12, choices=FilingState.choices, default=FilingState.DRAFT, db_index=True
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    review_due_on = models.DateField(_("审核期限"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_reason = models.TextField(_("审核意见"), blank=True)
    source = models.CharField(_("来源"), max_length=10, default="form")  # form / import
    history = HistoricalRecords()

    scope_region_field = "school__county"
    scope_vocational_school_field = "school"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-entry_year", "code"]
        verbose_name = _("校企合作项目")
        verbose_name_plural = _("校企合作项目")
        indexes = [models.Index(fields=["kind", "agreement_signed_on"])]

    def __str__(self) -> str:
        return f"{self.code} {self.get_kind_display()}"

    @property
    def is_apprenticeship(self) -> bool:
        return self.kind == ProgrammeKind.APPRENTICESHIP

    @property
    def major_category(self) -> str:
        return major_category_name(self.major_code)

    def active_on(self, day: dt.date) -> bool:
        """Agreement signed by ``day`` and not ended on or before it (DESIGN.md)."""
        return self.agreement_signed_on <= day and (self.ended_on is None or self.ended_on > day)

    @transition(field=state, source=[FilingState.DRAFT, FilingState.RETURNED], target=FilingState.SUBMITTED)
    def submit(self) -> None:
        """草稿 / 退回修改 → 待审核."""

    @transition(field=state, source=FilingState.SUBMITTED, target=FilingState.APPROVED)
    def approve(self) -> None:
        """待审核 → 已备案."""

    @transition(field=state, source=FilingState.SUBMITTED, target=FilingState.RETURNED)
    def return_for_changes(self) -> None:
        """待审核 → 退回修改 (with reasons)."""

    @transition(field=state, source=FilingState.APPROVED, target=FilingState.COMPLETED)
    def complete(self) -> None:
        """已备案 → 已结业."""


class Agreement(models.Model):
    """An agreement of a programme: the school–enterprise agreement (one per programme) or the
    three-party school–enterprise–apprentice(/guardian) agreement (one per apprentice).

    ``guardian_signed``: a guardian co-signed (required when the apprentice is a minor at the start).
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="agreements")
    kind = models.CharField(_("协议类型"), max_length=20, choices=AgreementKind.choices)
    apprentice = models.OneToOneField(
        "Apprentice",
        verbose_name=_("学徒"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="agreement",
    )
    number = models.CharField(_("协议编号"), max_length=60, blank=True)
    signed_on = models.DateField(_("签订日期"))
    guardian_signed = models.BooleanField(_("监护人已签字同意"), default=False)
    history = HistoricalRecords()

    scope_region_field = "programme__school__county"
    scope_vocational_school_field = "programme__school"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["signed_on", "pk"]
        verbose_name = _("合作协议")
        verbose_name_plural = _("合作协议")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.signed_on:%Y-%m-%d}"


class Mentor(models.Model):
    """A mentor of a programme (双导师): school or enterprise side, with qualifications.

    ``name`` is stored masked (张**). ``qualification``: 双师型 grade, 职业资格 / 技能等级 or title;
    ``practice_years``: years of enterprise practice (enterprise mentors).
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="mentors")
    side = models.CharField(_("导师类别"), max_length=12, choices=MentorSide.choices)
    name = models.CharField(_("姓名（脱敏）"), max_length=20)
    qualification = models.CharField(_("资质"), max_length=100)
    dual_qualified = models.BooleanField(_("双师型"), default=False)
    practice_years = models.PositiveIntegerField(_("从业年限"), default=0)
    history = HistoricalRecords()

    scope_region_field = "programme__school__county"
    scope_vocational_school_field = "programme__school"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["side", "pk"]
        verbose_name = _("导师")
        verbose_name_plural = _("导师")

    def __str__(self) -> str:
        return f"{self.get_side_display()} {self.name}"


class Apprentice(models.Model):
    """An apprentice of an apprenticeship programme, by pseudonymous reference only (学徒编号).

    ``birth_month`` (first day of the month of birth) decides whether the apprentice is a minor when
    training starts; no name or ID number is stored. Each apprentice has a school and an enterprise
    mentor (双导师).
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="apprentices")
    ref = models.CharField(_("学徒编号"), max_length=40)
    birth_month = models.DateField(_("出生年月"))
    school_mentor = models.ForeignKey(
        Mentor, verbose_name=_("校内导师"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    enterprise_mentor = models.ForeignKey(
        Mentor, verbose_name=_("企业导师"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    scope_region_field = "programme__school__county"
    scope_vocational_school_field = "programme__school"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["ref"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "ref"], name="coop_apprentice_ref_unique")
        ]
        verbose_name = _("学徒")
        verbose_name_plural = _("学徒")

    def __str__(self) -> str:
        return self.ref

    def age_on(self, day: dt.date) -> int:
        """Completed years on ``day`` (born on the first of ``birth_month``)."""
        born = self.birth_month
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class TrainingPeriod(models.Model):
    """A period of the training plan (培养方案) alternating school and workplace (工学交替).

    ``hours_per_day`` × ``days_per_week`` is the weekly load; workplace periods are checked against
    the working-hours limits (rule data).
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="periods")
    place = models.CharField(_("学习地点"), max_length=12, choices=PeriodPlace.choices)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    hours_per_day = models.DecimalField(_("每日学时"), max_digits=4, decimal_places=1)
    days_per_week = models.PositiveIntegerField(_("每周天数"), default=5)
    content = models.CharField(_("培养内容"), max_length=200, blank=True)
    history = HistoricalRecords()

    scope_region_field = "programme__school__county"
    scope_vocational_school_field = "programme__school"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("工学交替安排")
        verbose_name_plural = _("工学交替安排")

    def __str__(self) -> str:
        return f"{self.get_place_display()} {self.starts_on:%Y-%m-%d}—{self.ends_on:%Y-%m-%d}"

    @property
    def hours_per_week(self) -> float:
        return float(self.hours_per_day) * self.days_per_week


class AnnualReport(models.Model):
    """An apprenticeship programme's annual report (年度报告) for ``year``, filed while 已备案."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="annual_reports")
    year = models.PositiveIntegerField(_("年度"))
    students_in_training = models.PositiveIntegerField(_("在训人数"))
    students_left = models.PositiveIntegerField(_("流失人数"), default=0)
    summary = models.TextField(_("年度总结"))
    due_on = models.DateField(_("报送期限"))
    submitted_at = models.DateTimeField(_("报送时间"))
    history = HistoricalRecords()

    scope_region_field = "programme__school__county"
    scope_vocational_school_field = "programme__school"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["programme", "year"], name="coop_report_year_unique")]
        verbose_name = _("年度报告")
        verbose_name_plural = _("年度报告")

    def __str__(self) -> str:
        return f"{self.programme_id} {self.year}年度报告"

    @property
    def late(self) -> bool:
        from django.utils import timezone

        return timezone.localdate(self.submitted_at) > self.due_on


class OrderClassOutcome(models.Model):
    """An order class's outcome at graduation (毕业去向): graduates and where they went.

    Placement rate (订单企业录用率) = hired_by_orderer ÷ graduates.
    """

    programme = models.OneToOneField(Programme, on_delete=models.CASCADE, related_name="outcome")
    graduated_on = models.DateField(_("毕业日期"))
    graduates = models.PositiveIntegerField(_("毕业人数"))
    hired_by_orderer = models.PositiveIntegerField(_("订单企业录用"))
    hired_elsewhere = models.PositiveIntegerField(_("其他单位就业"), default=0)
    further_study = models.PositiveIntegerField(_("升学"), default=0)
    other = models.PositiveIntegerField(_("其他"), default=0)
    history = HistoricalRecords()

    scope_region_field = "programme__school__county"
    scope_vocational_school_field = "programme__school"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("订单班毕业去向")
        verbose_name_plural = _("订单班毕业去向")

    def __str__(self) -> str:
        return f"{self.programme_id} 毕业 {self.graduates} 人"

    @property
    def placement_rate(self) -> float | None:
        from shuangjian.common.kpicards import rate

        return rate(self.hired_by_orderer, self.graduates)

    def counts(self) -> dict[str, int]:
        return {
            Outcome.HIRED_BY_ORDERER: self.hired_by_orderer,
            Outcome.HIRED_ELSEWHERE: self.hired_elsewhere,
            Outcome.FURTHER_STUDY: self.further_study,
            Outcome.OTHER: self.other,
        }


# --- 1+X ----------------------------------------------------------------------------------------
class XCertificate(models.Model):
    """A vocational skill level certificate (职业技能等级证书) of the 1+X pilot with its issuing
    培训评价组织 and levels (初级/中级/高级, comma-separated :class:`XLevel` values).

    ``filed_on``: filed with the 省教育厅 (H2); ``retired_on``: withdrawn from the pilot (results kept).
    """

    name = models.CharField(_("证书名称"), max_length=200)
    organisation = models.CharField(_("培训评价组织"), max_length=200)
    levels = models.CharField(_("等级"), max_length=60)
    batch = models.PositiveIntegerField(_("批次"), null=True, blank=True)
    filed_on = models.DateField(_("备案日期"), null=True, blank=True)
    retired_on = models.DateField(_("停止日期"), null=True, blank=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()  # public catalogue: no region

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name", "organisation"], name="coop_xcert_unique")]
        verbose_name = _("职业技能等级证书")
        verbose_name_plural = _("职业技能等级证书")

    def __str__(self) -> str:
        return self.name

    @property
    def level_labels(self) -> str:
        from .choices import XLevel

        return "、".join(str(XLevel(v).label) for v in self.levels.split(",") if v in XLevel.values)


class XPilot(models.Model):
    """A school's 1+X pilot filing (试点备案) for one certificate: levels and planned students."""

    school = models.ForeignKey(
        SCHOOL_MODEL, verbose_name=_("试点学校"), on_delete=models.PROTECT, related_name="x_pilots"
    )
    certificate = models.ForeignKey(
        XCertificate, verbose_name=_("证书"), on_delete=models.PROTECT, related_name="pilots"
    )
    year = models.PositiveIntegerField(_("试点年度"))
    planned_students = models.PositiveIntegerField(_("计划参加人数"), default=0)
    history = HistoricalRecords()

    scope_region_field = "school__county"
    scope_vocational_school_field = "school"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["school", "certificate", "year"], name="coop_xpilot_unique")
        ]
        verbose_name = _("1+X试点备案")
        verbose_name_plural = _("1+X试点备案")

    def __str__(self) -> str:
        return f"{self.school_id} {self.certificate_id} {self.year}"


class AssessmentSite(models.Model):
    """A 1+X assessment site (考核站点) hosted by a school for one certificate and its levels.

    Workflow (django-fsm-2): 申请中 → 已批准 (``approved_on``) / 不予批准; 已批准 → 已撤销
    (``revoked_on``). Active on D when approved_on ≤ D and (revoked_on empty or revoked_on > D).
    ``review_due_on`` in working days (rule ``cooperation.site_review_workdays``).
    """

    code = models.CharField(_("站点编号"), max_length=40, unique=True)
    school = models.ForeignKey(
        SCHOOL_MODEL, verbose_name=_("承建学校"), on_delete=models.PROTECT, related_name="x_sites"
    )
    certificate = models.ForeignKey(
        XCertificate, verbose_name=_("证书"), on_delete=models.PROTECT, related_name="sites"
    )
    levels = models.CharField(_("等级"), max_length=60)
    capacity = models.PositiveIntegerField(_("考位数"), default=0)
    state = StateField(
        _("状态"), max_length=10, choices=SiteState.choices, default=SiteState.APPLIED, db_index=True
    )
    applied_at = models.DateTimeField(_("申请时间"), null=True, blank=True)
    review_due_on = models.DateField(_("审核期限"), null=True, blank=True)
    approved_on = models.DateField(_("批准日期"), null=True, blank=True)
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("审核意见"), blank=True)
    source = models.CharField(_("来源"), max_length=10, default="form")
    history = HistoricalRecords()

    scope_region_field = "school__county"
    scope_vocational_school_field = "school"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("1+X考核站点")
        verbose_name_plural = _("1+X考核站点")

    def __str__(self) -> str:
        return f"{self.code} {self.certificate}"

    @property
    def level_labels(self) -> str:
        from .choices import XLevel

        return "、".join(str(XLevel(v).label) for v in self.levels.split(",") if v in XLevel.values)

    def active_on(self, day: dt.date) -> bool:
        return bool(
            self.approved_on
            and self.approved_on <= day
            and (self.revoked_on is None or self.revoked_on > day)
        )

    @transition(field=state, source=SiteState.APPLIED, target=SiteState.APPROVED)
    def approve(self) -> None:
        """申请中 → 已批准."""

    @transition(field=state, source=SiteState.APPLIED, target=SiteState.REJECTED)
    def reject(self) -> None:
        """申请中 → 不予批准."""

    @transition(field=state, source=SiteState.APPROVED, target=SiteState.REVOKED)
    def revoke(self) -> None:
        """已批准 → 已撤销."""


class AssessmentSession(models.Model):
    """An assessment session (考核批次) at a site for one level, with its candidates and passes."""

    site = models.ForeignKey(AssessmentSite, on_delete=models.PROTECT, related_name="sessions")
    held_on = models.DateField(_("考核日期"))
    level = models.CharField(_("等级"), max_length=14)
    candidates = models.PositiveIntegerField(_("参考人数"))
    passed = models.PositiveIntegerField(_("通过人数"))
    history = HistoricalRecords()

    scope_region_field = "site__school__county"
    scope_vocational_school_field = "site__school"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on"]
        constraints = [
            models.UniqueConstraint(fields=["site", "held_on", "level"], name="coop_session_unique"),
            models.CheckConstraint(
                condition=models.Q(passed__lte=models.F("candidates")),
                name="coop_session_passed_le_candidates",
            ),
        ]
        verbose_name = _("考核批次")
        verbose_name_plural = _("考核批次")

    def __str__(self) -> str:
        return f"{self.site_id} {self.held_on:%Y-%m-%d} {self.level}"

    @property
    def level_label(self) -> str:
        from .choices import XLevel

        return str(XLevel(self.level).label) if self.level in XLevel.values else self.level

    @property
    def pass_rate(self) -> float | None:
        from shuangjian.common.kpicards import rate

        return rate(self.passed, self.candidates)


class CreditBankLink(models.Model):
    """A 学分银行 link: a certificate level recognised for a course's credits (S2)."""

    certificate = models.ForeignKey(XCertificate, on_delete=models.CASCADE, related_name="credit_links")
    level = models.CharField(_("等级"), max_length=14)
    course_name = models.CharField(_("课程名称"), max_length=100)
    credits = models.DecimalField(_("学分"), max_digits=4, decimal_places=1)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("学分银行认定")
        verbose_name_plural = _("学分银行认定")

    def __str__(self) -> str:
        return f"{self.course_name} {self.credits}学分"


# --- industry–education bodies, craftsmen, training volumes ------------------------------------
class IndustryEducationBody(models.Model):
    """An industry–education body: 市域产教联合体 (in an industrial park), 行业产教融合共同体 (along an
    industry chain) or 产教融合实践中心, with its level, anchor (park or chain) and founding date."""

    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=16, choices=BodyKind.choices)
    level = models.CharField(_("层级"), max_length=12, choices=BodyLevel.choices)
    county = models.ForeignKey(
        "regions.Region", verbose_name=_("所在区县"), on_delete=models.PROTECT, related_name="+"
    )
    anchor = models.CharField(_("依托园区/产业链"), max_length=200, blank=True)
    founded_on = models.DateField(_("成立日期"))
    batch = models.CharField(_("认定批次"), max_length=60, blank=True)
    history = HistoricalRecords()

    scope_region_field = "county"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("产教融合平台")
        verbose_name_plural = _("产教融合平台")

    def __str__(self) -> str:
        return self.name


class BodyMember(models.Model):
    """A member of a body: a vocational school, an enterprise, or another organisation by name."""

    body = models.ForeignKey(IndustryEducationBody, on_delete=models.CASCADE, related_name="members")
    role = models.CharField(_("角色"), max_length=16, choices=MemberRole.choices)
    school = models.ForeignKey(
        SCHOOL_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    enterprise = models.ForeignKey(
        Enterprise, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    other_name = models.CharField(_("其他单位"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("成员单位")
        verbose_name_plural = _("成员单位")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return str(self.school or self.enterprise or self.other_name)


class BodyActivity(models.Model):
    """An activity of a body (合作办学、育人、就业、发展; training, technical service …)."""

    body = models.ForeignKey(IndustryEducationBody, on_delete=models.CASCADE, related_name="activities")
    held_on = models.DateField(_("日期"))
    title = models.CharField(_("活动"), max_length=200)
    participants = models.PositiveIntegerField(_("参与人次"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("平台活动")
        verbose_name_plural = _("平台活动")

    def __str__(self) -> str:
        return self.title


class CraftsmanRecognition(models.Model):
    """A craftsman recognition (工匠认定) of the four-level system: person (masked name plus a keyed
    digest of the ID number for de-duplication, never the number), level, year, field, employer."""

    person_name = models.CharField(_("姓名（脱敏）"), max_length=20)
    person_digest = models.CharField(_("身份标识摘要"), max_length=64, db_index=True)
    level = models.CharField(_("级别"), max_length=10, choices=CraftsmanLevel.choices)
    year = models.PositiveIntegerField(_("认定年度"))
    field = models.CharField(_("领域"), max_length=60)
    employer = models.CharField(_("工作单位"), max_length=200, blank=True)
    county = models.ForeignKey(
        "regions.Region", verbose_name=_("所在区县"), on_delete=models.PROTECT, related_name="+"
    )
    school = models.ForeignKey(
        SCHOOL_MODEL,
        verbose_name=_("毕业/培养院校"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    scope_region_field = "county"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "level"]
        constraints = [
            models.UniqueConstraint(fields=["person_digest", "level", "year"], name="coop_craftsman_unique")
        ]
        verbose_name = _("工匠认定")
        verbose_name_plural = _("工匠认定")

    def __str__(self) -> str:
        return f"{self.person_name} {self.get_level_display()} {self.year}"


class TrainingVolume(models.Model):
    """A vocational school's social training volume in a year (person-times, 人次):
    补贴性培训 (subsidised) and 市场化社会培训 (market-based)."""

    school = models.ForeignKey(SCHOOL_MODEL, on_delete=models.PROTECT, related_name="training_volumes")
    year = models.PositiveIntegerField(_("年度"))
    subsidised = models.PositiveIntegerField(_("补贴性培训（人次）"), default=0)
    market = models.PositiveIntegerField(_("市场化社会培训（人次）"), default=0)
    history = HistoricalRecords()

    scope_region_field = "school__county"
    scope_vocational_school_field = "school"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["school", "year"], name="coop_volume_unique")]
        verbose_name = _("社会培训量")
        verbose_name_plural = _("社会培训量")

    def __str__(self) -> str:
        return f"{self.school_id} {self.year}"
