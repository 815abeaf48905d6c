"""Forms of the cooperation pages: plain input checks only; the rules live in :mod:`.services`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import (
    BodyKind,
    BodyLevel,
    CraftsmanLevel,
    IeStatus,
    MentorSide,
    PeriodPlace,
    ProgrammeKind,
    XLevel,
)
from .models import Mentor, XCertificate

DATE = forms.DateInput(attrs={"type": "date"})


class ProgrammeForm(forms.Form):
    kind = forms.ChoiceField(label=_("项目类型"), choices=ProgrammeKind.choices)
    name = forms.CharField(label=_("项目名称"), max_length=200, required=False)
    major_code = forms.ChoiceField(label=_("专业"))
    credit_code = forms.CharField(label=_("企业统一社会信用代码"), max_length=30)
    enterprise_name = forms.CharField(label=_("企业名称"), max_length=200)
    industry = forms.CharField(label=_("企业所属行业"), max_length=60, required=False)
    entry_year = forms.IntegerField(label=_("年级（入学年份）"), min_value=2000, max_value=2100)
    students = forms.IntegerField(label=_("学生人数"), min_value=1, max_value=100000)
    agreement_signed_on = forms.DateField(label=_("校企协议签订日期"), widget=DATE)

    def __init__(self, *args, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        majors = school.majors.select_related("major").order_by("major__code") if school is not None else []
        field: Any = self.fields["major_code"]
        field.choices = [(m.major.code, f"{m.major.code} {m.name}") for m in majors]


class MentorForm(forms.Form):
    side = forms.ChoiceField(label=_("导师类别"), choices=MentorSide.choices)
    name = forms.CharField(label=_("姓名（仅保存姓氏）"), max_length=20)
    qualification = forms.CharField(label=_("资质（双师型、技能等级、职称）"), max_length=100)
    dual_qualified = forms.BooleanField(label=_("双师型"), required=False)
    practice_years = forms.IntegerField(label=_("从业年限"), min_value=0, max_value=60, initial=0)


class ApprenticeForm(forms.Form):
    ref = forms.CharField(label=_("学徒编号（化名编号）"), max_length=40)
    birth_month = forms.DateField(label=_("出生年月（填该月1日）"), widget=DATE)
    school_mentor = forms.ModelChoiceField(
        label=_("校内导师"), queryset=Mentor.objects.none(), required=False
    )
    enterprise_mentor = forms.ModelChoiceField(
        label=_("企业导师"), queryset=Mentor.objects.none(), required=False
    )
    agreement_signed_on = forms.DateField(label=_("三方协议签订日期"), widget=DATE)
    guardian_signed = forms.BooleanField(label=_("监护人已签字同意（未成年学徒必填）"), required=False)

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        if programme is not None:
            school: Any = self.fields["school_mentor"]
            enterprise: Any = self.fields["enterprise_mentor"]
            school.queryset = programme.mentors.filter(side=MentorSide.SCHOOL)
            enterprise.queryset = programme.mentors.filter(side=MentorSide.ENTERPRISE)


class PeriodForm(forms.Form):
    place = forms.ChoiceField(label=_("学习地点"), choices=PeriodPlace.choices)
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE)
    hours_per_day = forms.DecimalField(label=_("每日学时"), min_value=0.5, max_value=24, decimal_places=1)
    days_per_week = forms.IntegerField(label=_("每周天数"), min_value=1, max_value=7, initial=5)
    content = forms.CharField(label=_("培养内容"), max_length=200, required=False)


class AnnualReportForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    students_in_training = forms.IntegerField(label=_("在训人数"), min_value=0)
    students_left = forms.IntegerField(label=_("流失人数"), min_value=0, initial=0)
    summary = forms.CharField(label=_("年度总结"), widget=forms.Textarea(attrs={"rows": 3}))


class OutcomeForm(forms.Form):
    graduated_on = forms.DateField(label=_("毕业日期"), widget=DATE)
    graduates = forms.IntegerField(label=_("毕业人数"), min_value=1)
    hired_by_orderer = forms.IntegerField(label=_("订单企业录用"), min_value=0)
    hired_elsewhere = forms.IntegerField(label=_("其他单位就业"), min_value=0, initial=0)
    further_study = forms.IntegerField(label=_("升学"), min_value=0, initial=0)
    other = forms.IntegerField(label=_("其他"), min_value=0, initial=0)


class CompleteForm(forms.Form):
    ended_on = forms.DateField(label=_("结束日期"), widget=DATE)
    reason = forms.CharField(label=_("说明"), max_length=200, required=False)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结果"), choices=[("approve", _("审核通过，予以备案")), ("return", _("退回修改"))]
    )
    reason = forms.CharField(
        label=_("审核意见（退回时必填）"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class IeStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("产教融合型企业"), choices=IeStatus.choices, required=False)
    level = forms.ChoiceField(
        label=_("认定层级"),
        choices=[("", "—"), ("NATIONAL", _("国家级")), ("PROVINCIAL", _("省级")), ("CITY", _("市级"))],
        required=False,
    )
    recognised_on = forms.DateField(label=_("认定日期"), widget=DATE, required=False)
    reason = forms.CharField(label=_("说明"), max_length=200, required=False)


class SiteApplyForm(forms.Form):
    certificate = forms.ModelChoiceField(
        label=_("职业技能等级证书"), queryset=XCertificate.objects.filter(retired_on__isnull=True)
    )
    levels = forms.MultipleChoiceField(
        label=_("申请考核等级"), choices=XLevel.choices, widget=forms.CheckboxSelectMultiple
    )
    capacity = forms.IntegerField(label=_("考位数"), min_value=0, initial=0)


class SiteReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核"), choices=[("approve", _("批准")), ("reject", _("不予批准")), ("revoke", _("撤销"))]
    )
    reason = forms.CharField(
        label=_("意见（不予批准、撤销时必填）"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("考核日期"), widget=DATE)
    level = forms.ChoiceField(label=_("等级"), choices=XLevel.choices)
    candidates = forms.IntegerField(label=_("参考人数"), min_value=1)
    passed = forms.IntegerField(label=_("通过人数"), min_value=0)

    def __init__(self, *args, site=None, **kwargs):
        super().__init__(*args, **kwargs)
        if site is not None:
            allowed = site.levels.split(",")
            level: Any = self.fields["level"]
            level.choices = [c for c in XLevel.choices if c[0] in allowed]


class VolumeForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    subsidised = forms.IntegerField(label=_("补贴性培训（人次）"), min_value=0)
    market = forms.IntegerField(label=_("市场化社会培训（人次）"), min_value=0)


class BodyForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=200)
    kind = forms.ChoiceField(label=_("类型"), choices=BodyKind.choices)
    level = forms.ChoiceField(label=_("层级"), choices=BodyLevel.choices)
    county_code = forms.CharField(label=_("所在区县代码"), max_length=6)
    anchor = forms.CharField(label=_("依托园区/产业链"), max_length=200, required=False)
    founded_on = forms.DateField(label=_("成立日期"), widget=DATE)
    batch = forms.CharField(label=_("认定批次"), max_length=60, required=False)


class CraftsmanForm(forms.Form):
    name = forms.CharField(label=_("姓名（仅保存姓氏）"), max_length=20)
    id_number = forms.CharField(label=_("身份证号（仅保存摘要，用于去重）"), max_length=18)
    level = forms.ChoiceField(label=_("级别"), choices=CraftsmanLevel.choices)
    year = forms.IntegerField(label=_("认定年度"), min_value=1990, max_value=2100)
    field = forms.CharField(label=_("领域"), max_length=60)
    employer = forms.CharField(label=_("工作单位"), max_length=200, required=False)
    county_code = forms.CharField(label=_("所在区县代码"), max_length=6)
