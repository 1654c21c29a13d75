"""The bureau's admin for deliveries and acceptances: records, read only (they change only
through the services, by the parties)."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from common.admin import ReadOnly

from .models import Acceptance, AcceptanceCheck, AcceptanceParticipant, Delivery, Signature


class CheckInline(ReadOnly, admin.TabularInline):
    model = AcceptanceCheck
    fields = ("item", "what", "passed", "finding")
    readonly_fields = fields
    extra = 0


class ParticipantInline(ReadOnly, admin.TabularInline):
    model = AcceptanceParticipant
    fields = ("kind", "name", "organisation_name", "opinion")
    readonly_fields = fields
    extra = 0


class ReportSignatureInline(ReadOnly, admin.TabularInline):
    model = Signature
    fk_name = "acceptance"
    fields = ("party", "organisation", "signer", "signed_at", "signed_sha256", "signed_pdf")
    readonly_fields = fields
    extra = 0


@admin.register(Delivery)
class DeliveryAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["__str__", "contract", "stage", "delivered_on", "declared_at"]
    list_select_related = ["contract", "stage"]
    search_fields = ["contract__number", "contract__supplier__name"]
    date_hierarchy = "declared_at"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields] + ["documents"]


@admin.register(Acceptance)
class AcceptanceAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["__str__", "contract", "stage", "result", "recorded_at", "accepted_on"]
    list_filter = ["result"]
    list_select_related = ["contract", "stage"]
    search_fields = ["contract__number", "contract__purchaser__name", "contract__supplier__name"]
    date_hierarchy = "recorded_at"
    inlines = [CheckInline, ParticipantInline, ReportSignatureInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]
