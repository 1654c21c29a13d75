"""The bureau's read-only view of stored files: it may look and download, never change."""

from __future__ import annotations

from django.contrib import admin
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from common.sealing import exclude_sealed

from .kinds import kind_label
from .models import StoredFile
from .uses import file_use_choices, file_use_label


class KindFilter(admin.SimpleListFilter):
    """Only the kinds that are actually stored (the platform never stores most of them)."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        # From the admin's own rows: a kind that only sealed files have is not offered either.
        kinds = (
            model_admin.get_queryset(request)
            .order_by("kind")
            .values_list("kind", flat=True)
            .distinct()
        )
        return [(kind, kind_label(kind)) for kind in kinds]

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


class UseFilter(admin.SimpleListFilter):
    title = _("use")
    parameter_name = "use"

    def lookups(self, request, model_admin):
        return file_use_choices()

    def queryset(self, request, queryset):
        return queryset.filter(use=self.value()) if self.value() else queryset


@admin.register(StoredFile)
class StoredFileAdmin(admin.ModelAdmin):
    list_display = ["original_name", "kind", "list_size", "use_label", "uploaded_by", "created"]
    list_filter = [KindFilter, UseFilter, "created"]
    search_fields = ["original_name", "sha256", "uuid", "uploaded_by__username"]
    date_hierarchy = "created"
    list_select_related = ["uploaded_by"]
    fields = (
        "original_name",
        "download_link",
        "kind",
        "content_type",
        "detail_size",
        "sha256",
        "use_label",
        "uploaded_by",
        "created",
        "uuid",
        "storage_path",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        # Files that belong to something still sealed (a bid's receipt before the opening) are
        # left out of the list, its count and filters and the file's page, for everyone,
        # superusers included: the seal is the platform's duty, not a permission (issue 5 §3;
        # common.sealing). Downloading them is refused as well (documents.access).
        return exclude_sealed(super().get_queryset(request))

    @admin.display(description=_("size"), ordering="size")
    def list_size(self, obj: StoredFile) -> str:
        return filesizeformat(obj.size)

    @admin.display(description=_("size"))
    def detail_size(self, obj: StoredFile) -> str:
        return _("%(human)s (%(bytes)s bytes)") % {
            "human": filesizeformat(obj.size),
            "bytes": f"{obj.size:,}",
        }

    @admin.display(description=_("use"), ordering="use")
    def use_label(self, obj: StoredFile) -> str:
        return file_use_label(obj.use)

    @admin.display(description=_("download"))
    def download_link(self, obj: StoredFile) -> str:
        url = reverse("documents:download", args=[obj.uuid])
        return format_html('<a href="{}">{}</a>', url, obj.download_name)

    @admin.display(description=_("storage path"))
    def storage_path(self, obj: StoredFile) -> str | None:
        # Plain text: uploaded files have no public URL, only the checked download above.
        return obj.file.name

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
