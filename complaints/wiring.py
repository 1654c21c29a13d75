"""What the complaints app registers with the lower apps (DESIGN.md "Apps and layers")."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def connect() -> None:
    from django.urls import reverse

    from accounts.todo import register_todo_provider
    from common.links import register_link
    from documents.access import register_file_access
    from documents.uses import MB, register_file_use
    from procurement.blockers import register_signing_blocker
    from timers.registry import register_clock_kind

    from . import audit_labels, rules, todo  # noqa: F401  (they register themselves)
    from .selectors import QUESTION_MATERIALS, question_file_access
    from .services import INQUIRY_CLOCK, REPLY_CLOCK, signing_blockers

    register_clock_kind(INQUIRY_CLOCK, label=_("Inquiry answered (3 working days, IR Art 52)"))
    register_clock_kind(REPLY_CLOCK, label=_("Question replied to (7 working days, GPL Art 53)"))
    register_file_use(
        QUESTION_MATERIALS, allowed={"pdf"}, max_bytes=20 * MB, label=_("Question materials")
    )
    # The questioner, the purchaser and the agency download the question's materials.
    register_file_access(question_file_access)
    # IR Art 54: contracts' signing service asks procurement's registry; neither imports us.
    register_signing_blocker(signing_blockers)
    # procurement's public lot page links a supplier to its inquiries and questions.
    register_link("lot_challenges", lambda pk: reverse("complaints:lot_cases", args=[pk]))
    for provider in todo.PROVIDERS:
        register_todo_provider(provider)
    _connect_complaints()


def _connect_complaints() -> None:
    """The complaints of issue 13 §3-§6 (services_complaint)."""
    from accounts.home import register_home_section
    from accounts.todo import register_todo_provider
    from documents.uses import MB, register_file_use
    from procurement.blockers import register_signing_blocker
    from timers.registry import register_clock_kind, register_due_action

    from . import home_complaint, rules_complaint, todo_complaint  # noqa: F401
    from .services_complaint import (
        ANSWER_CLOCK,
        CORRECTION_CLOCK,
        DECISION_CLOCK,
        DECISION_USE,
        EVIDENCE_USE,
        NOTICE_CLOCK,
        RECEIPT_USE,
        REVIEW_CLOCK,
        SUSPENSION_CLOCK,
        resume_at_term_end,
        suspension_blockers,
    )

    register_clock_kind(REVIEW_CLOCK, label=_("Complaint reviewed (5 working days, O94 Art 21)"))
    register_clock_kind(CORRECTION_CLOCK, label=_("Complaint corrected (O94 Art 21 (1))"))
    register_clock_kind(
        DECISION_CLOCK, label=_("Complaint decided (30 working days, GPL Art 56; O94 Art 26)")
    )
    register_clock_kind(
        NOTICE_CLOCK,
        label=_("Complaint sent to the respondent (8 working days, O94 Art 21 (4))"),
    )
    register_clock_kind(ANSWER_CLOCK, label=_("Respondent's answer (5 working days, O94 Art 22)"))
    register_file_use(EVIDENCE_USE, allowed={"pdf"}, max_bytes=20 * MB, label=_("Complaint proof"))
    register_file_use(
        RECEIPT_USE, allowed={"pdf"}, max_bytes=5 * MB, label=_("Complaint acceptance receipt")
    )
    register_file_use(
        DECISION_USE, allowed={"pdf"}, max_bytes=5 * MB, label=_("Complaint decision letter")
    )
    for provider in todo_complaint.PROVIDERS:
        register_todo_provider(provider)
    register_home_section(home_complaint.section)
    register_clock_kind(
        SUSPENSION_CLOCK,
        label=_("Procurement suspended by the bureau (at most 30 days, O94 Art 28)"),
        remind=False,
    )
    register_due_action(SUSPENSION_CLOCK, resume_at_term_end)
    register_signing_blocker(suspension_blockers)
