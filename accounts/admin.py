"""The bureau's admin for organisations, users and memberships, with their history."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Membership, Organisation, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "uscc", "region_name", "is_active"]
    list_filter = ["kind", "is_active", "region_name"]
    search_fields = ["name", "uscc"]
    inlines = [MembershipInline]


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    list_display = [
        "username",
        "full_name",
        "email",
        "is_expert",
        "employer",
        "is_active",
        "is_staff",
    ]
    list_filter = ["is_expert", "is_active", "is_staff", "memberships__organisation__kind"]
    search_fields = ["username", "full_name", "email", "phone"]
    autocomplete_fields = ["employer"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Yangguang"), {"fields": ("full_name", "phone", "is_expert", "employer")}),
    )


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organisation", "role", "created"]
    list_filter = ["role", "organisation__kind"]
    search_fields = ["user__username", "user__full_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
