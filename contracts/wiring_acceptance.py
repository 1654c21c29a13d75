"""What delivery and acceptance register with the lower apps (called by contracts.wiring)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def connect() -> None:
    from accounts.todo import register_todo_provider
    from audit.labels import register_action_labels
    from documents.access import register_file_access
    from documents.uses import MB, register_file_use
    from timers.registry import register_clock_kind

    from . import todo_acceptance
    from .selectors_acceptance import acceptance_file_access
    from .services.acceptance import ACCEPTANCE, DELIVERY_DOCUMENT_USE

    register_file_use(
        DELIVERY_DOCUMENT_USE,
        allowed={"pdf", "ofd", "jpeg", "png", "docx", "doc"},
        max_bytes=20 * MB,
        label=_("Delivery document"),
    )
    register_file_access(acceptance_file_access)
    # RULES.md §17 "履约验收一日成": delivery declared → acceptance recorded, one working day,
    # reminded and escalated to the bureau when breached.
    register_clock_kind(ACCEPTANCE, label=_("Acceptance recorded (one working day)"))
    for provider in todo_acceptance.PROVIDERS:
        register_todo_provider(provider)
    register_action_labels(
        {
            "contracts.delivery.declared": _("Delivery declared by the supplier"),
            "contracts.acceptance.recorded": _("Acceptance recorded"),
            "contracts.acceptance.passed": _("Contract passed acceptance"),
            "contracts.acceptance.stage_passed": _("Acceptance stage passed"),
            "contracts.acceptance.failed": _("Acceptance not passed"),
            "contracts.acceptance.report_signed": _("Acceptance report signed"),
        }
    )
