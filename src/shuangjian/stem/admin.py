"""Back-office tables of STEM education (provincial regulators only, see shuangjian.urls).

The course state is read-only here: it changes only through the review services (reasons, deadlines,
audit). Competitions and their entries are recorded here by the province.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Competition, CompetitionEntry, CourseMaterial, CourseReview, ResearchProject, StemCourse


class MaterialInline(admin.TabularInline):
    model = CourseMaterial
    extra = 0
    fields = ["kind", "original_name", "content_type", "size", "public"]
    readonly_fields = ["kind", "original_name", "content_type", "size"]


class ReviewInline(admin.TabularInline):
    model = CourseReview
    extra = 0
    can_delete = False
    fields = ["step", "decision_label", "reason", "actor", "decided_at", "due_on", "on_time"]
    readonly_fields = ["step", "decision_label", "reason", "actor", "decided_at", "due_on", "on_time"]


@admin.register(StemCourse)
class StemCourseAdmin(SimpleHistoryAdmin):
    list_display = ["name", "school", "stage", "carrier", "state", "due_on", "recognised_on"]
    list_filter = ["state", "stage", "carrier"]
    search_fields = ["name", "school__name", "school__code"]
    raw_id_fields = ["school", "adopted_from"]
    readonly_fields = ["state", "due_on", "submitted_at", "recognised_on", "public_key"]
    inlines = [MaterialInline, ReviewInline]


class EntryInline(admin.TabularInline):
    model = CompetitionEntry
    extra = 0
    raw_id_fields = ["school", "course"]
    fields = [
        "title",
        "school",
        "course",
        "group",
        "top_n",
        "overall_rank",
        "group_rank",
        "prize",
        "result_on",
    ]


@admin.register(Competition)
class CompetitionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "edition", "year", "level", "held_on"]
    search_fields = ["name"]
    inlines = [EntryInline]


@admin.register(ResearchProject)
class ResearchProjectAdmin(SimpleHistoryAdmin):
    list_display = ["title", "school", "stage", "state", "approved_on", "concluded_on"]
    list_filter = ["state", "stage"]
    search_fields = ["title", "school__name"]
    raw_id_fields = ["school"]
    readonly_fields = ["state"]
