"""Supplier profiles in the bureau's admin, with their history."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import SupplierProfile


@admin.register(SupplierProfile)
class SupplierProfileAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "size_class", "modified"]
    list_filter = ["size_class"]
    search_fields = ["organisation__name", "organisation__uscc"]
    autocomplete_fields = ["organisation"]
    list_select_related = ["organisation"]
