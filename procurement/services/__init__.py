"""Every write with business meaning in procurement: `verb_noun(*, ..., acting_user)`.

Grouped by object: intentions, plans, method approvals (and plan documents), single source
notices (and their objections), projects (and lots), announcements, clarifications.
"""

from __future__ import annotations

from .announcements import (
    cancel_procurement,
    publish_correction,
    publish_tender_announcement,
    render_announcement_pdf,
)
from .clarifications import answer_question, ask_question
from .intentions import create_intention, publish_intention, update_intention
from .method_approvals import (
    add_plan_document,
    approve_method_change,
    reject_method_change,
    remove_plan_document,
)
from .plans import create_plan, file_plan, return_plan, submit_plan, update_plan
from .projects import (
    add_tender_document,
    close_lot,
    create_project,
    record_download,
    remove_tender_document,
    update_lot,
)
from .single_source import (
    file_objection,
    publish_single_source_notice,
    record_notice_review,
)

__all__ = [
    "add_plan_document",
    "add_tender_document",
    "answer_question",
    "approve_method_change",
    "ask_question",
    "cancel_procurement",
    "close_lot",
    "create_intention",
    "create_plan",
    "create_project",
    "file_objection",
    "file_plan",
    "publish_correction",
    "publish_intention",
    "publish_single_source_notice",
    "publish_tender_announcement",
    "record_download",
    "record_notice_review",
    "reject_method_change",
    "remove_plan_document",
    "remove_tender_document",
    "render_announcement_pdf",
    "return_plan",
    "submit_plan",
    "update_intention",
    "update_lot",
    "update_plan",
]
