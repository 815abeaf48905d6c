"""Vocational education (职业教育): schools, the major catalogue, majors offered, annual returns.

- :class:`VocationalSchool` (职业院校): a 中职 (中等职业学校, incl. 职业高中 / 中专; 技工学校 flagged),
  高职专科 or 职业本科 school with the Ministry's 10-digit 学校标识码, county, 公办/民办, founding and
  closing dates (a merged school keeps its row, closed, pointing at the school it merged into).
- :class:`Designation`: a dated programme membership (省"双优"建设 with batch, 职教中心, 市级职业教育
  培训中心, 特色综合高中, 职普融通 pilot). A school "is" one on date D while a designation of that kind
  is active on D (started_on ≤ D < ended_on or ended_on empty).
- :class:`Partnership`: 五年一贯制 / 中高职贯通 / 高职–本科贯通 between a stage-1 and a stage-2 school.
- :class:`CatalogueItem`: the vocational major catalogue (职业教育专业目录, 2021 edition and its yearly
  updates): 专业大类 / 专业类 / 专业 per level, loaded from ``data/`` by a data migration.
- :class:`SchoolMajor` (专业设置): a catalogue major a school offers, with the year it opened and the year
  it stopped enrolling (停招); stopped majors stay as history.
- :class:`AnnualReturn`: a school's return of basic conditions for one statistical year (统计年度), the
  figures the standard (教职成〔2010〕12号, 2023 达标工程) is checked against.

Every model reaches its region through the school's county (``scope_region_field``) and is read through
``Model.objects.visible_to(user)``: regulators see their subtree, a vocational school's own staff (role
职业院校) only their school's rows (``scope_vocational_school_field``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from shuangjian.common.scoping import ScopedQuerySet

from .choices import (
    DesignationKind,
    IntegrationMode,
    ItemKind,
    Level,
    PartnershipKind,
    Sponsor,
    StandardCategory,
)

#: First two digits of a catalogue code → level, and the base of each level's 大类 family (大类 n of the
#: 19 is base + n − 1 at every level: 61 / 41 / 21 农林牧渔大类 … 79 / 59 / 39 公共管理与服务大类).
LEVEL_CODE_BASE = {Level.SECONDARY: 61, Level.ASSOCIATE: 41, Level.BACHELOR: 21}

#: 学校标识码 type prefix (AA of AABBCCCCCC, 学校（机构）代码管理办法): 36 中等职业学校, 41 普通高等学校.
IDENTIFIER_TYPE = {Level.SECONDARY: "36", Level.ASSOCIATE: "41", Level.BACHELOR: "41"}


def level_of_code(code: str) -> Level | None:
    """The level a catalogue code belongs to by its first two digits (None outside 21–39/41–59/61–79)."""
    try:
        head = int(code[:2])
    except (TypeError, ValueError):
        return None
    for level, base in LEVEL_CODE_BASE.items():
        if base <= head <= base + 18:
            return level
    return None


def category_family(code: str) -> int | None:
    """The 专业大类 of a catalogue code as 1–19, the same number at every level (None when unknown)."""
    level = level_of_code(code)
    if level is None:
        return None
    return int(code[:2]) - LEVEL_CODE_BASE[level] + 1


class VocationalSchool(models.Model):
    """A vocational school (职业院校).

    ``code`` is the 10-digit 学校标识码 AABBCCCCCC (36 中职 / 41 高校, 43 湖南). ``name`` is the current
    name (earlier names stay in the annual returns and the history). A school counts on date D while
    ``founded_on`` (when known) ≤ D and (``closed_on`` empty or ``closed_on`` > D). ``merged_into``
    names the school a closed school merged into (S6 annex 3: 合并 / 集团化). ``industry`` is the
    sponsoring 行业/主管部门 of an industry-run (行业办) school, free text.
    """

    code = models.CharField(_("学校标识码"), max_length=10, unique=True)
    name = models.CharField(_("学校名称"), max_length=200)
    county = models.ForeignKey("regions.Region", verbose_name=_("所在区县"), on_delete=models.PROTECT)
    level = models.CharField(_("办学层次"), max_length=10, choices=Level.choices, db_index=True)
    sponsor = models.CharField(_("举办者类型"), max_length=8, choices=Sponsor.choices)
    is_technical = models.BooleanField(_("技工学校"), default=False)
    standard_category = models.CharField(
        _("达标标准类别"), max_length=10, choices=StandardCategory.choices, default=StandardCategory.GENERAL
    )
    industry = models.CharField(_("行业主管部门"), max_length=100, blank=True)
    founded_on = models.DateField(_("开办日期"), null=True, blank=True)
    closed_on = models.DateField(_("停办日期"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("并入学校"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )
    history = HistoricalRecords()

    scope_region_field = "county"
    scope_vocational_school_field = "pk"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("职业院校")
        verbose_name_plural = _("职业院校")
        indexes = [models.Index(fields=["county", "level"], name="voc_school_county_level")]

    def __str__(self) -> str:
        return self.name

    def is_open_on(self, day: dt.date) -> bool:
        """Whether the school counts on ``day`` (founded, not yet closed)."""
        if self.founded_on and self.founded_on > day:
            return False
        return self.closed_on is None or self.closed_on > day

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if not (len(self.code) == 10 and self.code.isdigit()):
            errors["code"] = _("学校标识码应为10位数字")
        elif self.level and not self.code.startswith(IDENTIFIER_TYPE[Level(self.level)]):
            errors["code"] = _("学校标识码前两位应为%(aa)s（%(level)s）") % {
                "aa": IDENTIFIER_TYPE[Level(self.level)],
                "level": Level(self.level).label,
            }
        if self.founded_on and self.closed_on and self.closed_on < self.founded_on:
            errors["closed_on"] = _("停办日期不能早于开办日期")
        if errors:
            raise ValidationError(errors)


def open_on_q(day: dt.date, prefix: str = "") -> models.Q:
    """Q for schools open on ``day`` (``prefix`` e.g. "school__" when filtering a related model)."""
    return (
        models.Q(**{f"{prefix}founded_on__isnull": True}) | models.Q(**{f"{prefix}founded_on__lte": day})
    ) & (models.Q(**{f"{prefix}closed_on__isnull": True}) | models.Q(**{f"{prefix}closed_on__gt": day}))


class Designation(models.Model):
    """A dated programme membership of a school: active on D when started_on ≤ D < ended_on (or open).

    ``batch`` is the programme's batch (e.g. 2021年第一批) where it has one; ``integration_mode`` and
    ``partner`` describe a 职普融通 pilot (partner: the 普通高中 it works with, as text).
    """

    school = models.ForeignKey(
        VocationalSchool, verbose_name=_("学校"), on_delete=models.CASCADE, related_name="designations"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=DesignationKind.choices, db_index=True)
    batch = models.CharField(_("批次"), max_length=50, blank=True)
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    integration_mode = models.CharField(
        _("融通方式"), max_length=8, choices=IntegrationMode.choices, blank=True
    )
    partner = models.CharField(_("合作学校"), max_length=200, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    history = HistoricalRecords()

    scope_region_field = "school__county"
    scope_vocational_school_field = "school"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["school", "kind", "started_on"]
        verbose_name = _("建设项目与认定")
        verbose_name_plural = _("建设项目与认定")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "kind", "started_on"], name="uniq_voc_designation_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.get_kind_display()} {self.started_on}"

    def is_active_on(self, day: dt.date) -> bool:
        return self.started_on <= day and (self.ended_on is None or self.ended_on > day)


def active_on_q(day: dt.date, prefix: str = "") -> models.Q:
    """Q for designations / partnerships / majors active on ``day`` (started_on ≤ day < ended_on)."""
    return models.Q(**{f"{prefix}started_on__lte": day}) & (
        models.Q(**{f"{prefix}ended_on__isnull": True}) | models.Q(**{f"{prefix}ended_on__gt": day})
    )


class Partnership(models.Model):
    """A 贯通培养 partnership: stage-1 school → stage-2 school for a major pair, dated.

    Scoped by the stage-1 school's county; ``stage1_major`` / ``stage2_major`` are catalogue codes.
    """

    kind = models.CharField(_("类型"), max_length=20, choices=PartnershipKind.choices)
    stage1 = models.ForeignKey(
        VocationalSchool,
        verbose_name=_("前段学校"),
        on_delete=models.CASCADE,
        related_name="partnerships_out",
    )
    stage2 = models.ForeignKey(
        VocationalSchool, verbose_name=_("后段学校"), on_delete=models.CASCADE, related_name="partnerships_in"
    )
    stage1_major = models.CharField(_("前段专业代码"), max_length=7, blank=True)
    stage2_major = models.CharField(_("后段专业代码"), max_length=7, blank=True)
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    history = HistoricalRecords()

    scope_region_field = "stage1__county"
    scope_vocational_school_field = "stage1"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["stage1", "started_on"]
        verbose_name = _("贯通培养项目")
        verbose_name_plural = _("贯通培养项目")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.stage1} → {self.stage2}"


class CatalogueItem(models.Model):
    """An entry of the vocational major catalogue (职业教育专业目录): a 大类, 类 or 专业 of one level.

    ``code`` is 2 (大类), 4 (类) or 6 digits (专业) with a trailing K for nationally controlled majors
    (国家控制布点专业, ``national_control``). ``edition`` is the catalogue edition ("2021");
    ``added_year`` / ``retired_year`` date yearly updates (增补 / 撤销) in enrolment years. Reference
    data, public: not region-scoped.
    """

    code = models.CharField(_("代码"), max_length=7, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层次"), max_length=10, choices=Level.choices)
    kind = models.CharField(_("类别"), max_length=8, choices=ItemKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    national_control = models.BooleanField(_("国家控制布点"), default=False)
    edition = models.CharField(_("目录版本"), max_length=10, default="2021")
    added_year = models.PositiveSmallIntegerField(_("增补年份"), null=True, blank=True)
    retired_year = models.PositiveSmallIntegerField(_("撤销年份"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("专业目录条目")
        verbose_name_plural = _("专业目录")
        indexes = [models.Index(fields=["level", "kind"], name="voc_catalogue_level_kind")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def family(self) -> int | None:
        """专业大类 number 1–19 (the same at every level)."""
        return category_family(self.code)


class SchoolMajor(models.Model):
    """A major a school offers (专业设置): enrolling from ``opened_year``; ``stopped_year`` is the year it
    stopped enrolling (停招). It counts as offered in year Y when opened_year ≤ Y and (stopped_year empty
    or stopped_year > Y). ``name`` is the name the school filed (the catalogue's name is on ``major``).
    """

    school = models.ForeignKey(
        VocationalSchool, verbose_name=_("学校"), on_delete=models.CASCADE, related_name="majors"
    )
    major = models.ForeignKey(
        CatalogueItem, verbose_name=_("目录专业"), on_delete=models.PROTECT, related_name="offerings"
    )
    name = models.CharField(_("专业名称"), max_length=100)
    opened_year = models.PositiveSmallIntegerField(_("开设年份"))
    stopped_year = models.PositiveSmallIntegerField(_("停招年份"), null=True, blank=True)
    history = HistoricalRecords()

    scope_region_field = "school__county"
    scope_vocational_school_field = "school"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["school", "major__code"]
        verbose_name = _("专业设置")
        verbose_name_plural = _("专业设置")
        constraints = [
            models.UniqueConstraint(fields=["school", "major"], name="uniq_voc_school_major"),
            models.CheckConstraint(
                condition=models.Q(stopped_year__isnull=True)
                | models.Q(stopped_year__gte=models.F("opened_year")),
                name="voc_major_stop_after_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.major.code} {self.name}"

    @property
    def code(self) -> str:
        return self.major.code

    def is_offered_in(self, year: int) -> bool:
        return self.opened_year <= year and (self.stopped_year is None or self.stopped_year > year)


class AnnualReturn(models.Model):
    """A school's return of basic conditions (办学基本条件) for one statistical year (统计年度).

    Units: areas in m², ``equipment_fen`` the value of teaching equipment in fen (imported in yuan),
    ``books`` paper volumes (册). Empty optional figures are unknown, not zero. ``name`` is the school's
    name in that year. Key (school, year).
    """

    school = models.ForeignKey(
        VocationalSchool, verbose_name=_("学校"), on_delete=models.CASCADE, related_name="returns"
    )
    year = models.PositiveSmallIntegerField(_("统计年度"))
    name = models.CharField(_("当年校名"), max_length=200)
    students = models.PositiveIntegerField(_("学历教育在校生数"))
    teachers = models.PositiveIntegerField(_("专任教师数"))
    dual_teachers = models.PositiveIntegerField(_("双师型教师数"), null=True, blank=True)
    land_m2 = models.DecimalField(
        _("占地面积（平方米）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    building_m2 = models.DecimalField(
        _("校舍建筑面积（平方米）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    equipment_fen = models.BigIntegerField(_("教学仪器设备值（分）"), null=True, blank=True)
    books = models.PositiveIntegerField(_("纸质图书（册）"), null=True, blank=True)
    history = HistoricalRecords()

    scope_region_field = "school__county"
    scope_vocational_school_field = "school"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["school", "-year"]
        verbose_name = _("办学条件年报")
        verbose_name_plural = _("办学条件年报")
        constraints = [
            models.UniqueConstraint(fields=["school", "year"], name="uniq_voc_return_school_year"),
            models.CheckConstraint(
                condition=models.Q(dual_teachers__isnull=True)
                | models.Q(dual_teachers__lte=models.F("teachers")),
                name="voc_return_dual_le_teachers",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.year}"

    @property
    def equipment_yuan(self) -> Decimal | None:
        return None if self.equipment_fen is None else Decimal(self.equipment_fen) / 100
