"""The bureau's admin for bids and openings: read-only metadata, never a sealed bid.

Bids of lots not yet opened are left out of the queryset, so neither the list nor its count
says how many bids a lot has before the opening (DESIGN.md "Sealed bids"). Ciphertext and keys
are not shown at all.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from accounts.rules import is_bureau_supervisor
from common.admin import ReadOnly

from .models import (
    OPENED_LOT_STATES,
    Bid,
    BiddingParameters,
    BidFile,
    Opening,
    OpeningResponse,
    OpeningRules,
)


class BidFileInline(ReadOnly, admin.TabularInline):
    model = BidFile
    fields = ("position", "original_name", "kind", "size", "sha256", "metadata")
    readonly_fields = fields
    extra = 0

    def has_view_permission(self, request, obj=None) -> bool:
        # The files go with their bid (obj): seen by whoever may see the opened bid. Asked
        # without a bid (the inline's queryset), the parent's check has already been made.
        if obj is None:
            return bool(is_bureau_supervisor(request.user))
        return request.user.has_perm("bidding.view_bid", obj)


@admin.register(Bid)
class BidAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["uuid", "lot", "supplier", "state", "received_at", "price", "decrypted_at"]
    list_filter = ["state"]
    list_select_related = ["lot", "lot__project", "supplier"]
    fields = (
        "uuid",
        "lot",
        "supplier",
        "submitted_by",
        "state",
        "received_at",
        "withdrawn_at",
        "key_method",
        "format_version",
        "price",
        "decrypted_at",
        "sme_items",
        "arrangement",
        "small_micro_share",
        "domestic_share",
        "receipt_pdf",
        "ip_address",
        "device_id",
        "user_agent_hash",
        "integrity_failed_at",
        "integrity_failure",
        "platform_failure_at",
        "platform_failure_by",
        "remedy_until",
        "remedied_at",
    )
    readonly_fields = fields
    inlines = [BidFileInline]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(lot__state__in=OPENED_LOT_STATES)

    # simple-history's pages find a bid the list leaves out through its historical rows, then
    # ask has_view_permission: the bureau would get a 403 (so the id exists) and a superuser,
    # whom Django grants every permission, the bid's recorded changes. A bid outside the list
    # has no history page, the same 404 for everyone as an id that never existed.
    def history_view(self, request, object_id, extra_context=None):
        self._get_listed_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._get_listed_or_404(request, object_id)
        return super().history_form_view(
            request, object_id, version_id, extra_context=extra_context
        )

    def _get_listed_or_404(self, request, object_id) -> Bid:
        bid = self.get_object(request, unquote(object_id))
        if bid is None:
            raise Http404
        return bid

    def has_view_permission(self, request, obj=None) -> bool:
        if obj is None:
            return is_bureau_supervisor(request.user)
        return request.user.has_perm("bidding.view_bid", obj)

    def has_module_permission(self, request) -> bool:
        return is_bureau_supervisor(request.user)


@admin.register(Opening)
class OpeningAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["lot", "started_at", "window_ends_at", "finished_at", "failed_reason"]
    list_select_related = ["lot", "lot__project"]
    readonly_fields = [
        "lot",
        "started_at",
        "window_ends_at",
        "finished_at",
        "confirmation_ends_at",
        "record_pdf",
        "failed_reason",
    ]
    exclude = ["record"]

    def get_queryset(self, request):
        # During the window the record is not made yet; it holds no price before the end.
        return super().get_queryset(request)


@admin.register(OpeningRules)
class OpeningRulesAdmin(ReadOnly, SimpleHistoryAdmin):
    """The purchaser or agency sets them on the lot's page; the bureau reads them here."""

    list_display = ["lot", "reupload_on_platform_failure", "reupload_window_minutes", "modified"]
    list_filter = ["reupload_on_platform_failure"]
    list_select_related = ["lot", "lot__project"]
    readonly_fields = ["lot", "reupload_on_platform_failure", "reupload_window_minutes"]


@admin.register(OpeningResponse)
class OpeningResponseAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["opening", "supplier", "kind", "at"]
    list_filter = ["kind"]
    readonly_fields = ["opening", "supplier", "kind", "text", "by", "at"]


@admin.register(BiddingParameters)
class BiddingParametersAdmin(SimpleHistoryAdmin):
    list_display = [
        "__str__",
        "min_bids_public_tender",
        "min_bids_other",
        "confirmation_window_minutes",
    ]

    def has_add_permission(self, request) -> bool:
        return not BiddingParameters.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
