from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models


@admin.register(models.Enterprise)
class EnterpriseAdmin(SimpleHistoryAdmin):
    list_display = ("name", "credit_code", "industry", "ie_status", "ie_level", "ie_recognised_on")
    search_fields = ("name", "credit_code")
    list_filter = ("ie_status",)


@admin.register(models.Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ("code", "kind", "school", "major_code", "enterprise", "entry_year", "students", "state")
    list_filter = ("kind", "state")
    search_fields = ("code", "school__name", "enterprise__name")
    raw_id_fields = ("school", "enterprise", "reviewer")


@admin.register(models.XCertificate)
class XCertificateAdmin(SimpleHistoryAdmin):
    list_display = ("name", "organisation", "levels", "batch", "filed_on", "retired_on")
    search_fields = ("name", "organisation")


@admin.register(models.AssessmentSite)
class AssessmentSiteAdmin(SimpleHistoryAdmin):
    list_display = ("code", "school", "certificate", "state", "approved_on", "revoked_on")
    list_filter = ("state",)
    raw_id_fields = ("school", "certificate", "reviewer")


class BodyMemberInline(admin.TabularInline):
    model = models.BodyMember
    raw_id_fields = ("school", "enterprise")
    extra = 0


class BodyActivityInline(admin.TabularInline):
    model = models.BodyActivity
    extra = 0


@admin.register(models.IndustryEducationBody)
class BodyAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "level", "county", "founded_on")
    list_filter = ("kind", "level")
    inlines = [BodyMemberInline, BodyActivityInline]


@admin.register(models.CraftsmanRecognition)
class CraftsmanAdmin(SimpleHistoryAdmin):
    list_display = ("person_name", "level", "year", "field", "employer", "county")
    list_filter = ("level", "year")
    exclude = ("person_digest",)


@admin.register(models.CreditBankLink)
class CreditBankLinkAdmin(SimpleHistoryAdmin):
    list_display = ("certificate", "level", "course_name", "credits")


for model in (
    models.XPilot,
    models.AssessmentSession,
    models.TrainingVolume,
    models.OrderClassOutcome,
    models.AnnualReport,
):
    admin.site.register(model, SimpleHistoryAdmin)
