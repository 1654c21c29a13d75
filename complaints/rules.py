"""Object permissions for inquiries and questions: the supplier that filed the case, the
purchaser and agency of the lot, and the bureau; nobody else (a case names its supplier)."""

from __future__ import annotations

import rules

from accounts.rules import grant_bureau_permissions, is_bureau_supervisor
from accounts.selectors import is_member, organisation_of


@rules.predicate
def is_case_supplier(user, case) -> bool:
    return case is not None and is_member(user, case.supplier_id)


@rules.predicate
def is_case_responder(user, case) -> bool:
    if case is None:
        return False
    project = case.lot.project
    return is_member(user, project.purchaser_id) or (
        project.agency_id is not None and is_member(user, project.agency_id)
    )


@rules.predicate
def is_told_of_the_reply(user, question) -> bool:
    """Another supplier concerned by a replied question, to whom the reply was sent (O94 Art
    13): it reads the reply, not the question's materials."""
    from .models import QuestionState
    from .services import affected_suppliers

    if question is None or question.state != QuestionState.REPLIED:
        return False
    organisation = organisation_of(user)
    return (
        organisation is not None
        and affected_suppliers(question).filter(pk=organisation.pk).exists()
        and is_member(user, organisation.pk)
    )


rules.add_perm(
    "complaints.view_question", is_case_supplier | is_case_responder | is_bureau_supervisor
)
rules.add_perm(
    "complaints.view_question_reply",
    is_case_supplier | is_case_responder | is_bureau_supervisor | is_told_of_the_reply,
)
rules.add_perm("complaints.reply_question", is_case_responder)
rules.add_perm(
    "complaints.view_inquiry", is_case_supplier | is_case_responder | is_bureau_supervisor
)
rules.add_perm("complaints.answer_inquiry", is_case_responder)

grant_bureau_permissions("complaints", ["inquiry", "question", "complaint"])
