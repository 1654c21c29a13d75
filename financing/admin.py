"""The bureau's admin: banks' products, applications and account changes, read only (they change
only through the services: the bank decides, the parties sign)."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AccountChange, Application, Product


class ReadOnly(SimpleHistoryAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


@admin.register(Product)
class ProductAdmin(ReadOnly):
    list_display = ["name", "bank", "lend_share", "rate_min", "rate_max", "auto_approve"]
    list_filter = ["auto_approve", "is_published"]
    list_select_related = ["bank"]


@admin.register(Application)
class ApplicationAdmin(ReadOnly):
    list_display = [
        "number",
        "supplier",
        "bank",
        "purchaser",
        "amount",
        "state",
        "by_rule",
        "applied_at",
        "decided_at",
        "collection_account_number",
    ]
    list_filter = ["state", "by_rule", "bank"]
    list_select_related = ["supplier", "bank", "purchaser"]
    search_fields = ["number", "supplier__name", "contract__number"]
    date_hierarchy = "applied_at"


@admin.register(AccountChange)
class AccountChangeAdmin(ReadOnly):
    list_display = ["contract", "application", "drafted_at", "published_at"]
    list_select_related = ["contract", "application"]
