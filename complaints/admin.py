"""The bureau's admin: the cases by state and due date, read only (they change only through
the services, by the parties)."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Complaint, Inquiry, Question, Referral


class ReadOnlyCase(SimpleHistoryAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


@admin.register(Inquiry)
class InquiryAdmin(ReadOnlyCase):
    list_display = [
        "lot",
        "supplier",
        "state",
        "may_affect_result",
        "received_at",
        "answer_due",
        "answered_at",
    ]
    list_filter = ["state", "may_affect_result"]
    list_select_related = ["lot", "lot__project", "supplier"]
    ordering = ["state", "answer_due"]
    search_fields = ["lot__project__code", "lot__project__name", "supplier__name"]


@admin.register(Question)
class QuestionAdmin(ReadOnlyCase):
    list_display = [
        "number",
        "lot",
        "supplier",
        "target",
        "state",
        "received_at",
        "reply_due",
        "outcome",
        "may_affect_result",
    ]
    list_filter = ["state", "target", "outcome", "may_affect_result"]
    list_select_related = ["lot", "lot__project", "supplier"]
    ordering = ["state", "reply_due"]
    search_fields = ["number", "lot__project__code", "supplier__name"]
    date_hierarchy = "received_at"


class ReferralInline(admin.TabularInline):
    """Testing and expert reviews (O94 Art 27), as recorded by the bureau's case page."""

    model = Referral
    extra = 0
    can_delete = False
    fields = [
        "kind",
        "body",
        "subject_matter",
        "expected_days",
        "sent_at",
        "returned_at",
        "finding",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyCase):
    inlines = [ReferralInline]
    list_display = [
        "number",
        "complainant",
        "respondent",
        "question",
        "state",
        "received_at",
        "review_due",
        "decision_due",
        "outcome",
    ]
    # dismissal_ground "no_basis" = found groundless (O94 Art 37; the bureau's page
    # complaints:repeat_complainants groups them by complainant).
    list_filter = ["state", "outcome", "dismissal_ground", "refusal_kind"]
    list_select_related = ["complainant", "respondent", "question"]
    ordering = ["state", "decision_due"]
    search_fields = ["number", "complainant__name"]
    exclude = ["access_code_hash"]

    def get_readonly_fields(self, request, obj=None):
        return [f for f in super().get_readonly_fields(request, obj) if f != "access_code_hash"]
