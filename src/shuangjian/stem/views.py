"""Pages of STEM education (STEM教育).

Regulators: rural reach of their region drilled province → city → county → school, with the counties
below target, courses, the review queue for their level, competitions and research projects. School
staff: their courses (file, edit, upload materials, submit), research projects. The public: the course
library of 省级优秀STEM课程 (no login, phone layout) with adoption counts; a logged-in school adopts.
Every record is read through ``Model.objects.visible_to(request.user)``; a foreign one is 404. No
view writes on GET.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View

from shuangjian.common.exporting import xlsx_response
from shuangjian.common.importing import ImportFileError, parse_date
from shuangjian.common.kpicards import kpi_cards, kpi_values
from shuangjian.common.scoping import user_region_prefix
from shuangjian.regions.models import Region, RegionLevel
from shuangjian.schools.models import School

from .forms import CourseForm, ImportForm, MaterialForm, ResearchForm, ReviewForm
from .importers import StemCourseImporter, template_workbook
from .models import (
    Carrier,
    Competition,
    CompetitionEntry,
    CourseMaterial,
    CourseState,
    ResearchProject,
    Stage,
    StemCourse,
)
from .selectors import REACH_DEFINITION, library, reach_for, reach_rows, review_queue
from .services import (
    DECISIONS,
    EDITABLE_STATES,
    RESEARCH_ACTIONS,
    StemError,
    can_review_research,
    course_adopt,
    course_register,
    course_review,
    course_standard_gaps,
    course_submit,
    course_update,
    material_add,
    research_apply,
    research_transition,
    reviewer_level,
)

PROVINCE_CODE = "430000"
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def _as_of(request) -> dt.date:
    try:
        return parse_date(request.GET["as_of"]) if request.GET.get("as_of") else timezone.localdate()
    except ValueError:
        return timezone.localdate()


def _is_school_staff(user) -> bool:
    return bool(getattr(user, "school_id", None)) and not user.is_regulator


def _home_region(user) -> Region:
    if user.is_regulator and user.region_id:
        return user.region
    if user.is_superuser:
        return Region.objects.get(code=PROVINCE_CODE)
    raise PermissionDenied(_("只有教育行政部门可以查看区域统计"))


def _visible_region(user, code: str) -> Region:
    prefix = user_region_prefix(user)
    region = Region.objects.filter(code=code).first()
    if region is None or prefix is None or not region.code.startswith(prefix):
        raise Http404
    return region


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


# --- regulators' overview -----------------------------------------------------------------------------
class IndexView(View):
    """School staff go to their courses; regulators see the rural reach of their region."""

    def get(self, request):
        if _is_school_staff(request.user):
            return redirect("stem:courses")
        return RegionView().render_region(request, _home_region(request.user))


class RegionView(View):
    """Rural reach of a region with one row per unit below it (city, county, school); ``?format=xlsx``."""

    def get(self, request, code: str):
        return self.render_region(request, _visible_region(request.user, code))

    def render_region(self, request, region: Region):
        as_of = _as_of(request)
        result = reach_for(user=request.user, region_code=region.code, as_of=as_of)
        rows = reach_rows(result, region)
        if request.GET.get("format") == "xlsx":
            headers = [
                _("代码"),
                _("名称"),
                _("乡村学校数"),
                _("其中开设STEM课程"),
                _("农村开设率"),
                _("城区开设率"),
                _("镇区开设率"),
                _("城乡差距"),
                _("开设课程数"),
                _("覆盖学生数"),
            ]
            data = [
                [
                    r.key,
                    r.label,
                    r.reach.rural_schools,
                    r.reach.rural_offering,
                    r.reach.rural_rate,
                    r.reach.urban_rate,
                    r.reach.town_rate,
                    r.reach.gap,
                    r.reach.courses,
                    r.reach.pupils,
                ]
                for r in rows
            ]
            return xlsx_response(
                f"STEM农村覆盖_{region.name}_{as_of}.xlsx", headers, data, title=_("STEM教育")
            )
        ids = [
            "stem.courses.offered",
            "stem.courses.recognised",
            "stem.rural.coverage_rate",
            "stem.urban.coverage_rate",
            "stem.rural.gap",
            "stem.pupils_reached",
            "stem.rural.counties_below_target",
            "stem.awards",
            "stem.research.projects",
            "stem.courses.adoptions",
            "stem.reviews.overdue",
        ]
        cards = kpi_cards(ids, user=request.user, as_of=as_of, region_code=region.code)
        by_carrier = kpi_values(
            ["stem.courses.by_carrier", "stem.courses.by_stage"],
            user=request.user,
            as_of=as_of,
            region_code=region.code,
        )
        prefix = user_region_prefix(request.user) or ""
        below = [(Region.objects.get(code=c), r, t) for c, r, t in result.counties_below_target()]
        chart = {
            "names": [r.label for r in rows if r.drill],
            "rural": [
                None if r.reach.rural_rate is None else round(r.reach.rural_rate * 100, 1)
                for r in rows
                if r.drill
            ],
            "urban": [
                None if r.reach.urban_rate is None else round(r.reach.urban_rate * 100, 1)
                for r in rows
                if r.drill
            ],
            "carrier": by_carrier["stem.courses.by_carrier"],
            "stage": by_carrier["stem.courses.by_stage"],
        }
        return render(
            request,
            "stem/region.html",
            {
                "region": region,
                "as_of": as_of,
                "term": result.term,
                "rows": rows,
                "cards": cards,
                "total": result.total(),
                "below": below,
                "chart": chart,
                "definition": REACH_DEFINITION,
                "crumbs": [
                    r
                    for r in region.ancestors()
                    if r.code.startswith(prefix) and len(r.subtree_prefix) >= len(prefix)
                ],
                "is_county": region.level == RegionLevel.COUNTY,
                "query": urlencode({"as_of": as_of.isoformat()}),
                "pct": _pct,
            },
        )


# --- courses --------------------------------------------------------------------------------------------
class CourseListView(View):
    """Courses the user may see, filtered by state, carrier, stage and text; ``?format=xlsx``."""

    def get(self, request):
        qs = (
            StemCourse.objects.visible_to(request.user)
            .select_related("school", "school__county")
            .annotate(n_adoptions=Count("adoptions"))
        )
        state, carrier, stage, q = (request.GET.get(k, "") for k in ("state", "carrier", "stage", "q"))
        if state in CourseState.values:
            qs = qs.filter(state=state)
        if carrier in Carrier.values:
            qs = qs.filter(carrier=carrier)
        if stage in Stage.values:
            qs = qs.filter(stage=stage)
        if q:
            qs = qs.filter(name__icontains=q) | qs.filter(school__name__icontains=q)
        qs = qs.order_by("school__county_id", "school__name", "name")
        if request.GET.get("format") == "xlsx":
            headers = [
                _("学校标识码"),
                _("学校"),
                _("区县"),
                _("课程名称"),
                _("学段"),
                _("载体"),
                _("主学科"),
                _("融合学科"),
                _("课时"),
                _("参与学生数"),
                _("开设日期"),
                _("结束日期"),
                _("状态"),
                _("被采用次数"),
            ]
            data = (
                [
                    c.school.code,
                    c.school.name,
                    c.school.county.full_name,
                    c.name,
                    c.get_stage_display(),
                    c.get_carrier_display(),
                    c.anchor_subject,
                    c.subjects,
                    c.hours,
                    c.pupils,
                    c.start_on,
                    c.end_on,
                    c.get_state_display(),
                    c.n_adoptions,
                ]
                for c in qs[:100000]
            )
            return xlsx_response("STEM课程.xlsx", headers, data, title=_("STEM课程"))
        page = Paginator(qs, 50).get_page(request.GET.get("page"))
        params = urlencode({k: v for k, v in request.GET.items() if k != "page"})
        return render(
            request,
            "stem/course_list.html",
            {
                "page": page,
                "states": CourseState.choices,
                "carriers": Carrier.choices,
                "stages": Stage.choices,
                "state": state,
                "carrier": carrier,
                "stage": stage,
                "q": q,
                "params": params,
                "is_staff": _is_school_staff(request.user),
            },
        )


def _own_school(request) -> School:
    if not _is_school_staff(request.user):
        raise PermissionDenied(_("只有学校（幼儿园）用户可以登记课程"))
    return get_object_or_404(School.objects.visible_to(request.user), pk=request.user.school_id)


class CourseCreateView(View):
    """A school registers a course with its plan (then uploads materials and submits it)."""

    def get(self, request):
        school = _own_school(request)
        return render(
            request,
            "stem/course_form.html",
            {
                "form": CourseForm(
                    initial={"start_on": timezone.localdate(), "stage": _default_stage(school)}
                ),
                "school": school,
            },
        )

    def post(self, request):
        school = _own_school(request)
        form = CourseForm(request.POST)
        if form.is_valid():
            try:
                course = course_register(actor=request.user, school=school, data=form.to_input())
            except StemError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("课程已登记。请上传课程方案等材料，再提交县级审核。"))
                return redirect("stem:course", pk=course.pk)
        return render(request, "stem/course_form.html", {"form": form, "school": school})


def _default_stage(school: School) -> str:
    return {"KINDERGARTEN": "PRESCHOOL", "JUNIOR": "JUNIOR", "SENIOR": "SENIOR"}.get(school.kind, "PRIMARY")


def _course(request, pk: int) -> StemCourse:
    return get_object_or_404(
        StemCourse.objects.visible_to(request.user).select_related(
            "school", "school__county", "adopted_from"
        ),
        pk=pk,
    )


class CourseDetailView(View):
    """One course: plan against the course standard, materials, the review trail and the actions the
    user may take (school: upload, submit; county/city/province: their decision)."""

    def get(self, request, pk: int):
        return self.render_course(request, _course(request, pk))

    def render_course(self, request, course: StemCourse, *, material_form=None, review_error: str = ""):
        from .rules import required_elements

        user = request.user
        is_staff = _is_school_staff(user) and user.school_id == course.school_id
        level = reviewer_level(user, course) if not user.is_superuser else course.pending_level
        decisions = [
            (key, spec[1], spec[2])
            for key, spec in DECISIONS.items()
            if spec[3] == course.pending_level and level == course.pending_level
        ]
        elements = [
            (title, getattr(course, field) if field != "subjects" else course.subjects)
            for field, title in required_elements(course.school.county_id)
        ]
        return render(
            request,
            "stem/course_detail.html",
            {
                "course": course,
                "materials": course.materials.all(),
                "reviews": course.reviews.select_related("actor"),
                "gaps": course_standard_gaps(course),
                "elements": elements,
                "is_staff": is_staff,
                "editable": is_staff and course.state in EDITABLE_STATES,
                "decisions": decisions,
                "material_form": material_form or MaterialForm(),
                "review_error": review_error,
                "today": timezone.localdate(),
                "adoptions": course.adoptions.count(),
                "entries": course.entries.select_related("competition"),
            },
        )


class CourseEditView(View):
    """The school edits its course while 已登记 or 退回修改."""

    def _get(self, request, pk: int) -> StemCourse:
        course = _course(request, pk)
        if not (_is_school_staff(request.user) and request.user.school_id == course.school_id):
            raise PermissionDenied(_("只有本校（园）教师可以修改本校课程"))
        return course

    def get(self, request, pk: int):
        course = self._get(request, pk)
        return render(
            request,
            "stem/course_form.html",
            {
                "form": CourseForm(initial=CourseForm.initial_from(course)),
                "school": course.school,
                "course": course,
            },
        )

    def post(self, request, pk: int):
        course = self._get(request, pk)
        form = CourseForm(request.POST)
        if form.is_valid():
            try:
                course_update(actor=request.user, course=course, data=form.to_input())
            except StemError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("课程方案已保存。"))
                return redirect("stem:course", pk=course.pk)
        return render(
            request, "stem/course_form.html", {"form": form, "school": course.school, "course": course}
        )


class CourseSubmitView(View):
    """POST: the school submits the course to the county (checked against the course standard)."""

    def post(self, request, pk: int):
        course = _course(request, pk)
        try:
            course_submit(actor=request.user, course=course, note=request.POST.get("note", ""))
        except StemError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("已提交县级审核。"))
        return redirect("stem:course", pk=course.pk)


class CourseReviewView(View):
    """POST: a reviewer's decision (pass / return / recommend / recognise / decline) with its reason."""

    def post(self, request, pk: int):
        course = _course(request, pk)
        form = ReviewForm(request.POST)
        if not form.is_valid():
            return CourseDetailView().render_course(request, course, review_error=_("请选择审核操作"))
        try:
            review = course_review(
                actor=request.user,
                course=course,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data.get("reason") or "",
            )
        except StemError as error:
            return CourseDetailView().render_course(request, course, review_error=str(error))
        messages.success(request, _("已办理：%(label)s") % {"label": review.decision_label})
        return redirect("stem:course", pk=course.pk)


class MaterialUploadView(View):
    """POST: the school uploads a plan, lesson design or photo (photos lose their metadata)."""

    def post(self, request, pk: int):
        course = _course(request, pk)
        form = MaterialForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_UPLOAD_BYTES:
                form.add_error("file", _("文件超过20 MB"))
            else:
                try:
                    material_add(
                        actor=request.user,
                        course=course,
                        kind=form.cleaned_data["kind"],
                        filename=upload.name,
                        data=upload.read(),
                        public=form.cleaned_data["public"],
                    )
                except StemError as error:
                    form.add_error("file", str(error))
                else:
                    messages.success(request, _("材料已上传。"))
                    return redirect("stem:course", pk=course.pk)
        return CourseDetailView().render_course(request, course, material_form=form)


def _serve(material: CourseMaterial, *, thumb: bool) -> FileResponse:
    stored = material.thumbnail if thumb and material.thumbnail else material.file
    ext = stored.name.rsplit(".", 1)[-1]
    response = FileResponse(
        stored.open("rb"), content_type=mimetypes.types_map.get(f".{ext}", "application/octet-stream")
    )
    name = (
        material.original_name if not material.is_image else material.original_name.rsplit(".", 1)[0] + ".jpg"
    )
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class MaterialFileView(View):
    """A course material (``?thumb=1`` for a photo's thumbnail), for users who may see the course."""

    def get(self, request, pk: int):
        material = get_object_or_404(CourseMaterial.objects.visible_to(request.user), pk=pk)
        return _serve(material, thumb=request.GET.get("thumb") == "1")


class ReviewQueueView(View):
    """Courses waiting for the user's level, oldest deadline first; overdue ones marked."""

    def get(self, request):
        if not (request.user.is_regulator or request.user.is_superuser):
            raise PermissionDenied(_("只有教育行政部门可以审核课程"))
        return render(
            request,
            "stem/reviews.html",
            {"courses": review_queue(request.user)[:500], "today": timezone.localdate()},
        )


# --- competitions ---------------------------------------------------------------------------------------
class CompetitionListView(View):
    """Competitions with the entries the user may see (an event is public; entries are scoped)."""

    def get(self, request):
        entries = CompetitionEntry.objects.visible_to(request.user).select_related(
            "competition", "school", "school__county", "course"
        )
        by_competition: dict[int, list[CompetitionEntry]] = {}
        for entry in entries.order_by("competition", "group", "group_rank", "title")[:2000]:
            by_competition.setdefault(entry.competition_id, []).append(entry)
        competitions = [(c, by_competition.get(c.pk, [])) for c in Competition.objects.all()]
        return render(request, "stem/competitions.html", {"competitions": competitions})


class CompetitionDetailView(View):
    """One competition and the entries the user may see."""

    def get(self, request, pk: int):
        competition = get_object_or_404(Competition, pk=pk)
        entries = (
            CompetitionEntry.objects.visible_to(request.user)
            .filter(competition=competition)
            .select_related("school", "school__county", "course")
        )
        return render(
            request,
            "stem/competitions.html",
            {"competitions": [(competition, list(entries))], "single": True},
        )


# --- research -------------------------------------------------------------------------------------------
class ResearchListView(View):
    def get(self, request):
        projects = ResearchProject.objects.visible_to(request.user).select_related("school", "school__county")
        return render(
            request,
            "stem/research_list.html",
            {
                "projects": projects[:1000],
                "is_staff": _is_school_staff(request.user),
            },
        )


class ResearchCreateView(View):
    """A school applies for a research project (申请立项)."""

    def get(self, request):
        school = _own_school(request)
        return render(
            request,
            "stem/research_form.html",
            {"form": ResearchForm(initial={"stage": _default_stage(school)}), "school": school},
        )

    def post(self, request):
        school = _own_school(request)
        form = ResearchForm(request.POST)
        if form.is_valid():
            try:
                project = research_apply(actor=request.user, school=school, **form.cleaned_data)
            except StemError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("课题已申报，等待立项审核。"))
                return redirect("stem:research", pk=project.pk)
        return render(request, "stem/research_form.html", {"form": form, "school": school})


def _project(request, pk: int) -> ResearchProject:
    return get_object_or_404(
        ResearchProject.objects.visible_to(request.user).select_related("school", "school__county"), pk=pk
    )


class ResearchDetailView(View):
    def get(self, request, pk: int, error: str = ""):
        project = _project(request, pk)
        user = request.user
        is_staff = _is_school_staff(user) and user.school_id == project.school_id
        reviewer = can_review_research(user, project)
        from django_fsm import can_proceed

        actions = [
            (key, label, needs_reason, text_field)
            for key, (label, who, needs_reason, text_field) in RESEARCH_ACTIONS.items()
            if can_proceed(getattr(project, key))
            and ((who == "school" and is_staff) or (who == "reviewer" and reviewer))
        ]
        history = project.history.select_related("history_user").order_by("history_date")
        return render(
            request,
            "stem/research_detail.html",
            {"project": project, "actions": actions, "error": error, "history": history},
        )


class ResearchActionView(View):
    def post(self, request, pk: int):
        project = _project(request, pk)
        try:
            research_transition(
                actor=request.user,
                project=project,
                action=request.POST.get("action", ""),
                reason=request.POST.get("reason", ""),
                text=request.POST.get("text", ""),
            )
        except StemError as error:
            return ResearchDetailView().get(request, pk, error=str(error))
        messages.success(request, _("已办理。"))
        return redirect("stem:research", pk=project.pk)


# --- import ---------------------------------------------------------------------------------------------
class ImportView(View):
    """Upload a course list (``stem-courses``); every row is checked against the uploader's scope."""

    def get(self, request):
        if not (request.user.is_regulator or request.user.is_superuser or _is_school_staff(request.user)):
            raise PermissionDenied
        return render(
            request, "stem/import.html", {"form": ImportForm(), "columns": StemCourseImporter.columns}
        )

    def post(self, request):
        if not (request.user.is_regulator or request.user.is_superuser or _is_school_staff(request.user)):
            raise PermissionDenied
        form = ImportForm(request.POST, request.FILES)
        report, error = None, ""
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = StemCourseImporter(actor=request.user).run(
                    upload.name,
                    data=upload.read(),
                    filename=upload.name,
                    skip_invalid=form.cleaned_data["skip_invalid"],
                )
            except ImportFileError as exc:
                error = str(exc)
        return render(
            request,
            "stem/import.html",
            {"form": form, "columns": StemCourseImporter.columns, "report": report, "error": error},
        )


class TemplateDownloadView(View):
    def get(self, request):
        response = HttpResponse(
            template_workbook(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote('STEM课程导入模板.xlsx')}"
        return response


# --- public library -------------------------------------------------------------------------------------
@method_decorator(login_not_required, name="dispatch")
class LibraryView(View):
    """公开课程库: 省级优秀STEM课程 anyone can read (no login), with how many schools adopted each."""

    def get(self, request):
        q, stage, carrier = (request.GET.get(k, "").strip() for k in ("q", "stage", "carrier"))
        qs = library(q, stage if stage in Stage.values else "", carrier if carrier in Carrier.values else "")
        page = Paginator(qs, 20).get_page(request.GET.get("page"))
        return render(
            request,
            "stem/library.html",
            {
                "page": page,
                "q": q,
                "stage": stage,
                "carrier": carrier,
                "stages": Stage.choices,
                "carriers": Carrier.choices,
            },
        )


@method_decorator(login_not_required, name="dispatch")
class LibraryCourseView(View):
    """A recognised course's public page (others 404): plan, rights-cleared photos, adoptions."""

    def get(self, request, key: str):
        course = get_object_or_404(library(), public_key=key)
        materials = course.materials.filter(public=True)
        user = request.user
        can_adopt = bool(
            getattr(user, "is_authenticated", False)
            and _is_school_staff(user)
            and user.school_id != course.school_id
            and not StemCourse.objects.filter(school_id=user.school_id, adopted_from=course).exists()
        )
        return render(
            request,
            "stem/library_course.html",
            {
                "course": course,
                "photos": [m for m in materials if m.is_image],
                "documents": [m for m in materials if not m.is_image],
                "can_adopt": can_adopt,
                "entries": course.entries.select_related("competition"),
            },
        )


@method_decorator(login_not_required, name="dispatch")
class LibraryMaterialView(View):
    """A rights-cleared material of a recognised course (public)."""

    def get(self, request, pk: int):
        material = get_object_or_404(
            CourseMaterial.objects.filter(public=True, course__state=CourseState.RECOGNISED), pk=pk
        )
        return _serve(material, thumb=request.GET.get("thumb") == "1")


class LibraryAdoptView(View):
    """POST: a logged-in school adopts a recognised course (its own copy, counted as an adoption)."""

    def post(self, request, key: str):
        course = get_object_or_404(library(), public_key=key)
        try:
            copy = course_adopt(actor=request.user, course=course)
        except StemError as error:
            messages.error(request, str(error))
            return redirect("stem:library_course", key=key)
        messages.success(request, _("已采用该课程，可在本校课程中调整后开设。"))
        return redirect("stem:course", pk=copy.pk)
