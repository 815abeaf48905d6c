"""Back-office tables of co-education (provincial regulators only, see shuangjian.urls)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import FamilyWeek, LessonCompletion, OnlineCourse, OnlineLesson, ParentActivity, ParentSchool


@admin.register(ParentSchool)
class ParentSchoolAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "county", "established_on", "closed_on"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "host"]
    raw_id_fields = ["county"]


@admin.register(ParentActivity)
class ParentActivityAdmin(SimpleHistoryAdmin):
    list_display = ["held_on", "kind", "title", "county", "participants", "family_week"]
    list_filter = ["kind", "family_week"]
    raw_id_fields = ["county", "parent_school"]


@admin.register(FamilyWeek)
class FamilyWeekAdmin(SimpleHistoryAdmin):
    list_display = ["year", "theme", "start_on", "end_on"]


class OnlineLessonInline(admin.StackedInline):
    model = OnlineLesson
    extra = 0


@admin.register(OnlineCourse)
class OnlineCourseAdmin(SimpleHistoryAdmin):
    list_display = ["title", "slug", "audience", "published", "order"]
    inlines = [OnlineLessonInline]


@admin.register(LessonCompletion)
class LessonCompletionAdmin(admin.ModelAdmin):
    """Read-only: anonymous completion events, counted per county."""

    list_display = ["lesson", "county", "completed_at"]
    readonly_fields = ["lesson", "learner_ref", "county", "completed_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
