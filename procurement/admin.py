"""The bureau's admin for procurement: read everything with its history, edit legal parameters.

Lifecycle states are read-only here: they change only through the services (STYLE habit 1),
e.g. a plan is filed on the bureau's plan page, a lot closes by its clock, a change of method is
approved or rejected on the plan's page (a decided request is never changed again).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
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
    MethodApproval,
    MethodApprovalStatus,
    PlanDocument,
    PlanLot,
    ProcurementIntention,
    Project,
    SingleSourceNotice,
    SingleSourceObjection,
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


class PlanDocumentInline(admin.TabularInline):
    model = PlanDocument
    extra = 0
    can_delete = False
    fields = ("title", "file", "is_current", "added_by", "created")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class MethodApprovalInline(admin.TabularInline):
    model = MethodApproval
    extra = 0
    can_delete = False
    fields = ("requested_at", "method", "budget", "ground", "status", "decided_at", "decided_by")
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class SingleSourceNoticeInline(admin.TabularInline):
    model = SingleSourceNotice
    extra = 0
    can_delete = False
    fields = ("supplier_name", "budget", "period_start", "period_end", "review_conclusion")
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ObjectionInline(admin.TabularInline):
    model = SingleSourceObjection
    extra = 0
    can_delete = False
    fields = ("reference", "name", "organisation", "phone", "email", "submitted_at", "attachment")
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class LotInline(admin.TabularInline):
    model = Lot
    extra = 0
    can_delete = False
    fields = ("number", "name", "state", "budget", "bid_deadline")
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
    list_filter = ["status", "method", "method_ground", "kind", "sme_mode", "intention_exempt"]
    search_fields = ["project_name", "purchaser__name"]
    list_select_related = ["purchaser"]
    inlines = [PlanLotInline, PlanDocumentInline, SingleSourceNoticeInline, MethodApprovalInline]


@admin.register(MethodApproval)
class MethodApprovalAdmin(ReadOnlyAdmin):
    """Requests for approval of a method other than public tender (GPL Art 27).

    Decided on the plan's page through the services, like the filing; here every request, the
    decided ones included, is read with its history.
    """

    list_display = [
        "plan",
        "purchaser",
        "method",
        "budget",
        "ground",
        "status",
        "requested_at",
        "decided_at",
        "decided_by",
    ]
    list_filter = ["status", "method", "ground", "kind"]
    search_fields = ["plan__project_name", "plan__purchaser__name", "reason", "decision_reasons"]
    date_hierarchy = "requested_at"
    list_select_related = ["plan", "plan__purchaser", "decided_by"]
    fieldsets = [
        (None, {"fields": ["plan", "decide", "status"]}),
        (
            _("Request"),
            {
                "fields": [
                    "method",
                    "kind",
                    "budget",
                    "threshold",
                    "ground",
                    "reason",
                    "original_contract_reference",
                    "original_contract_amount",
                    "documents",
                    "requested_at",
                    "requested_by",
                ]
            },
        ),
        (_("Decision"), {"fields": ["decided_at", "decided_by", "decision_reasons"]}),
    ]
    readonly_fields = ["decide"]

    @admin.display(description=_("purchaser"))
    def purchaser(self, obj: MethodApproval):
        return obj.plan.purchaser

    @admin.display(description=_("decision"))
    def decide(self, obj: MethodApproval):
        if obj.status != MethodApprovalStatus.PENDING:
            return obj.get_status_display()
        return format_html(
            '<a href="{}">{}</a>',
            reverse("procurement:plan_detail", args=[obj.plan_id]),
            _("Decide on the plan's page"),
        )


@admin.register(SingleSourceNotice)
class SingleSourceNoticeAdmin(ReadOnlyAdmin):
    """Single source notices (O74 Arts 38–40): what was published, its period and the review.

    Published and reviewed by the purchaser through the services; the bureau reads the notice
    with its objections here and decides the request on the plan's page.
    """

    list_display = [
        "__str__",
        "purchaser",
        "supplier_name",
        "budget",
        "period_start",
        "period_end",
        "objection_count",
        "review_conclusion",
    ]
    list_filter = ["review_conclusion"]
    search_fields = ["announcement__title", "supplier_name", "plan__purchaser__name"]
    date_hierarchy = "period_start"
    list_select_related = ["announcement", "plan", "plan__purchaser"]
    fieldsets = [
        (None, {"fields": ["plan", "public_page", "supplier_name", "budget", "published_by"]}),
        (_("Notice period"), {"fields": ["period_start", "period_end", "review_due"]}),
        (_("What the notice says"), {"fields": ["content"]}),
        (
            _("Supplementary review"),
            {"fields": ["review_conclusion", "review_opinion", "reviewed_at", "reviewed_by"]},
        ),
    ]
    readonly_fields = ["public_page", "content"]
    inlines = [ObjectionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(objections_filed=Count("objections"))

    @admin.display(description=_("purchaser"))
    def purchaser(self, obj: SingleSourceNotice):
        return obj.plan.purchaser

    @admin.display(description=_("objections"), ordering="objections_filed")
    def objection_count(self, obj) -> int:
        return obj.objections_filed

    @admin.display(description=_("public page"))
    def public_page(self, obj: SingleSourceNotice):
        return format_html(
            '<a href="{}">{}</a>', obj.announcement.get_absolute_url(), obj.announcement.title
        )

    @admin.display(description=_("content"))
    def content(self, obj: SingleSourceNotice):
        return render_to_string(
            obj.announcement.body_template,
            {"announcement": obj.announcement, "data": obj.announcement.data},
        )


@admin.register(SingleSourceObjection)
class SingleSourceObjectionAdmin(ReadOnlyAdmin):
    """Objections to single source notices: records, copied to the bureau (O74 Art 39)."""

    list_display = ["reference", "notice", "name", "organisation", "submitted_at"]
    search_fields = ["reference", "name", "organisation", "text", "notice__supplier_name"]
    date_hierarchy = "submitted_at"
    list_select_related = ["notice", "notice__announcement"]
    exclude = ["token"]  # the receipt's key is the objector's, not the bureau's


@admin.register(PlanDocument)
class PlanDocumentAdmin(ReadOnlyAdmin):
    list_display = ["title", "plan", "is_current", "added_by", "created"]
    list_filter = ["is_current"]
    search_fields = ["title", "plan__project_name"]
    list_select_related = ["plan", "added_by"]


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
    """Who asked is for the purchaser and its agency only (issue 4 §5): no supplier column,
    field, filter or search here, and the history shows no user for the question."""

    list_display = ["__str__", "lot", "status", "created", "answered_at"]
    list_filter = ["status"]
    search_fields = ["question", "answer"]
    list_select_related = ["lot", "lot__project"]
    exclude = ["supplier", "asked_by"]


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
        super().clean()
        data = self.cleaned_data
        default = DEFAULTS.get(data.get("key", ""))
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
