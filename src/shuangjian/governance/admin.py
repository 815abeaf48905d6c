"""Back-office tables of co-governance (provincial regulators only, see shuangjian.urls). Lifecycle
changes (end of term, task states, rectification) go through the pages' services, not the admin."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AdmissionPlan,
    CampaignTarget,
    CoordinationTask,
    CoordinationUnit,
    Finding,
    Indicator,
    IndicatorSet,
    InspectionCampaign,
    InspectorScore,
    PublicityEvent,
    Rectification,
    SupervisionTask,
    Supervisor,
    UnitDuty,
)


@admin.register(Supervisor)
class SupervisorAdmin(SimpleHistoryAdmin):
    list_display = ["number", "name", "level", "region", "field", "term_start", "term_end", "status"]
    list_filter = ["level", "status", "field"]
    search_fields = ["number", "name"]
    raw_id_fields = ["region", "user", "renewed_from"]
    readonly_fields = ["status"]


@admin.register(SupervisionTask)
class SupervisionTaskAdmin(SimpleHistoryAdmin):
    list_display = ["title", "supervisor", "kind", "county", "assigned_on", "due_date", "status"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["supervisor", "county", "institution", "school", "assigned_by"]
    readonly_fields = ["status"]


@admin.register(Finding)
class FindingAdmin(SimpleHistoryAdmin):
    list_display = ["report", "supervisor", "task", "county", "filed_at"]
    raw_id_fields = ["report", "supervisor", "task", "county"]


class UnitDutyInline(admin.TabularInline):
    model = UnitDuty
    extra = 0


@admin.register(CoordinationUnit)
class CoordinationUnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "region", "role", "order", "joined_on", "left_on", "source_status"]
    list_filter = ["role", "source_status"]
    raw_id_fields = ["region"]
    inlines = [UnitDutyInline]


@admin.register(CoordinationTask)
class CoordinationTaskAdmin(SimpleHistoryAdmin):
    list_display = ["title", "unit", "assigned_on", "due_date", "status", "completed_on"]
    list_filter = ["status"]
    readonly_fields = ["status"]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(IndicatorSet)
class IndicatorSetAdmin(SimpleHistoryAdmin):
    list_display = ["year", "name", "source_status"]
    inlines = [IndicatorInline]


@admin.register(InspectionCampaign)
class InspectionCampaignAdmin(SimpleHistoryAdmin):
    list_display = ["name", "start_on", "end_on", "as_of", "organiser"]


@admin.register(CampaignTarget)
class CampaignTargetAdmin(SimpleHistoryAdmin):
    list_display = ["campaign", "region", "visited_on"]
    raw_id_fields = ["region"]


@admin.register(InspectorScore)
class InspectorScoreAdmin(SimpleHistoryAdmin):
    list_display = ["target", "indicator", "percent", "scored_on"]
    raw_id_fields = ["target", "inspector"]


@admin.register(Rectification)
class RectificationAdmin(SimpleHistoryAdmin):
    list_display = ["target", "assigned_on", "due_date", "status"]
    list_filter = ["status"]
    raw_id_fields = ["target"]
    readonly_fields = ["status"]


@admin.register(AdmissionPlan)
class AdmissionPlanAdmin(SimpleHistoryAdmin):
    list_display = [
        "year",
        "county",
        "school_code",
        "school_name",
        "plan_total",
        "quota_allocated",
        "quota_admitted",
        "cross_district",
    ]
    list_filter = ["year"]
    search_fields = ["school_code", "school_name"]
    raw_id_fields = ["county"]


@admin.register(PublicityEvent)
class PublicityEventAdmin(SimpleHistoryAdmin):
    list_display = ["held_on", "kind", "title", "partner", "count", "region"]
    list_filter = ["kind"]
    raw_id_fields = ["region"]
