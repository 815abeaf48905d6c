"""Back-office tables of vocational education (provincial regulators only, see shuangjian.urls)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AnnualReturn, CatalogueItem, Designation, Partnership, SchoolMajor, VocationalSchool


class DesignationInline(admin.TabularInline):
    model = Designation
    extra = 0
    fields = ["kind", "batch", "started_on", "ended_on", "integration_mode", "partner", "note"]


@admin.register(VocationalSchool)
class VocationalSchoolAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "county", "level", "sponsor", "is_technical", "founded_on", "closed_on"]
    list_filter = ["level", "sponsor", "is_technical", "standard_category"]
    search_fields = ["code", "name"]
    raw_id_fields = ["county", "merged_into"]
    inlines = [DesignationInline]


@admin.register(Designation)
class DesignationAdmin(SimpleHistoryAdmin):
    list_display = ["school", "kind", "batch", "started_on", "ended_on"]
    list_filter = ["kind"]
    search_fields = ["school__name", "school__code"]
    raw_id_fields = ["school"]


@admin.register(Partnership)
class PartnershipAdmin(SimpleHistoryAdmin):
    list_display = ["kind", "stage1", "stage2", "stage1_major", "stage2_major", "started_on", "ended_on"]
    list_filter = ["kind"]
    raw_id_fields = ["stage1", "stage2"]


@admin.register(CatalogueItem)
class CatalogueItemAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "level",
        "kind",
        "national_control",
        "edition",
        "added_year",
        "retired_year",
    ]
    list_filter = ["level", "kind", "national_control", "edition"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]


@admin.register(SchoolMajor)
class SchoolMajorAdmin(SimpleHistoryAdmin):
    list_display = ["school", "major", "name", "opened_year", "stopped_year"]
    search_fields = ["school__name", "school__code", "major__code", "name"]
    raw_id_fields = ["school", "major"]


@admin.register(AnnualReturn)
class AnnualReturnAdmin(SimpleHistoryAdmin):
    list_display = [
        "school",
        "year",
        "students",
        "teachers",
        "dual_teachers",
        "land_m2",
        "building_m2",
        "books",
    ]
    list_filter = ["year"]
    search_fields = ["school__name", "school__code"]
    raw_id_fields = ["school"]
