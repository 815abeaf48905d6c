from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Report, ReportAction, ReportEscalation, RiskFlag


class ReportActionInline(admin.TabularInline):
    model = ReportAction
    extra = 0
    readonly_fields = ("kind", "taken_on", "note", "institution", "case_ref", "actor")


@admin.register(Report)
class ReportAdmin(SimpleHistoryAdmin):
    """Back-office view; handling happens on the regulator pages (state machine, audit)."""

    list_display = (
        "number",
        "source",
        "report_type",
        "county",
        "status",
        "is_valid",
        "received_at",
        "due_date",
        "escalation_level",
    )
    list_filter = ("status", "source", "report_type", "urgent", "escalation_level")
    search_fields = ("number", "institution_text", "description")
    readonly_fields = ("status", "query_code_hash", "reporter_phone")
    raw_id_fields = ("county", "institution", "handler", "duplicate_of", "created_by")
    inlines = [ReportActionInline]


@admin.register(ReportEscalation)
class ReportEscalationAdmin(SimpleHistoryAdmin):
    list_display = ("report", "level", "region", "as_of")
    raw_id_fields = ("report", "region")


@admin.register(RiskFlag)
class RiskFlagAdmin(SimpleHistoryAdmin):
    list_display = ("report", "kind", "institution", "institution_text", "county", "raised_at", "cleared_at")
    raw_id_fields = ("report", "institution", "county")
