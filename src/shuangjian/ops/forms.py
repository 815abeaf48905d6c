"""Forms of the background-work pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shuangjian.common.importing import MAX_IMPORT_BYTES


class BackgroundImportForm(forms.Form):
    """Upload of any import kind the user may use (choices from ``import_kinds_for``)."""

    kind = forms.ChoiceField(label=_("数据类型"))
    file = forms.FileField(label=_("文件（.xlsx 或 .csv）"))
    skip_invalid = forms.BooleanField(label=_("跳过错误行，导入其余行"), required=False)

    def __init__(self, *args: Any, kinds: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ChoiceField)
        kind_field.choices = list(kinds.items())

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("不支持的文件类型：请上传 .csv 或 .xlsx 文件"))
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("文件过大（上限 200 MB）"))
        return upload


class WeeklyTaskForm(forms.Form):
    """Week (ISO, 2023-W22) and region of a weekly report to generate in the background."""

    week = forms.RegexField(
        label=_("周次"),
        regex=r"^\d{4}-W\d{2}$",
        max_length=8,
        error_messages={"invalid": _("周次格式应为 2023-W22")},
    )
    region = forms.RegexField(label=_("区域"), regex=r"^\d{6}$", required=False)
