"""The bureau's admin for organisations, users and memberships, with their history.

Who may enter and what they may do is decided by accounts.rules (see its docstring); this module
only adds guards against a supervisor raising anyone's privileges, their own included.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .forms import OrganisationForm
from .models import Membership, Organisation, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    form = OrganisationForm  # the code is normalised, checked and unique, with Chinese messages
    list_display = ["name", "kind", "uscc", "region_name", "is_active"]
    list_filter = ["kind", "is_active", "region_name"]
    search_fields = ["name", "uscc"]
    inlines = [MembershipInline]

    def has_delete_permission(self, request, obj=None) -> bool:
        # Nobody deletes an organisation, superusers included: it is deactivated, so its trail
        # (audit events, bids, filings) stays whole; and the delete page's list of related
        # objects would tell that a supplier holds a sealed bid before the opening.
        return False


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
        *(BaseUserAdmin.fieldsets or ()),
        (_("Yangguang"), {"fields": ("full_name", "phone", "is_expert", "employer")}),
    )
    # Superuser status, groups and raw permissions are the platform operator's, not the bureau's:
    # the admin's entry and perms come from accounts.rules, so a supervisor never needs them.
    privileged_fields = ("is_superuser", "is_staff", "groups", "user_permissions")

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += self.privileged_fields
        return readonly

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # deactivated, never deleted: as for organisations above

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False  # a supervisor must not reset a superuser's password or e-mail
        return super().has_change_permission(request, obj)


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organisation", "role", "created"]
    list_filter = ["role", "organisation__kind"]
    search_fields = ["user__username", "user__full_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
