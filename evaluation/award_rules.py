"""Object permissions for the report and the result (issue 11 §5–§6; merged into rules.py).

The report names the committee, which stays secret until the result announcement (RULES.md D-2):
it is read by the seated members, the lot's purchaser and agency and the bureau; never by a
bidder. The award (and its notice) is the winner's, the purchaser's, the agency's and the
bureau's. Only the purchaser confirms the result (O87 Art 68).
"""

from __future__ import annotations

import rules

from accounts.rules import grant_bureau_permissions, is_bureau_supervisor
from procurement.rules import is_entrusted_agency, is_own_purchaser

from .rules import is_evaluation_staff, is_seated_member


@rules.predicate
def is_evaluation_purchaser(user, evaluation) -> bool:
    return evaluation is not None and is_own_purchaser(user, evaluation.lot)


@rules.predicate
def is_award_winner(user, award) -> bool:
    from accounts.selectors import is_member

    return award is not None and is_member(user, award.bid.supplier_id)


@rules.predicate
def is_award_staff(user, award) -> bool:
    return award is not None and (
        is_own_purchaser(user, award.lot) or is_entrusted_agency(user, award.lot)
    )


rules.add_perm(
    "evaluation.view_report",
    is_bureau_supervisor | is_evaluation_staff | is_seated_member,
)
rules.add_perm("evaluation.confirm_result", is_evaluation_purchaser)
rules.add_perm("evaluation.view_award", is_bureau_supervisor | is_award_staff | is_award_winner)
# The bureau reads signatures and awards in the admin; nobody edits them there.
grant_bureau_permissions("evaluation", ["reportsignature", "award"], view_only=True)
