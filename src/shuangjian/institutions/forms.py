"""Forms of the registry pages (validation messages in Chinese; business rules live in services)."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shuangjian.common.rules import RULES
from shuangjian.common.text import yuan_to_fen

from .choices import (
    Audience,
    BackgroundCheck,
    Category,
    ClassSize,
    Grade,
    MaterialKind,
    Mode,
    Nature,
    StaffRole,
)
from .models import Practitioner
from .services import ACTIONS
from .validation import EARLIEST_DATE, SESSION_DAYS_AHEAD, date_bound_error


class BoundedDateField(forms.DateField):
    """A date from 1980-01-01 (validation.EARLIEST_DATE) to today + ``days_ahead`` (None: no upper bound)."""

    def __init__(self, *args, days_ahead: int | None = 0, **kwargs):
        self.days_ahead = days_ahead
        super().__init__(*args, **kwargs)

    def clean(self, value):
        day = super().clean(value)
        if day is not None:
            message = date_bound_error(
                day, label=str(self.label), earliest=EARLIEST_DATE, days_ahead=self.days_ahead
            )
            if message:
                raise forms.ValidationError(message)
        return day


class SiteForm(forms.Form):
    address = forms.CharField(label=_("场所地址"), max_length=300)
    floor_area_m2 = forms.DecimalField(
        label=_("建筑面积（平方米）"), min_value=0.01, max_digits=9, decimal_places=2
    )
    capacity = forms.IntegerField(label=_("同时容纳人数"), min_value=1)
    fire_safety_ok = forms.BooleanField(label=_("消防验收合格"), required=False)


class PractitionerForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(label=_("身份证号"), max_length=30, help_text=_("仅保存脱敏号码和不可逆摘要"))
    role = forms.ChoiceField(label=_("岗位"), choices=StaffRole.choices)
    subject = forms.CharField(label=_("任教科目"), max_length=50, required=False)
    teaches_subject_training = forms.BooleanField(label=_("从事学科类培训"), required=False)
    teacher_certificate = forms.CharField(label=_("教师资格证号"), max_length=40, required=False)
    professional_certificate = forms.CharField(label=_("专业能力证明"), max_length=100, required=False)
    in_service_teacher = forms.BooleanField(label=_("中小学、幼儿园在职教师"), required=False)
    background_check = forms.ChoiceField(label=_("背景核查"), choices=BackgroundCheck.choices)


class PractitionerEditForm(PractitionerForm):
    active = forms.BooleanField(label=_("在职"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["id_number"].required = False
        self.fields["id_number"].help_text = _("留空则不修改")


class ItemForm(forms.Form):
    name = forms.CharField(label=_("项目名称"), max_length=200)
    description = forms.CharField(label=_("项目简介"), widget=forms.Textarea(attrs={"rows": 3}))
    category = forms.ChoiceField(label=_("申报类别"), choices=Category.choices)
    subject_area = forms.CharField(label=_("学科/领域"), max_length=50, required=False)
    grades = forms.MultipleChoiceField(
        label=_("适用年级"), choices=Grade.choices, widget=forms.CheckboxSelectMultiple
    )
    mode = forms.ChoiceField(label=_("培训形式"), choices=Mode.choices)
    class_size = forms.ChoiceField(label=_("班型"), choices=ClassSize.choices, initial=ClassSize.MEDIUM)
    class_minutes = forms.IntegerField(label=_("每课时时长（分钟）"), min_value=1, max_value=240)
    total_hours = forms.IntegerField(label=_("总课时"), min_value=1, max_value=1000)
    price_yuan = forms.CharField(label=_("每课时价格（元）"), max_length=12)

    def clean_price_yuan(self) -> int:
        try:
            fen = yuan_to_fen(self.cleaned_data["price_yuan"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None
        if fen < 0:
            raise forms.ValidationError(_("价格不能为负"))
        return fen


class SessionForm(forms.Form):
    date = BoundedDateField(
        label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}), days_ahead=SESSION_DAYS_AHEAD
    )
    start = forms.TimeField(label=_("开始时间"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("结束时间"), widget=forms.TimeInput(attrs={"type": "time"}))
    practitioner: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("授课人员"), queryset=Practitioner.objects.none(), required=False
    )

    def __init__(self, *args, practitioners=None, **kwargs):
        super().__init__(*args, **kwargs)
        field: Any = self.fields["practitioner"]
        field.queryset = practitioners


class RegisterForm(forms.Form):
    """A regulator registers an institution about to apply, or records a closed unlicensed operator."""

    kind = forms.ChoiceField(
        label=_("登记类型"),
        choices=[
            ("APPLICANT", _("申办机构（申请中）")),
            ("UNLICENSED", _("无证机构取缔（列入黑名单）")),
        ],
    )
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=30)
    name = forms.CharField(label=_("机构名称"), max_length=200)
    county = forms.ChoiceField(label=_("所在区县"))
    address = forms.CharField(label=_("地址"), max_length=300, required=False)
    nature = forms.ChoiceField(label=_("办学性质"), required=False, choices=[("", "—"), *Nature.choices])
    category = forms.ChoiceField(label=_("培训类别"), required=False, choices=[("", "—"), *Category.choices])
    reason = forms.CharField(label=_("取缔原因（无证机构必填）"), max_length=300, required=False)

    def __init__(self, *args, counties=(), **kwargs):
        super().__init__(*args, **kwargs)
        field: Any = self.fields["county"]
        field.choices = [(c.code, c.full_name) for c in counties]


class TransitionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("操作"),
        choices=[(k, v[0]) for k, v in ACTIONS.items() if k != "approve"],
        error_messages={"required": _("请选择操作"), "invalid_choice": _("请选择有效的操作")},
    )
    on = BoundedDateField(label=_("日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("原因"), max_length=300, required=False)


class ParticularsForm(forms.Form):
    """A dated change of registered particulars (登记事项变更): rename and/or fund supervision."""

    on = BoundedDateField(
        label=_("变更日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("请填写变更日期")},
    )
    name = forms.CharField(label=_("新机构名称"), max_length=200, required=False)
    fund_supervised = forms.ChoiceField(
        label=_("纳入资金监管"),
        required=False,
        choices=[("", _("不变")), ("1", _("是")), ("0", _("否"))],
    )
    reason = forms.CharField(
        label=_("原因/依据"), max_length=300, error_messages={"required": _("请填写原因")}
    )

    def clean(self):
        data = super().clean()
        if not (data.get("name") or "").strip() and data.get("fund_supervised") in (None, ""):
            raise forms.ValidationError(_("请填写新机构名称或选择资金监管状态"))
        return data


class ApplicationForm(forms.Form):
    category = forms.ChoiceField(label=_("申请培训类别"), choices=Category.choices)
    mode = forms.ChoiceField(label=_("培训形式"), choices=Mode.choices)
    audiences = forms.MultipleChoiceField(
        label=_("服务对象"), choices=Audience.choices, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(
        label=_("申请说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in MaterialKind.choices:
            self.fields[f"material_{kind}"] = forms.FileField(
                label=label, required=False, help_text=_("PDF、JPG 或 PNG，不超过 10 MB")
            )

    def materials(self) -> list[tuple[str, str, bytes]]:
        out = []
        for kind in MaterialKind.values:
            upload = self.cleaned_data.get(f"material_{kind}")
            if upload:
                out.append((kind, upload.name, upload.read()))
        return out


class ResubmitForm(ApplicationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("category", "mode", "audiences"):
            del self.fields[name]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核意见"),
        choices=[
            ("approve", _("批准")),
            ("request_changes", _("要求补正")),
            ("reject", _("不予批准")),
        ],
        error_messages={
            "required": _("请选择“批准”“要求补正”或“不予批准”"),
            "invalid_choice": _("“%(value)s”不是有效的审核意见，请选择“批准”“要求补正”或“不予批准”"),
        },
    )
    reason = forms.CharField(label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("机构名册文件（.csv 或 .xlsx）"))
    skip_invalid = forms.BooleanField(label=_("跳过错误行，导入其余行"), required=False)


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("处理说明"), max_length=300)


class RuleParameterForm(forms.Form):
    """The provincial regulator sets a rule parameter (JSON value of the declared default's type)."""

    key = forms.ChoiceField(label=_("参数"))
    region = forms.CharField(label=_("适用区域代码（留空为全省）"), max_length=6, required=False)
    value = forms.CharField(label=_("取值（JSON）"), widget=forms.Textarea(attrs={"rows": 3}))
    note = forms.CharField(label=_("说明/依据"), max_length=300, required=False)

    def __init__(self, *args, keys=(), **kwargs):
        super().__init__(*args, **kwargs)
        field: Any = self.fields["key"]
        field.choices = [(k, f"{k} {RULES[k].title}") for k in keys]

    def clean(self):
        data: dict[str, Any] = super().clean() or {}
        key = data.get("key")
        raw = data.get("value")
        if key and raw is not None:
            try:
                value = json.loads(raw)
            except json.JSONDecodeError:
                raise forms.ValidationError(_("取值不是有效的 JSON")) from None
            default = RULES[key].default
            numeric = (int, float)
            same = isinstance(value, type(default)) or (
                isinstance(default, numeric) and isinstance(value, numeric) and not isinstance(value, bool)
            )
            if not same:
                raise forms.ValidationError(
                    _("取值类型应与默认值一致（默认值：%s）") % json.dumps(default, ensure_ascii=False)
                )
            data["value"] = value
        region = (data.get("region") or "").strip()
        if region:
            from shuangjian.regions.models import Region

            if not Region.objects.filter(code=region).exists():
                raise forms.ValidationError(_("未知的区划代码"))
        data["region"] = region
        return data
