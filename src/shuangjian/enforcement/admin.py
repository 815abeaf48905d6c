from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Campaign, Case, Inspection


@admin.register(Campaign)
class CampaignAdmin(SimpleHistoryAdmin):
    list_display = ("name", "region", "start_on", "end_on")


@admin.register(Inspection)
class InspectionAdmin(SimpleHistoryAdmin):
    list_display = ("inspected_on", "county", "institution", "place", "problem_found")
    raw_id_fields = ("institution", "campaign")


@admin.register(Case)
class CaseAdmin(SimpleHistoryAdmin):
    list_display = ("number", "kind", "county", "state", "opened_on", "closed_on")
    list_filter = ("kind", "state")
    search_fields = ("number", "party_name", "institution__name")
    raw_id_fields = ("institution", "campaign", "inspection", "reports", "warnings")
