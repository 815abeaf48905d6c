"""Forms of the STEM pages: a course with its plan, a material, a review decision, a research project."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Carrier, MaterialKind, ResourceKind, Stage
from .services import CourseInput, split_subjects

DATE = {"type": "date"}


class CourseForm(forms.Form):
    """A course's registry fields and its plan (the elements of the course standard)."""

    name = forms.CharField(label=_("课程名称"), max_length=200)
    stage = forms.ChoiceField(label=_("学段"), choices=Stage.choices)
    carrier = forms.ChoiceField(label=_("载体"), choices=Carrier.choices)
    anchor_subject = forms.CharField(
        label=_("主学科"), max_length=20, help_text=_("如：语文、科学；幼儿园可填“游戏活动”")
    )
    subjects = forms.CharField(
        label=_("融合学科"), max_length=200, help_text=_("用顿号分隔，如：数学、科学、美术")
    )
    hours = forms.IntegerField(label=_("课时（每学期）"), min_value=1, max_value=400)
    grades = forms.CharField(label=_("适用年级"), max_length=60, required=False)
    teachers = forms.CharField(label=_("授课教师"), max_length=200, required=False)
    pupils = forms.IntegerField(label=_("参与学生数"), min_value=0, initial=0)
    in_after_school = forms.BooleanField(label=_("纳入课后服务"), required=False)
    resource_kinds = forms.MultipleChoiceField(
        label=_("使用的资源类型"),
        choices=ResourceKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    resources = forms.CharField(
        label=_("资源名称"), max_length=300, required=False, help_text=_("如：湘西州科技馆、株洲中车合作企业")
    )
    start_on = forms.DateField(label=_("开设日期"), widget=forms.DateInput(format="%Y-%m-%d", attrs=DATE))
    end_on = forms.DateField(
        label=_("结束日期"), required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs=DATE)
    )
    summary = forms.CharField(
        label=_("课程简介"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    objectives = forms.CharField(
        label=_("课程目标"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    problem = forms.CharField(
        label=_("真实问题或项目"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    activities = forms.CharField(
        label=_("探究、设计与制作环节"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    evaluation = forms.CharField(
        label=_("评价方式"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    safety = forms.CharField(
        label=_("安全预案"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def to_input(self) -> CourseInput:
        d = self.cleaned_data
        return CourseInput(
            name=d["name"],
            stage=d["stage"],
            carrier=d["carrier"],
            anchor_subject=d["anchor_subject"],
            subjects=split_subjects(d["subjects"]),
            hours=d["hours"],
            start_on=d["start_on"],
            end_on=d.get("end_on"),
            grades=d.get("grades") or "",
            teachers=d.get("teachers") or "",
            pupils=d.get("pupils") or 0,
            in_after_school=bool(d.get("in_after_school")),
            resource_kinds=list(d.get("resource_kinds") or []),
            resources=d.get("resources") or "",
            summary=d.get("summary") or "",
            objectives=d.get("objectives") or "",
            problem=d.get("problem") or "",
            activities=d.get("activities") or "",
            evaluation=d.get("evaluation") or "",
            safety=d.get("safety") or "",
        )

    @classmethod
    def initial_from(cls, course) -> dict:
        fields = [f for f in cls.base_fields if f not in {"subjects", "resource_kinds"}]
        initial = {f: getattr(course, f) for f in fields}
        initial["subjects"] = course.subjects
        initial["resource_kinds"] = [k for k in course.resource_kinds.split(",") if k]
        return initial


class MaterialForm(forms.Form):
    kind = forms.ChoiceField(label=_("材料类型"), choices=MaterialKind.choices)
    file = forms.FileField(label=_("文件（PDF 或照片；照片自动去除拍摄位置等元数据）"))
    public = forms.BooleanField(label=_("已获肖像与版权授权，课程获认定后可在公开课程库展示"), required=False)


class ReviewForm(forms.Form):
    decision = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("意见或理由"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ResearchForm(forms.Form):
    title = forms.CharField(label=_("课题名称"), max_length=200)
    stage = forms.ChoiceField(label=_("学段"), choices=Stage.choices)
    lead = forms.CharField(label=_("课题负责人"), max_length=60)
    level = forms.ChoiceField(
        label=_("申报级别"), choices=[("省级", _("省级")), ("市级", _("市级")), ("县级", _("县级"))]
    )
    summary = forms.CharField(label=_("研究内容"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("文件（.xlsx 或 CSV，UTF-8/GBK）"))
    skip_invalid = forms.BooleanField(label=_("跳过错误行，导入其余行"), required=False)
