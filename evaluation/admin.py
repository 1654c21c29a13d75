"""The bureau's admin for evaluations: every record read-only (states change through the
services). The bureau supervises the evaluation, so it sees the committee's work in full."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from common.admin import ReadOnly

from .models import (
    Award,
    BidReview,
    Declaration,
    Evaluation,
    PriceInquiry,
    ReportSignature,
    Score,
    ScoreSheet,
)


class BidReviewInline(ReadOnly, admin.TabularInline):
    model = BidReview
    fields = (
        "bid",
        "qualified",
        "qualification_reason",
        "credit_checked_at",
        "credit_listed",
        "qualified_by",
        "compliant",
        "invalid_ground",
        "compliance_reason",
    )
    readonly_fields = fields
    extra = 0


class DeclarationInline(ReadOnly, admin.TabularInline):
    model = Declaration
    fields = ("member", "signed_at", "no_conflict", "conflict_detail")
    readonly_fields = fields
    extra = 0


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["lot", "state", "started_at", "qualification_done_at", "compliance_done_at"]
    list_filter = ["state"]
    list_select_related = ["lot", "lot__project"]
    search_fields = ["lot__project__code", "lot__project__name", "lot__name"]
    readonly_fields = [
        "lot",
        "state",
        "started_at",
        "qualification_done_at",
        "compliance_done_at",
        "reported_at",
        "report",
        "report_pdf",
        "tie_draw",
        "failed_reason",
    ]
    fields = tuple(readonly_fields)
    inlines = [DeclarationInline, BidReviewInline]


@admin.register(Declaration)
class DeclarationAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["evaluation", "member", "signed_at", "no_conflict"]
    list_filter = ["no_conflict"]
    list_select_related = ["evaluation__lot__project", "member__user"]
    readonly_fields = [
        "evaluation",
        "member",
        "signed_at",
        "no_conflict",
        "conflict_detail",
        "statement",
    ]
    fields = tuple(readonly_fields)


@admin.register(PriceInquiry)
class PriceInquiryAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["evaluation", "bid", "asked_at", "due", "answered_at", "decision"]
    list_filter = ["decision"]
    list_select_related = ["evaluation__lot__project", "bid"]
    readonly_fields = [
        "evaluation",
        "bid",
        "question",
        "asked_at",
        "asked_by",
        "due",
        "answer",
        "answer_files",
        "answered_at",
        "decision",
        "decision_reason",
        "decided_at",
    ]
    fields = tuple(readonly_fields)


class ScoreInline(ReadOnly, admin.TabularInline):
    model = Score
    fields = ("bid", "criterion", "points")
    readonly_fields = fields
    extra = 0


@admin.register(ScoreSheet)
class ScoreSheetAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["evaluation", "member", "submitted_at"]
    list_select_related = ["evaluation__lot__project", "member__user"]
    readonly_fields = ["evaluation", "member", "submitted_at"]
    fields = tuple(readonly_fields)
    inlines = [ScoreInline]


@admin.register(ReportSignature)
class ReportSignatureAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["evaluation", "member", "signed_at"]
    readonly_fields = ["evaluation", "member", "signed_at", "dissent", "report_sha256"]
    fields = tuple(readonly_fields)


@admin.register(Award)
class AwardAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["lot", "bid", "rank", "price", "decided_at", "deemed"]
    list_select_related = ["lot", "lot__project", "bid"]
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
    fields = tuple(readonly_fields)
