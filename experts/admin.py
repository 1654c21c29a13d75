"""The bureau's admin: the expert database (experts with their periods of unavailability and
declared relations, filtered by status, specialty and region, with history), its import from CSV
or Excel, and the catalogue categories; committees, draws and seats read-only (they change
through the services)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from common.admin import ReadOnly
from common.errors import DomainError
from procurement.models import CatalogueCategory

from .forms import ImportForm
from .models import Committee, DeclaredRelation, Draw, Expert, Member, Unavailability
from .services.database import COLUMNS, import_experts


class UnavailabilityInline(admin.TabularInline):
    model = Unavailability
    extra = 0


class DeclaredRelationInline(admin.TabularInline):
    model = DeclaredRelation
    extra = 0
    autocomplete_fields = ["organisation"]


class SpecialtyFilter(admin.SimpleListFilter):
    """A specialty, matching the experts of the category or of any category under it."""

    title = _("specialty")
    parameter_name = "specialty"

    def lookups(self, request, model_admin):
        return [(c.code, str(c)) for c in CatalogueCategory.objects.order_by("code")]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        return queryset.filter(specialties__code__startswith=self.value()).distinct()


@admin.register(Expert)
class ExpertAdmin(SimpleHistoryAdmin):
    change_list_template = "admin/experts/expert/change_list.html"
    list_display = ["__str__", "title", "employer_or_name", "region_code", "region_name", "status"]
    list_filter = ["status", SpecialtyFilter, "region_code", "title"]
    search_fields = ["user__full_name", "user__username", "id_number", "employer_name"]
    list_select_related = ["user", "user__employer"]
    # An autocomplete, not a multi-select: its "hold down Control" help reads English words.
    autocomplete_fields = ["user", "specialties"]
    inlines = [UnavailabilityInline, DeclaredRelationInline]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # an expert leaves by its status (retired), its trail stays

    @admin.display(description=_("employer"))
    def employer_or_name(self, obj: Expert) -> str:
        return str(obj.user.employer or obj.employer_name)

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="experts_expert_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("experts.import_experts"):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        report = None
        if request.method == "POST" and form.is_valid():
            try:
                report = import_experts(upload=form.cleaned_data["file"], acting_user=request.user)
            except DomainError as error:
                form.add_error("file", str(error))
            else:
                messages.info(
                    request,
                    gettext("%(created)s experts imported, %(rejected)s rows rejected.")
                    % {"created": len(report.created), "rejected": report.rejected_rows},
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Import experts"),
            "form": form,
            "report": report,
            "columns": list(COLUMNS.values()),
        }
        return TemplateResponse(request, "admin/experts/expert/import.html", context)


@admin.register(CatalogueCategory)
class CatalogueCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "parent"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # lots and experts point at it


class MemberInline(ReadOnly, admin.TabularInline):
    model = Member
    fields = ["user", "kind", "state", "is_leader", "draw", "respond_by", "responded_at", "reason"]
    readonly_fields = fields
    extra = 0


class DrawInline(ReadOnly, admin.TabularInline):
    model = Draw
    fields = ["number", "at", "by", "seats", "seed", "record"]
    readonly_fields = fields
    extra = 0


@admin.register(Committee)
class CommitteeAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["lot", "size", "expert_seats", "evaluation_at", "remote_evaluation"]
    list_select_related = ["lot", "lot__project"]
    readonly_fields = [
        "lot",
        "size",
        "expert_seats",
        "complex_or_high_impact",
        "evaluation_at",
        "remote_evaluation",
        "created_by",
    ]
    fields = readonly_fields
    inlines = [MemberInline, DrawInline]


@admin.register(Draw)
class DrawAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["committee", "number", "at", "seats", "seed"]
    list_select_related = ["committee", "committee__lot", "committee__lot__project"]
    readonly_fields = ["committee", "number", "at", "by", "seats", "seed", "record"]
    fields = readonly_fields


@admin.register(Member)
class MemberAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["user", "committee", "kind", "state", "is_leader", "respond_by"]
    list_filter = ["state", "kind"]
    list_select_related = ["user", "committee", "committee__lot", "committee__lot__project"]
    readonly_fields = [
        "committee",
        "user",
        "kind",
        "draw",
        "state",
        "is_leader",
        "respond_by",
        "responded_at",
        "reason",
    ]
    fields = readonly_fields
