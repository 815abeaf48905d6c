from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import RiskAssessment, RiskPeerBaseline, RiskSnapshot, RiskWarning, TaskEscalation, WarningTask


@admin.register(RiskAssessment)
class RiskAssessmentAdmin(admin.ModelAdmin):
    list_display = ("institution", "county", "score", "level", "as_of")
    list_filter = ("level",)
    search_fields = ("institution__name", "institution__credit_code")
    raw_id_fields = ("institution",)


@admin.register(RiskSnapshot)
class RiskSnapshotAdmin(admin.ModelAdmin):
    list_display = ("institution", "as_of", "score", "level")
    list_filter = ("level",)
    raw_id_fields = ("institution",)


@admin.register(RiskWarning)
class RiskWarningAdmin(SimpleHistoryAdmin):
    list_display = ("institution", "county", "level", "score", "raised_on", "status")
    list_filter = ("level", "status")
    raw_id_fields = ("institution",)


@admin.register(WarningTask)
class WarningTaskAdmin(SimpleHistoryAdmin):
    list_display = ("warning", "county", "state", "due_on", "escalation_level")
    list_filter = ("state", "escalation_level")
    raw_id_fields = ("warning", "assignee")


admin.site.register(TaskEscalation, SimpleHistoryAdmin)
admin.site.register(RiskPeerBaseline)
