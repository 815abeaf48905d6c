from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CalendarDay, RuleParameter


@admin.register(RuleParameter)
class RuleParameterAdmin(SimpleHistoryAdmin):
    list_display = ("key", "region", "value", "source", "updated_at")
    search_fields = ("key",)
    autocomplete_fields = ("region",)


@admin.register(CalendarDay)
class CalendarDayAdmin(SimpleHistoryAdmin):
    list_display = ("date", "is_working_day", "name", "source")
    list_filter = ("is_working_day",)
