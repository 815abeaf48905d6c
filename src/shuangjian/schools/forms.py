"""Forms of the school staff's pages (作业公示, 课后服务周报, 考试备案) and the period filter."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .checks import monday_of
from .importers import IMPORTER_CLASSES
from .models import GRADE_LABELS, ExamKind

MAX_PERIOD_DAYS = 366


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The last complete week (Monday–Sunday) before the current one."""
    today = today or timezone.localdate()
    start = monday_of(today) - dt.timedelta(days=7)
    return start, start + dt.timedelta(days=6)


class PeriodForm(forms.Form):
    """``?from=YYYY-MM-DD&to=YYYY-MM-DD`` (both inclusive, at most 366 days)."""

    date_from = forms.DateField(
        label=_("开始日期"), required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("结束日期"), required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        start, end = default_period()
        data["date_from"] = data.get("date_from") or start
        data["date_to"] = data.get("date_to") or (
            end if not self.data.get("date_from") else data["date_from"]
        )
        if data["date_to"] < data["date_from"]:
            raise forms.ValidationError(_("结束日期不能早于开始日期"))
        if (data["date_to"] - data["date_from"]).days >= MAX_PERIOD_DAYS:
            raise forms.ValidationError(_("统计期间最长366天"))
        return data


def period_from_request(request) -> tuple[dt.date, dt.date, PeriodForm]:
    """(from, to, bound form) from the query string; the default period when it is invalid."""
    form = PeriodForm({"date_from": request.GET.get("from", ""), "date_to": request.GET.get("to", "")})
    if form.is_valid():
        return form.cleaned_data["date_from"], form.cleaned_data["date_to"], form
    start, end = default_period()
    return start, end, form


class HomeworkDayForm(forms.Form):
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    note = forms.CharField(label=_("备注"), max_length=300, required=False)


class HomeworkItemForm(forms.Form):
    subject = forms.CharField(label=_("学科"), max_length=20, required=False)
    content = forms.CharField(
        label=_("作业内容"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    minutes = forms.IntegerField(label=_("预计时长（分钟）"), min_value=0, max_value=300, required=False)
    is_written = forms.BooleanField(label=_("书面作业"), required=False, initial=True)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("subject") and data.get("minutes") is None:
            self.add_error("minutes", _("请填写预计时长"))
        if data.get("subject") and not data.get("content"):
            self.add_error("content", _("请填写作业内容"))
        if not data.get("subject") and (data.get("content") or data.get("minutes")):
            self.add_error("subject", _("请填写学科"))
        return data


HomeworkItemFormSet = forms.formset_factory(HomeworkItemForm, extra=0, min_num=6, max_num=12)


class AfterSchoolForm(forms.Form):
    week = forms.DateField(
        label=_("所在周（任一日期）"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    days_offered = forms.IntegerField(label=_("开展天数"), min_value=0, max_value=7)
    hours_per_day = forms.DecimalField(
        label=_("每天时长（小时）"), min_value=0, max_value=12, decimal_places=1
    )
    end_time = forms.TimeField(
        label=_("结束时间"), widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"})
    )
    students_enrolled = forms.IntegerField(label=_("参加学生数"), min_value=0)
    students_requested = forms.IntegerField(label=_("申请学生数"), min_value=0)
    staff_count = forms.IntegerField(label=_("参与教职工数"), min_value=0)
    external_staff_count = forms.IntegerField(label=_("校外人员数"), min_value=0, initial=0)
    fee_yuan = forms.DecimalField(label=_("收费金额（元）"), min_value=0, decimal_places=2, initial=0)
    subsidy_yuan = forms.DecimalField(label=_("财政补助（元）"), min_value=0, decimal_places=2, initial=0)
    note = forms.CharField(label=_("备注"), max_length=300, required=False)
    science_days = forms.IntegerField(
        label=_("其中开展科普/STEM活动的天数"), min_value=0, max_value=7, initial=0, required=False
    )
    science_activities = forms.CharField(
        label=_("科普/STEM活动"),
        max_length=300,
        required=False,
        help_text=_("如：无人机编程、植物观察、科技馆研学"),
    )
    science_resources = forms.CharField(
        label=_("使用的科普资源"),
        max_length=200,
        required=False,
        help_text=_("如：科普教育基地、科技馆、合作企业、高校实验室"),
    )


class ExamForm(forms.Form):
    grade = forms.TypedChoiceField(label=_("年级"), coerce=int, choices=[])
    kind = forms.ChoiceField(label=_("考试类型"), choices=ExamKind.choices)
    name = forms.CharField(label=_("考试名称"), max_length=100)
    held_on = forms.DateField(
        label=_("考试日期"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    subjects = forms.CharField(label=_("科目"), max_length=200, required=False)
    is_written = forms.BooleanField(label=_("纸笔考试"), required=False, initial=True)

    def __init__(self, *args, grades=range(1, 10), **kwargs):
        super().__init__(*args, **kwargs)
        grade_field = self.fields["grade"]
        assert isinstance(grade_field, forms.ChoiceField)
        grade_field.choices = [(g, GRADE_LABELS[g]) for g in grades]


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("报表类型"), choices=[(k, c.title) for k, c in IMPORTER_CLASSES.items()])
    file = forms.FileField(label=_("文件（.xlsx 或 .csv）"))
    skip_invalid = forms.BooleanField(label=_("跳过错误行，导入其余行"), required=False)
