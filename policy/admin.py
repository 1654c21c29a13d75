"""The bureau's admin: 832 reserves and orders, read only."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Order, Reserve


class ReadOnly(SimpleHistoryAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Reserve)
class ReserveAdmin(ReadOnly):
    list_display = ["unit", "year", "has_canteen", "base", "ratio", "amount"]
    list_filter = ["year", "has_canteen"]
    list_select_related = ["unit"]


@admin.register(Order)
class OrderAdmin(ReadOnly):
    list_display = ["number", "unit", "ordered_on", "seller", "amount", "completed"]
    list_filter = ["completed"]
    list_select_related = ["unit"]
    search_fields = ["number", "unit__name", "seller"]
