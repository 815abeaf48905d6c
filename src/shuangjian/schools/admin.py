"""Back-office tables of in-school burden reduction (provincial regulators only, see shuangjian.urls)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AfterSchoolWeek, Exam, HomeworkDay, HomeworkItem, School, SchoolClass


class SchoolClassInline(admin.TabularInline):
    model = SchoolClass
    extra = 0
    fields = ["grade", "number", "students", "is_active"]


@admin.register(School)
class SchoolAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "county", "kind", "is_furong", "is_active"]
    list_filter = ["kind", "is_furong", "is_active"]
    search_fields = ["code", "name"]
    raw_id_fields = ["county"]
    inlines = [SchoolClassInline]


class HomeworkItemInline(admin.TabularInline):
    """Read-only: items are written through services.homework_publish, which keeps the day's totals."""

    model = HomeworkItem
    extra = 0
    can_delete = False
    readonly_fields = ["subject", "content", "minutes", "is_written", "position"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(HomeworkDay)
class HomeworkDayAdmin(SimpleHistoryAdmin):
    list_display = [
        "school_class",
        "date",
        "written_minutes",
        "total_minutes",
        "published_by",
        "published_at",
    ]
    list_filter = ["date"]
    search_fields = ["school_class__school__name", "school_class__school__code"]
    raw_id_fields = ["school_class", "published_by"]
    readonly_fields = ["written_minutes", "total_minutes", "has_written"]
    inlines = [HomeworkItemInline]


@admin.register(Exam)
class ExamAdmin(SimpleHistoryAdmin):
    list_display = ["school", "term", "grade", "kind", "name", "held_on", "is_written"]
    list_filter = ["kind", "term", "is_written"]
    search_fields = ["school__name", "school__code", "name"]
    raw_id_fields = ["school", "registered_by"]


@admin.register(AfterSchoolWeek)
class AfterSchoolWeekAdmin(SimpleHistoryAdmin):
    list_display = [
        "school",
        "week_start",
        "days_offered",
        "hours_per_day",
        "end_time",
        "students_enrolled",
        "students_requested",
    ]
    list_filter = ["week_start"]
    search_fields = ["school__name", "school__code"]
    raw_id_fields = ["school", "reported_by"]
