"""The bureau's read-only view of stored files: it may look and download, never change."""

from __future__ import annotations

from django.contrib import admin
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import StoredFile


@admin.register(StoredFile)
class StoredFileAdmin(admin.ModelAdmin):
    list_display = ["original_name", "kind", "human_size", "use", "uploaded_by", "created"]
    list_filter = ["kind", "use", "created"]
    search_fields = ["original_name", "sha256", "uuid", "uploaded_by__username"]
    date_hierarchy = "created"
    list_select_related = ["uploaded_by"]
    fields = [
        "original_name",
        "download_link",
        "kind",
        "content_type",
        "human_size",
        "sha256",
        "use",
        "uploaded_by",
        "created",
        "uuid",
        "file",
    ]
    readonly_fields = fields

    @admin.display(description=_("size"), ordering="size")
    def human_size(self, obj: StoredFile) -> str:
        return f"{filesizeformat(obj.size)} ({obj.size:,})"

    @admin.display(description=_("download"))
    def download_link(self, obj: StoredFile) -> str:
        url = reverse("documents:download", args=[obj.uuid])
        return format_html('<a href="{}">{}</a>', url, obj.download_name)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
