from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    name = "procurement"
    verbose_name = _("Procurement")

    def ready(self) -> None:
        from accounts.home import register_home_section
        from accounts.todo import register_todo_provider
        from documents.uses import MB, register_file_use
        from timers.registry import register_clock_kind, register_due_action

        from . import (
            audit_labels,  # noqa: F401 - labels its audit actions
            home,
            todo,
        )
        from .services.announcements import ANNOUNCEMENT_PDF_USE
        from .services.method_approvals import PLAN_DOCUMENTS_USE
        from .services.projects import (
            BID_DEADLINE_CLOCK,
            DOCUMENTS_PROVISION_CLOCK,
            TENDER_DOCUMENTS_USE,
            check_document_takers,
            close_lot_at_deadline,
        )
        from .services.single_source import OBJECTION_ATTACHMENT_USE, REVIEW_CLOCK

        register_file_use(
            TENDER_DOCUMENTS_USE,
            allowed={"pdf", "docx", "zip"},
            max_bytes=50 * MB,
            label=_("Tender documents"),
        )
        register_file_use(
            PLAN_DOCUMENTS_USE,
            # Expert opinions, the original contract, official letters (often OFD) and scans.
            allowed={"pdf", "ofd", "docx", "jpeg", "png"},
            max_bytes=20 * MB,
            label=_("Plan supporting documents"),
        )
        register_file_use(
            ANNOUNCEMENT_PDF_USE, allowed={"pdf"}, max_bytes=20 * MB, label=_("Announcement PDF")
        )
        register_file_use(
            OBJECTION_ATTACHMENT_USE,
            # The written objection (O74 Art 39) with its evidence: letters, scans, photos.
            allowed={"pdf", "ofd", "docx", "jpeg", "png"},
            max_bytes=20 * MB,
            label=_("Objection to a single source notice"),
        )
        # The purchaser's supplementary review of the objections, due within 5 working days
        # after the notice period (O74 Art 40): reminded, and the bureau told if it is missed.
        register_clock_kind(REVIEW_CLOCK, label=_("Review of objections to a single source notice"))
        from timers.subjects import register_clock_subjects

        from .clock_subjects import single_source_notice_subjects

        # The dashboards link the review to its page (issue 12 §7).
        register_clock_subjects(single_source_notice_subjects, kinds=[REVIEW_CLOCK])
        # Bidding closes by itself at the deadline (O87 Art 33; DESIGN.md "Time"); no reminder
        # or escalation: nobody has to act, the server does.
        register_clock_kind(
            BID_DEADLINE_CLOCK, label=_("Bid deadline"), remind=False, escalate=False
        )
        register_due_action(BID_DEADLINE_CLOCK, close_lot_at_deadline)
        # At the end of a tender's documents provision period the server counts the suppliers
        # who took them and tells the staff if fewer than three did (O87 Art 18).
        register_clock_kind(
            DOCUMENTS_PROVISION_CLOCK,
            label=_("End of the tender documents provision period"),
            remind=False,
            escalate=False,
        )
        register_due_action(DOCUMENTS_PROVISION_CLOCK, check_document_takers)
        # What this app asks of each role: the to-do list (accounts.todo).
        for todo_provider in todo.PROVIDERS:
            register_todo_provider(todo_provider)
        for provider in home.PROVIDERS:
            register_home_section(provider)
