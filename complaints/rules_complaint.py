"""Object permissions for complaints: the complainant, the respondent and the bureau see a case;
nobody else learns it exists (the public reads only the published decision, or the status page
with the case's access code)."""

from __future__ import annotations

import rules

from accounts.rules import is_bureau_supervisor
from accounts.selectors import is_member

from . import rules as question_rules  # noqa: F401  (grants the bureau's view first)


@rules.predicate
def is_complainant(user, complaint) -> bool:
    return complaint is not None and is_member(user, complaint.complainant_id)


@rules.predicate
def is_respondent(user, complaint) -> bool:
    """The respondent, once the bureau has sent it the complaint (O94 Art 21 (4))."""
    return (
        complaint is not None
        and complaint.respondent_id is not None
        and complaint.notice_sent_at is not None
        and is_member(user, complaint.respondent_id)
    )


rules.set_perm("complaints.view_complaint", is_complainant | is_respondent | is_bureau_supervisor)
