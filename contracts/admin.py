"""The bureau's admin: the model contract texts kept and versioned here; the contracts and their
records read here (they change only through the services, by the parties)."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from common.admin import ReadOnly

from . import admin_acceptance  # noqa: F401  (deliveries and acceptances, issue 12 §5)
from .models import (
    AcceptanceCheck,
    AcceptanceParticipant,
    AcceptancePlan,
    AcceptanceStage,
    Contract,
    ContractItem,
    ContractTemplate,
    DraftComment,
    Payment,
    PaymentDispute,
    PaymentInstalment,
    Signature,
    SupplementaryContract,
    SupplementaryItem,
)


@admin.register(ContractTemplate)
class ContractTemplateAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "version", "effective_from", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["title"]

    def has_delete_permission(self, request, obj=None) -> bool:
        # A version a contract was drafted on stays: the contract reads its text.
        return False


class ItemInline(ReadOnly, admin.TabularInline):
    model = ContractItem
    fields = ("position", "name", "spec", "quantity", "unit", "unit_price")
    readonly_fields = fields
    extra = 0


class InstalmentInline(ReadOnly, admin.TabularInline):
    model = PaymentInstalment
    fields = (
        "position",
        "kind",
        "share",
        "amount",
        "condition",
        "stage",
        "owed_since",
        "legal_due_on",
    )
    readonly_fields = fields
    extra = 0


class SignatureInline(ReadOnly, admin.TabularInline):
    model = Signature
    fk_name = "contract"
    fields = ("party", "organisation", "signer", "signed_at", "signed_sha256", "signed_pdf")
    readonly_fields = fields
    extra = 0


class PaymentInline(ReadOnly, admin.TabularInline):
    model = Payment
    fields = (
        "kind",
        "amount",
        "voucher_number",
        "paid_on",
        "late_interest",
        "confirmed_by_supplier_at",
    )
    readonly_fields = fields
    extra = 0


@admin.register(Contract)
class ContractAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["number", "title", "purchaser", "supplier", "amount", "state", "signed_at"]
    list_filter = ["state", "sme_clause"]
    list_select_related = ["purchaser", "supplier"]
    search_fields = ["number", "title", "purchaser__name", "supplier__name"]
    date_hierarchy = "drafted_at"
    inlines = [ItemInline, InstalmentInline, SignatureInline, PaymentInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


def _read_only(model, *columns: str):
    class Admin(ReadOnly, admin.ModelAdmin):
        list_display = list(columns)

        def get_readonly_fields(self, request, obj=None):
            return [field.name for field in self.model._meta.fields]

    Admin.__name__ = f"{model.__name__}Admin"
    admin.site.register(model, Admin)


_read_only(
    Signature, "__str__", "party", "contract", "supplementary", "acceptance", "signed_sha256"
)
_read_only(
    Payment,
    "voucher_number",
    "contract",
    "kind",
    "amount",
    "paid_on",
    "late_interest",
    "confirmed_by_supplier_at",
)
_read_only(PaymentDispute, "__str__", "instalment", "amount", "raised_at", "settled_at")
_read_only(SupplementaryContract, "__str__", "amount", "state", "signed_at")
_read_only(SupplementaryItem, "__str__", "supplementary", "quantity")
_read_only(AcceptanceCheck, "what", "acceptance", "passed")
_read_only(AcceptanceParticipant, "__str__", "acceptance", "kind")
_read_only(AcceptancePlan, "__str__", "with_experts", "with_testing_body", "public_service")
_read_only(AcceptanceStage, "__str__", "plan")
_read_only(DraftComment, "__str__", "contract", "created")
