"""The bureau's admin for procurement: read everything with its history, edit legal parameters.

Lifecycle states are read-only here: they change only through the services (STYLE habit 1),
e.g. a plan is filed on the bureau's plan page, a lot closes by its clock.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Announcement,
    Clarification,
    DocumentDownload,
    EvaluationCriterion,
    ImplementationPlan,
    LegalParameter,
    LegalParameterUnit,
    Lot,
    PlanLot,
    ProcurementIntention,
    Project,
    TenderDocument,
)
from .parameters import DEFAULTS


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """Records of what happened: the bureau reads them, the services write them."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class PlanLotInline(admin.TabularInline):
    model = PlanLot
    extra = 0
    can_delete = False
    readonly_fields = ["number", "name", "kind", "budget", "sme_reserved"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class LotInline(admin.TabularInline):
    model = Lot
    extra = 0
    can_delete = False
    fields = ["number", "name", "state", "budget", "bid_deadline"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class CriterionInline(admin.TabularInline):
    model = EvaluationCriterion
    extra = 0
    can_delete = False
    readonly_fields = ["position", "name", "points", "description"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ProcurementIntention)
class IntentionAdmin(ReadOnlyAdmin):
    list_display = [
        "project_name",
        "purchaser",
        "budget",
        "expected_month",
        "status",
        "published_at",
    ]
    list_filter = ["status", "sme_reserved", "region_code"]
    search_fields = ["project_name", "purchaser__name"]
    date_hierarchy = "published_at"
    list_select_related = ["purchaser"]


@admin.register(ImplementationPlan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = [
        "project_name",
        "purchaser",
        "method",
        "budget",
        "status",
        "submitted_at",
        "filed_at",
    ]
    list_filter = ["status", "method", "kind", "sme_mode", "intention_exempt"]
    search_fields = ["project_name", "purchaser__name"]
    list_select_related = ["purchaser"]
    inlines = [PlanLotInline]


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "purchaser", "agency", "method", "budget", "created"]
    list_filter = ["method", "kind"]
    search_fields = ["code", "name", "purchaser__name", "agency__name"]
    list_select_related = ["purchaser", "agency"]
    inlines = [LotInline]


@admin.register(Lot)
class LotAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "state", "budget", "bid_deadline", "evaluation_method"]
    list_filter = ["state", "evaluation_method", "kind", "sme_reserved"]
    search_fields = ["name", "project__code", "project__name"]
    list_select_related = ["project"]
    inlines = [CriterionInline]


@admin.register(TenderDocument)
class TenderDocumentAdmin(ReadOnlyAdmin):
    list_display = ["title", "project", "lot", "is_current", "created"]
    list_filter = ["is_current"]
    search_fields = ["title", "project__code"]
    list_select_related = ["project", "lot"]


@admin.register(Announcement)
class AnnouncementAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "purchaser", "method", "status", "published_at"]
    list_filter = ["kind", "status", "method", "region_code"]
    search_fields = ["title", "search_text"]
    date_hierarchy = "published_at"
    list_select_related = ["purchaser"]


@admin.register(Clarification)
class ClarificationAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "lot", "supplier", "status", "created", "answered_at"]
    list_filter = ["status"]
    search_fields = ["question", "answer", "supplier__name"]
    list_select_related = ["lot", "lot__project", "supplier"]


@admin.register(DocumentDownload)
class DocumentDownloadAdmin(admin.ModelAdmin):
    list_display = ["project", "lot", "supplier", "user", "downloaded_at"]
    search_fields = ["project__code", "supplier__name"]
    list_select_related = ["project", "lot", "supplier", "user"]
    date_hierarchy = "downloaded_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class LegalParameterForm(forms.ModelForm):
    """The key is one the code knows; the label, unit and source start from its default."""

    class Meta:
        model = LegalParameter
        fields = [
            "key",
            "label",
            "value",
            "unit",
            "source",
            "effective_from",
            "effective_to",
            "note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"] = forms.ChoiceField(
            label=_("key"),
            choices=[
                (key, f"{key} — {p.label} ({p.value:g}, {p.source})") for key, p in DEFAULTS.items()
            ],
        )

    def clean(self):
        data = super().clean()
        default = DEFAULTS.get(data.get("key"))
        if default is not None and data.get("unit") and data["unit"] != default.unit:
            self.add_error(
                "unit",
                _("This parameter is counted in %(unit)s.")
                % {"unit": LegalParameterUnit(default.unit).label},
            )
        return data


@admin.register(LegalParameter)
class LegalParameterAdmin(SimpleHistoryAdmin):
    """Legal numbers (RULES.md §18): a row overrides the built-in value from its effective date."""

    form = LegalParameterForm

    list_display = ["key", "label", "value", "unit", "source", "effective_from", "effective_to"]
    list_filter = ["unit", "key"]
    search_fields = ["key", "label", "source"]
    fieldsets = [
        (None, {"fields": ["key", "label", "value", "unit"]}),
        (
            _("Source and validity"),
            {"fields": ["source", "effective_from", "effective_to", "note"]},
        ),
    ]

    def has_delete_permission(self, request, obj=None) -> bool:
        # A parameter that was in force stays on record; end it with "effective until".
        return False
