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
