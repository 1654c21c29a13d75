"""The bureau reads the evaluation records in the admin; nobody edits them there."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

# --- issue 11 (award): signatures and awards, read-only ------------------------------------------
from .models import Award, ReportSignature


class ReadOnly:
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReportSignature)
class ReportSignatureAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["evaluation", "member", "signed_at", "report_sha256"]
    list_select_related = ["evaluation__lot__project", "member__user"]
    search_fields = ["evaluation__lot__project__code", "member__user__full_name"]
    readonly_fields = ["evaluation", "member", "signed_at", "dissent", "report_sha256"]


@admin.register(Award)
class AwardAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["lot", "bid", "rank", "price", "decided_at", "deemed"]
    list_filter = ["deemed"]
    list_select_related = ["lot__project", "bid"]
    search_fields = ["lot__project__code", "lot__name", "bid__supplier__name"]
    readonly_fields = [
        "lot",
        "evaluation",
        "bid",
        "rank",
        "price",
        "decided_at",
        "decided_by",
        "deemed",
        "passed_over",
        "notice_pdf",
        "notice_issued_at",
        "announcement",
    ]


# --- end issue 11 (award) ------------------------------------------------------------------------
