"""Back-office tables of the registry (provincial regulators; every change audited)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    ApplicationMaterial,
    Institution,
    InstitutionEpisode,
    LicenseApplication,
    Practitioner,
    Site,
    TrainingItem,
    TrainingSession,
    Violation,
)


class EpisodeInline(admin.TabularInline):
    model = InstitutionEpisode
    extra = 0


@admin.register(Institution)
class InstitutionAdmin(SimpleHistoryAdmin):
    list_display = ("credit_code", "name", "county", "status", "category", "mode", "fund_supervised")
    list_filter = ("status", "category", "mode", "fund_supervised")
    search_fields = ("credit_code", "name")
    raw_id_fields = ("county",)
    inlines = [EpisodeInline]


@admin.register(Site)
class SiteAdmin(SimpleHistoryAdmin):
    list_display = ("institution", "address", "floor_area_m2", "capacity")
    raw_id_fields = ("institution",)


@admin.register(Practitioner)
class PractitionerAdmin(SimpleHistoryAdmin):
    list_display = (
        "institution",
        "name",
        "id_number_masked",
        "role",
        "in_service_teacher",
        "background_check",
    )
    list_filter = ("role", "in_service_teacher", "background_check")
    raw_id_fields = ("institution",)
    exclude = ("id_number_digest",)


@admin.register(TrainingItem)
class TrainingItemAdmin(SimpleHistoryAdmin):
    list_display = (
        "institution",
        "name",
        "category",
        "classified_category",
        "disguised",
        "price_per_hour_fen",
        "status",
    )
    list_filter = ("category", "classified_category", "disguised", "status", "mode")
    raw_id_fields = ("institution",)


@admin.register(TrainingSession)
class TrainingSessionAdmin(SimpleHistoryAdmin):
    list_display = ("item", "date", "start", "end")
    raw_id_fields = ("item", "practitioner")


class MaterialInline(admin.TabularInline):
    model = ApplicationMaterial
    extra = 0
    readonly_fields = ("kind", "file", "original_name", "content_type", "size")


@admin.register(LicenseApplication)
class LicenseApplicationAdmin(SimpleHistoryAdmin):
    list_display = ("institution", "category", "state", "submitted_at", "due_on")
    list_filter = ("state", "category")
    raw_id_fields = ("institution", "reviewer")
    readonly_fields = ("state",)
    inlines = [MaterialInline]


@admin.register(Violation)
class ViolationAdmin(SimpleHistoryAdmin):
    list_display = ("institution", "rule_id", "title", "source", "status", "detected_at")
    list_filter = ("source", "rule_id", "status")
    raw_id_fields = ("institution",)
