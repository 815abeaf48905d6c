"""Forms of the reports area: the public form, regulator registration and the handling steps."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shuangjian.accounts.choices import Role
from shuangjian.common.codes import CreditCodeError, credit_code_normalize
from shuangjian.common.text import nfkc
from shuangjian.institutions.models import Institution
from shuangjian.regions.models import Region, RegionLevel

from .choices import ActionKind, ReportType, Source
from .routing import county_choices, resolve_county
from .validation import date_bound_error

MAX_DESCRIPTION = 2000
PHONE_RE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8}|\d{7,8})$")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file input accepting several files; returns the list (validated by the view, by content)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*", "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [f for f in files if f]


def _county_field(required: bool, label, prefix: str | None = None) -> forms.ChoiceField:
    groups = county_choices()
    if prefix:
        groups = [(city, [c for c in items if c[0].startswith(prefix)]) for city, items in groups]
        groups = [(city, items) for city, items in groups if items]
    return forms.ChoiceField(label=label, required=required, choices=[("", _("— 请选择区县 —")), *groups])


def _clean_phone(value: str) -> str:
    phone = nfkc(value).replace(" ", "")
    if phone and not PHONE_RE.match(phone):
        raise forms.ValidationError(_("请填写11位手机号或固定电话（如 0731-12345678）"))
    return phone


class ReportFieldsMixin(forms.Form):
    """Fields the public form and the regulator registration share."""

    report_type = forms.ChoiceField(label=_("举报类型"), choices=[("", _("— 请选择 —")), *ReportType.choices])
    description = forms.CharField(
        label=_("举报内容"),
        min_length=10,
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(
            attrs={
                "rows": 5,
                "maxlength": MAX_DESCRIPTION,
                "placeholder": _("时间、地点、机构或人员、具体情况（至少10个字）"),
            }
        ),
    )
    place = forms.CharField(
        label=_("地点"),
        max_length=200,
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": _("如：长沙市芙蓉区五一大道100号"), "autocomplete": "street-address"}
        ),
    )
    institution = forms.IntegerField(required=False, widget=forms.HiddenInput)
    institution_text = forms.CharField(
        label=_("被举报机构"),
        max_length=200,
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": _("输入名称或统一社会信用代码搜索，也可直接填写"), "autocomplete": "off"}
        ),
    )
    phone = forms.CharField(
        label=_("联系电话（选填，用于回访）"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    photos = MultipleFileField(label=_("照片（最多9张）"), required=False)

    county_scope: str | None = None

    def clean_phone(self) -> str:
        return _clean_phone(self.cleaned_data.get("phone", ""))

    def clean_institution(self) -> Institution | None:
        pk = self.cleaned_data.get("institution")
        if not pk:
            return None
        return Institution.objects.filter(pk=pk).first()

    def clean_institution_text(self) -> str:
        return self.cleaned_data.get("institution_text", "").strip()

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        county = data.get("county") or ""
        place = (data.get("place") or "").strip()
        if not county:
            if not place:
                self.add_error("county", _("请填写地点或选择所在区县"))
            else:
                resolution = resolve_county(place)
                if resolution.county is not None and (
                    self.county_scope is None or resolution.county.code.startswith(self.county_scope)
                ):
                    county = resolution.county.code
                elif resolution.candidates:
                    names = "、".join(c.name for c in resolution.candidates[:8])
                    self.add_error(
                        "county", _("地址对应多个区县（%(names)s），请选择所在区县") % {"names": names}
                    )
                else:
                    self.add_error("county", _("无法从地址识别所在区县，请选择区县"))
        data["county_code"] = county
        institution = data.get("institution")
        text = data.get("institution_text", "")
        if institution is not None and text and text not in (institution.name, institution.credit_code):
            # The reporter edited the box after picking: keep what they typed, drop the pick.
            data["institution"] = None
        if data.get("institution") is None and text:
            try:
                code = credit_code_normalize(text)
            except CreditCodeError:
                code = ""
            if code:
                data["institution"] = Institution.objects.filter(credit_code=code).first()
                data["institution_credit_code"] = code if data["institution"] is None else ""
        return data


class PublicReportForm(ReportFieldsMixin):
    """The public 随手拍 form (no login). ``challenge`` is asked after repeated submissions."""

    county = forms.ChoiceField(required=False, choices=[])
    website = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"})
    )
    challenge = forms.CharField(
        label=_("验证题"),
        required=False,
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    field_order = [
        "report_type",
        "description",
        "photos",
        "place",
        "county",
        "institution_text",
        "institution",
        "phone",
        "challenge",
        "website",
    ]

    def __init__(self, *args: Any, challenge_answer: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["county"] = _county_field(False, _("所在区县（地址无法识别时选择）"))
        self.order_fields(self.field_order)
        self.challenge_answer = challenge_answer
        if challenge_answer is None:
            del self.fields["challenge"]
        else:
            self.fields["challenge"].required = True

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("提交无效"))
        return ""

    def clean_challenge(self) -> str:
        value = nfkc(self.cleaned_data.get("challenge", ""))
        if self.challenge_answer is None:
            return value
        if value != str(self.challenge_answer):
            raise forms.ValidationError(_("验证题答案不正确，请重新计算"))
        return value


class RegisterReportForm(ReportFieldsMixin):
    """A regulator registers a report from the phone, e-mail/web, 部转 or 督查 channels."""

    source = forms.ChoiceField(
        label=_("来源"), choices=[c for c in Source.choices if c[0] != Source.SNAPSHOT]
    )
    received_at = forms.DateTimeField(
        label=_("受理时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )

    county = forms.ChoiceField(required=False, choices=[])
    field_order = [
        "source",
        "received_at",
        "report_type",
        "description",
        "place",
        "county",
        "institution_text",
        "institution",
        "phone",
        "photos",
    ]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        prefix = None if user.is_superuser or not user.region_id else user.region.subtree_prefix
        if prefix and len(prefix) == 2:
            prefix = None
        self.county_scope = prefix
        self.fields["county"] = _county_field(False, _("承办区县"), prefix)
        if user.region_id and user.region.level == RegionLevel.COUNTY:
            self.fields["county"].initial = user.region_id
        self.fields["received_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        self.order_fields(self.field_order)

    def clean_received_at(self) -> dt.datetime:
        """受理时间: not before 2000-01-01, not after today (Shanghai)."""
        value: dt.datetime = self.cleaned_data["received_at"]
        message = date_bound_error(timezone.localdate(value), label=str(_("受理时间")))
        if message:
            raise forms.ValidationError(message)
        return value


class JudgeForm(forms.Form):
    valid = forms.TypedChoiceField(
        label=_("研判结论"),
        coerce=lambda v: v == "1",
        choices=[("1", _("有效线索")), ("0", _("无效（不予立项）"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("研判理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(forms.Form):
    handler: forms.ModelChoiceField = forms.ModelChoiceField(label=_("承办人"), queryset=None)  # type: ignore[arg-type]

    def __init__(self, *args: Any, county: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from shuangjian.accounts.models import User

        self.fields["handler"].queryset = User.objects.filter(role=Role.COUNTY, region=county, is_active=True)  # type: ignore[attr-defined]


class ActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("处置措施"), choices=ActionKind.choices)
    taken_on = forms.DateField(
        label=_("日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%Y/%m/%d"],
    )
    note = forms.CharField(label=_("情况说明"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    case_ref = forms.CharField(label=_("立案编号（立案查处时必填）"), max_length=60, required=False)

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if data.get("kind") == ActionKind.CASE_OPENED and not (data.get("case_ref") or "").strip():
            self.add_error("case_ref", _("立案查处须填写立案编号"))
        return data


class CloseForm(forms.Form):
    result = forms.CharField(
        label=_("办理结果（举报人可见）"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class MergeForm(forms.Form):
    prefix = "merge"
    primary_number = forms.CharField(label=_("并入的线索编号"), max_length=40)
    reason = forms.CharField(label=_("并案理由"), max_length=200, required=False)


class RerouteForm(forms.Form):
    prefix = "reroute"
    county = forms.ChoiceField(label=_("改派至区县"))
    reason = forms.CharField(label=_("改派理由"), max_length=200)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        prefix = None
        if user.region_id and user.role in (Role.CITY, Role.PROVINCE) and len(user.region.subtree_prefix) > 2:
            prefix = user.region.subtree_prefix
        self.fields["county"] = _county_field(True, _("改派至区县"), prefix)


class TrackForm(forms.Form):
    number = forms.CharField(
        label=_("线索编号"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    code = forms.CharField(
        label=_("查询码"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
