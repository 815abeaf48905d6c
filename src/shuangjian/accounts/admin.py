from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    list_display = (
        "username",
        "last_name",
        "first_name",
        "role",
        "region",
        "institution",
        "school",
        "is_active",
    )
    list_filter = ("role", "is_active")
    search_fields = ("username", "first_name", "last_name")
    autocomplete_fields = ("region",)
    raw_id_fields = ("institution", "school")
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("角色与归属", {"fields": ("role", "region", "institution", "school", "phone")}),
    )
