"""Forms of the enforcement pages (Chinese labels and errors; money entered in yuan)."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from shuangjian.common.scoping import regions_visible_to
from shuangjian.common.text import nfkc, yuan_to_fen
from shuangjian.regions.models import RegionLevel

from .legal import legal_basis_choices
from .models import CaseKind, Measure
from .validation import CAMPAIGN_DAYS_AHEAD, IdNumberError, date_bound_error, id_number_normalize

# Separators accepted between several numbers in one box: commas, 、, semicolons, whitespace.
_LIST_SEPARATORS = re.compile(r"[,，、;；\s]+")


class BoundedDateField(forms.DateField):
    """A date between 2000-01-01 and today (+ ``days_ahead``); the error names the field."""

    def __init__(self, *args, days_ahead: int = 0, **kwargs):
        self.days_ahead = days_ahead
        super().__init__(*args, **kwargs)

    def clean(self, value):
        day: dt.date | None = super().clean(value)
        if day is not None:
            message = date_bound_error(day, label=f"{self.label}：", days_ahead=self.days_ahead)
            if message:
                raise forms.ValidationError(message)
        return day


def _county_choices(user) -> list[tuple[str, str]]:
    return [(r.code, r.full_name) for r in regions_visible_to(user, level=RegionLevel.COUNTY)]


class YuanField(forms.CharField):
    """Yuan with at most 2 decimals → fen (int)."""

    def clean(self, value):
        value = super().clean(value)
        if value in (None, ""):
            return 0
        try:
            return yuan_to_fen(value)
        except (ValueError, TypeError) as exc:
            raise forms.ValidationError(_("金额格式不正确（元，最多两位小数）")) from exc


class CaseOpenForm(forms.Form):
    kind = forms.ChoiceField(label=_("案件类型"), choices=CaseKind.choices)
    county = forms.ChoiceField(label=_("承办区县"))
    opened_on = BoundedDateField(label=_("立案日期"), widget=forms.DateInput(attrs={"type": "date"}))
    campaign = forms.ChoiceField(label=_("专项整治"), required=False)
    credit_code = forms.CharField(label=_("涉案机构统一社会信用代码"), required=False, max_length=18)
    party_name = forms.CharField(label=_("当事人（无证机构名称或个人姓名）"), required=False, max_length=200)
    party_is_person = forms.BooleanField(label=_("当事人为个人（姓名只保存姓氏）"), required=False)
    party_id_number = forms.CharField(label=_("个人证件号（只保存脱敏号码）"), required=False, max_length=24)
    report_numbers = forms.CharField(label=_("来源线索编号（多个用逗号、顿号或空格分隔）"), required=False)
    warning_ids = forms.CharField(label=_("来源预警编号（多个用逗号、顿号或空格分隔）"), required=False)
    legal_bases = forms.MultipleChoiceField(
        label=_("法律依据"),
        choices=legal_basis_choices(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    facts = forms.CharField(label=_("案情"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    ads_removed = forms.IntegerField(label=_("拆除广告（条）"), min_value=0, initial=0, required=False)
    subjects_count = forms.IntegerField(label=_("涉及机构/人数"), min_value=1, initial=1)

    def __init__(self, *args, user=None, campaigns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = _county_choices(user)  # type: ignore[attr-defined]
        self.fields["campaign"].choices = [("", "—")] + [(str(c.pk), c.name) for c in campaigns]  # type: ignore[attr-defined]

    def clean_credit_code(self):
        return nfkc(self.cleaned_data.get("credit_code") or "").upper()

    def clean_party_id_number(self) -> str:
        """Empty, an 18-character resident ID with a valid check digit, or a 15-digit old one."""
        try:
            return id_number_normalize(self.cleaned_data.get("party_id_number") or "")
        except IdNumberError as exc:
            raise forms.ValidationError(_("个人证件号：%(reason)s") % {"reason": exc}) from None

    @staticmethod
    def split(value: str) -> list[str]:
        """ "XS-1, XS-2、XS-3 XS-4" → ["XS-1", "XS-2", "XS-3", "XS-4"] (duplicates dropped, order kept)."""
        return list(dict.fromkeys(v for v in _LIST_SEPARATORS.split(nfkc(value or "")) if v))


class CaseDecideForm(forms.Form):
    decided_on = BoundedDateField(label=_("决定日期"), widget=forms.DateInput(attrs={"type": "date"}))
    decision = forms.CharField(label=_("处理决定"), widget=forms.Textarea(attrs={"rows": 3}))
    measures = forms.MultipleChoiceField(
        label=_("处理措施"), choices=Measure.choices, widget=forms.CheckboxSelectMultiple
    )
    legal_bases = forms.MultipleChoiceField(
        label=_("法律依据"), choices=legal_basis_choices(), widget=forms.CheckboxSelectMultiple
    )
    fine = YuanField(label=_("罚款（元）"), required=False)
    confiscated = YuanField(label=_("没收违法所得（元）"), required=False)
    refund_ordered = YuanField(label=_("责令退费（元）"), required=False)
    ads_removed = forms.IntegerField(label=_("拆除广告（条）"), min_value=0, required=False)


class CaseCloseForm(forms.Form):
    closed_on = BoundedDateField(label=_("结案日期"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("结案说明"), widget=forms.Textarea(attrs={"rows": 3}))


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=200)
    region = forms.ChoiceField(label=_("范围"))
    start_on = BoundedDateField(
        label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}), days_ahead=CAMPAIGN_DAYS_AHEAD
    )
    end_on = BoundedDateField(
        label=_("结束日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        days_ahead=2 * CAMPAIGN_DAYS_AHEAD,
    )
    focus = forms.CharField(label=_("整治重点"), max_length=300, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        visible = regions_visible_to(user)
        regions = visible.exclude(level=RegionLevel.COUNTY) | visible.filter(pk=user.region_id)
        self.fields["region"].choices = [(r.code, r.full_name) for r in regions.order_by("code")]  # type: ignore[attr-defined]


class InspectionForm(forms.Form):
    county = forms.ChoiceField(label=_("区县"))
    inspected_on = BoundedDateField(label=_("检查日期"), widget=forms.DateInput(attrs={"type": "date"}))
    campaign = forms.ChoiceField(label=_("专项整治"), required=False)
    credit_code = forms.CharField(label=_("检查机构统一社会信用代码"), required=False, max_length=18)
    place = forms.CharField(label=_("检查地点"), required=False, max_length=300)
    inspectors = forms.CharField(label=_("检查人员"), required=False, max_length=200)
    findings = forms.CharField(label=_("检查发现"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    problem_found = forms.BooleanField(label=_("发现问题"), required=False)

    def __init__(self, *args, user=None, campaigns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = _county_choices(user)  # type: ignore[attr-defined]
        self.fields["campaign"].choices = [("", "—")] + [(str(c.pk), c.name) for c in campaigns]  # type: ignore[attr-defined]

    def clean_credit_code(self):
        return nfkc(self.cleaned_data.get("credit_code") or "").upper()
