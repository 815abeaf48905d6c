"""Forms of the co-governance pages (Chinese labels; choices limited to the user's region)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shuangjian.complaints.choices import ReportType
from shuangjian.regions.models import Region, RegionLevel

from .models import PublicityKind, SupervisorField, TaskKind

DATE = forms.DateInput(attrs={"type": "date"})
#: The levels a supervisor or an evaluation region may be of.
ALL_LEVELS = (RegionLevel.PROVINCE, RegionLevel.PREFECTURE, RegionLevel.COUNTY)


def regions_for(user: Any, *, levels: tuple[str, ...]) -> list[tuple[str, str]]:
    """(code, full name) of regions of ``levels`` inside the user's subtree."""
    qs = Region.objects.filter(level__in=levels).order_by("code")
    if not user.is_superuser and user.region_id:
        qs = qs.filter(code__startswith=user.region.subtree_prefix)
    return [(r.code, r.full_name) for r in qs]


class SupervisorAppointForm(forms.Form):
    number = forms.CharField(label=_("聘书编号"), max_length=40)
    name = forms.CharField(label=_("姓名"), max_length=50)
    region = forms.ChoiceField(label=_("选聘区域（决定层级）"))
    field = forms.ChoiceField(label=_("监督领域"), choices=SupervisorField.choices)
    work_unit = forms.CharField(label=_("工作单位/身份"), max_length=200, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    term_start = forms.DateField(label=_("聘期开始"), widget=DATE)
    term_end = forms.DateField(label=_("聘期结束（空则按规则参数聘期）"), widget=DATE, required=False)
    source = forms.CharField(label=_("选聘依据"), max_length=200, required=False)
    username = forms.CharField(label=_("登录名（可选，开通社会监督员账号）"), max_length=150, required=False)
    password = forms.CharField(
        label=_("初始密码"), widget=forms.PasswordInput(render_value=True), required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = regions_for(user, levels=ALL_LEVELS)  # type: ignore[attr-defined]
        if user.region_id:
            self.fields["region"].initial = user.region_id
        self.fields["term_start"].initial = timezone.localdate()


class SupervisorEndForm(forms.Form):
    ended_on = forms.DateField(label=_("离任日期"), widget=DATE)
    reason = forms.CharField(label=_("原因"), max_length=200)
    dismiss = forms.BooleanField(label=_("解聘（否则为聘期届满）"), required=False)


class SupervisorRenewForm(forms.Form):
    number = forms.CharField(label=_("新聘书编号"), max_length=40)
    term_start = forms.DateField(label=_("新聘期开始"), widget=DATE)
    term_end = forms.DateField(label=_("新聘期结束（可空）"), widget=DATE, required=False)


class TaskAssignForm(forms.Form):
    kind = forms.ChoiceField(label=_("任务类型"), choices=TaskKind.choices)
    title = forms.CharField(label=_("任务名称"), max_length=200)
    county = forms.ChoiceField(label=_("督查区县"))
    institution_code = forms.CharField(
        label=_("督查机构的统一社会信用代码（可选）"), max_length=18, required=False
    )
    school_code = forms.CharField(label=_("督查学校标识码（可选）"), max_length=20, required=False)
    instructions = forms.CharField(
        label=_("任务要求"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, user: Any, supervisor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        prefix = supervisor.region.subtree_prefix
        county_field: Any = self.fields["county"]
        county_field.choices = [
            c for c in regions_for(user, levels=(RegionLevel.COUNTY,)) if c[0].startswith(prefix)
        ]


class TaskCompleteForm(forms.Form):
    summary = forms.CharField(label=_("督查情况"), widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=300)


class FindingForm(forms.Form):
    report_type = forms.ChoiceField(label=_("问题类型"), choices=ReportType.choices)
    description = forms.CharField(
        label=_("发现的问题"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    institution_text = forms.CharField(label=_("涉及机构（名称）"), max_length=200, required=False)


class UnitAddForm(forms.Form):
    name = forms.CharField(label=_("单位名称"), max_length=100)
    region = forms.ChoiceField(label=_("协调小组所在区域"))
    joined_on = forms.DateField(label=_("加入日期"), widget=DATE)
    source = forms.CharField(label=_("依据"), max_length=300)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = regions_for(user, levels=ALL_LEVELS)  # type: ignore[attr-defined]
        self.fields["joined_on"].initial = timezone.localdate()


class DutyForm(forms.Form):
    text = forms.CharField(label=_("职责"), max_length=300)
    source = forms.CharField(label=_("依据"), max_length=300, required=False)


class CoordinationTaskForm(forms.Form):
    title = forms.CharField(label=_("任务"), max_length=200)
    detail = forms.CharField(label=_("任务要求"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    working_days = forms.IntegerField(
        label=_("办理时限（工作日，空则按规则参数）"), min_value=1, max_value=250, required=False
    )


class ProgressForm(forms.Form):
    percent = forms.IntegerField(label=_("完成进度（%）"), min_value=0, max_value=100)
    text = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 3}))


class ScoreForm(forms.Form):
    indicator = forms.ChoiceField(label=_("指标"))
    percent = forms.IntegerField(label=_("得分率（%）"), min_value=0, max_value=100)
    finding = forms.CharField(label=_("督查发现（评分依据）"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, indicators: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        label = _("%(code)s %(name)s（%(weight)s分）")
        choices = [(i.pk, label % {"code": i.code, "name": i.name, "weight": i.weight}) for i in indicators]
        self.fields["indicator"].choices = choices  # type: ignore[attr-defined]


class RectificationForm(forms.Form):
    issue = forms.CharField(label=_("问题"), widget=forms.Textarea(attrs={"rows": 3}))


class RectificationReportForm(forms.Form):
    report = forms.CharField(label=_("整改报告"), widget=forms.Textarea(attrs={"rows": 3}))


class PublicityForm(forms.Form):
    kind = forms.ChoiceField(label=_("形式"), choices=PublicityKind.choices)
    title = forms.CharField(label=_("名称"), max_length=200)
    partner = forms.CharField(label=_("合作媒体/单位"), max_length=200, required=False)
    held_on = forms.DateField(label=_("日期"), widget=DATE)
    count = forms.IntegerField(label=_("数量（期/篇/条）"), min_value=1, initial=1)
    region = forms.ChoiceField(label=_("区域"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_field: Any = self.fields["region"]
        region_field.choices = regions_for(
            user, levels=(RegionLevel.PROVINCE, RegionLevel.PREFECTURE, RegionLevel.COUNTY)
        )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("文件（.xlsx 或 .csv）"))
