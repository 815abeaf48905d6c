"""Pages of co-education: the regulators' overview, parent schools and activities (scoped through
``visible_to``), and the public online parent school (网上家长学校, phone first, no login): a parent
reads a lesson and marks it completed; only a pseudonymous browser reference and the county the
parent chose are stored. GET never writes to the database.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from django_ratelimit.decorators import ratelimit

from shuangjian.common.errors import DomainError
from shuangjian.common.exporting import xlsx_response
from shuangjian.common.views import RegulatorRequiredMixin
from shuangjian.regions.models import Region, RegionLevel

from . import selectors, services
from .models import (
    ActivityKind,
    FamilyWeek,
    LessonCompletion,
    OnlineCourse,
    OnlineLesson,
    ParentActivity,
    ParentSchool,
)

LEARNER_COOKIE = "sj_learner"


class IndexView(RegulatorRequiredMixin, TemplateView):
    """家校社共育 overview for the year to date: parent schools, activities, online lessons by county."""

    template_name = "coeducation/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, today = self.request.user, timezone.localdate()
        start = today.replace(month=1, day=1)
        activities = selectors.activities_in_period(date_from=start, date_to=today, user=user)
        completions = selectors.completions_in_period(date_from=start, date_to=today, user=user)
        context.update(
            today=today,
            start=start,
            parent_schools=selectors.parent_schools_active(as_of=today, user=user).count(),
            activities=activities.count(),
            participants=selectors.participants(activities),
            family_week=FamilyWeek.objects.order_by("-year").first(),
            family_week_activities=activities.filter(family_week__isnull=False).count(),
            completions=completions.count(),
            by_county=selectors.completions_by_county(completions)[:30],
            courses=selectors.published_courses(),
        )
        return context


class ParentSchoolListView(RegulatorRequiredMixin, TemplateView):
    """Parent schools the user may see (search, kind filter); ``?format=xlsx`` exports the filtered list."""

    template_name = "coeducation/parent_schools.html"

    def queryset(self):
        g = self.request.GET
        qs = ParentSchool.objects.visible_to(self.request.user).select_related("county")
        if g.get("kind"):
            qs = qs.filter(kind=g["kind"])
        if g.get("q"):
            qs = qs.filter(Q(name__icontains=g["q"]) | Q(code__icontains=g["q"]) | Q(host__icontains=g["q"]))
        return qs

    def get(self, request, *args, **kwargs):
        qs = self.queryset()
        if request.GET.get("format") == "xlsx":
            return xlsx_response(
                "家长学校名册.xlsx",
                ["家长学校编号", "名称", "类型", "区县代码", "区县", "依托单位", "成立日期", "停办日期"],
                (
                    [
                        p.code,
                        p.name,
                        p.get_kind_display(),
                        p.county_id,
                        p.county.full_name,
                        p.host,
                        p.established_on,
                        p.closed_on,
                    ]
                    for p in qs.iterator(chunk_size=1000)
                ),
                title="家长学校",
            )
        query = request.GET.copy()
        query.pop("page", None)
        return self.render_to_response(
            self.get_context_data(
                page=Paginator(qs, 50).get_page(request.GET.get("page")),
                g=request.GET,
                query=query.urlencode(),
            )
        )


class ActivityListView(RegulatorRequiredMixin, TemplateView):
    """Co-education activities the user may see, and the form to record one."""

    template_name = "coeducation/activities.html"

    def counties(self):
        qs = Region.objects.filter(level=RegionLevel.COUNTY).order_by("code")
        user = self.request.user
        return qs if user.is_superuser else qs.filter(code__startswith=user.region.subtree_prefix)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        qs = ParentActivity.objects.visible_to(self.request.user).select_related(
            "county", "parent_school", "family_week"
        )
        context.update(
            page=Paginator(qs, 50).get_page(self.request.GET.get("page")),
            kinds=ActivityKind.choices,
            counties=self.counties(),
            weeks=FamilyWeek.objects.all(),
            today=timezone.localdate(),
        )
        return context

    def post(self, request, *args, **kwargs):
        p = request.POST
        try:
            held_on = dt.date.fromisoformat(p.get("held_on", ""))
        except ValueError:
            messages.error(request, _("日期无效"))
            return HttpResponseRedirect(request.path)
        week = (
            FamilyWeek.objects.filter(pk=p.get("family_week")).first()
            if p.get("family_week", "").isdigit()
            else None
        )
        school = None
        if p.get("parent_school"):
            school = (
                ParentSchool.objects.visible_to(request.user)
                .filter(code=p["parent_school"].strip().upper())
                .first()
            )
            if school is None:
                messages.error(request, _("未找到该家长学校编号"))
                return HttpResponseRedirect(request.path)
        try:
            services.activity_record(
                actor=request.user,
                county_code=p.get("county", ""),
                kind=p.get("kind", ""),
                title=p.get("title", ""),
                held_on=held_on,
                participants=int(p.get("participants") or 0),
                parent_school=school,
                family_week=week,
            )
        except (ValidationError, PermissionDenied, ValueError) as error:
            for message in getattr(error, "messages", None) or [str(error)]:
                messages.error(request, message)
        else:
            messages.success(request, _("已登记"))
        return HttpResponseRedirect(request.path)


# --- Public online parent school ---------------------------------------------------------------------


@method_decorator(login_not_required, name="dispatch")
@method_decorator(ratelimit(key="ip", rate="120/m", method="GET", block=True), name="get")
class PublicCoursesView(TemplateView):
    template_name = "coeducation/public_courses.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["courses"] = selectors.published_courses()
        return context


@method_decorator(login_not_required, name="dispatch")
@method_decorator(ratelimit(key="ip", rate="120/m", method="GET", block=True), name="get")
class PublicCourseView(TemplateView):
    template_name = "coeducation/public_course.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        course = get_object_or_404(OnlineCourse, slug=kwargs["slug"], published=True)
        done: set[int] = set()
        learner = self.request.COOKIES.get(LEARNER_COOKIE)
        if learner:
            done = set(
                LessonCompletion.objects.filter(
                    lesson__course=course, learner_ref=services.learner_ref(learner)
                ).values_list("lesson_id", flat=True)
            )
        context.update(course=course, lessons=course.lessons.all(), done=done)
        return context


@method_decorator(login_not_required, name="dispatch")
@method_decorator(ratelimit(key="ip", rate="120/m", method="GET", block=True), name="get")
@method_decorator(ratelimit(key="ip", rate="30/m", method="POST", block=True), name="post")
class PublicLessonView(TemplateView):
    """Read a lesson; POST marks it completed for this browser (county chosen by the parent)."""

    template_name = "coeducation/public_lesson.html"

    def lesson(self) -> OnlineLesson:
        return get_object_or_404(
            OnlineLesson.objects.select_related("course"), pk=self.kwargs["pk"], course__published=True
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lesson = self.lesson()
        learner = self.request.COOKIES.get(LEARNER_COOKIE)
        completed = (
            bool(learner)
            and LessonCompletion.objects.filter(
                lesson=lesson, learner_ref=services.learner_ref(learner or "")
            ).exists()
        )
        following = lesson.course.lessons.filter(order__gt=lesson.order).first()
        cities = Region.objects.filter(level=RegionLevel.PREFECTURE, code__startswith="43").order_by("code")
        counties = Region.objects.filter(level=RegionLevel.COUNTY, code__startswith="43").order_by("code")
        context.update(
            lesson=lesson,
            completed=completed,
            following=following,
            counties=counties,
            cities=cities,
            chosen_county=self.request.COOKIES.get("sj_county", ""),
        )
        return context

    def post(self, request, *args, **kwargs):
        lesson = self.lesson()
        learner = request.COOKIES.get(LEARNER_COOKIE) or services.new_learner_id()
        county = request.POST.get("county", "")
        try:
            _completion, created = services.lesson_complete(
                lesson=lesson, learner_id=learner, county_code=county
            )
        except (DomainError, ValidationError) as error:
            messages.error(request, "；".join(getattr(error, "messages", None) or [str(error)]))
            return HttpResponseRedirect(request.path)
        messages.success(request, _("已完成本课时，感谢学习！") if created else _("本课时此前已完成"))
        response = HttpResponseRedirect(request.path)
        year = 365 * 24 * 3600
        response.set_cookie(LEARNER_COOKIE, learner, max_age=year, httponly=True, samesite="Lax")
        response.set_cookie("sj_county", county, max_age=year, httponly=True, samesite="Lax")
        return response
