"""Object permissions for evaluations (issue 11 §3).

- The agency runs the evaluation of a project entrusted to it; the purchaser runs it when it
  has no agency (it procures by itself). That organisation starts the evaluation.
- The purchaser or the agency records the qualification review (O87 Art 44).
- A seated member (accepted, not recused) takes part; the leader decides the committee's joint
  matters on its behalf (O87 Art 61: by majority), the compliance review and the low-price
  inquiries among them.
- The project staff and the bureau read the evaluation; the committee's names are shown to
  nobody else until the result (RULES.md D-2), and a member sees only its own seat.
"""

from __future__ import annotations

import rules

from accounts.rules import grant_bureau_permissions, is_bureau_supervisor
from accounts.selectors import organisation_of
from experts.models import Member
from experts.selectors import member_of
from procurement.rules import is_project_staff


def runs_procurement(user, lot) -> bool:
    """The user acts for the organisation that runs the lot's procurement: its agency, or the
    purchaser when it procures by itself."""
    organisation = organisation_of(user)
    if organisation is None or lot is None:
        return False
    project = lot.project
    return organisation.pk == (project.agency_id or project.purchaser_id)


def seat_of(user, evaluation) -> Member | None:
    """The user's live seat on the committee of the evaluated lot (accepted, not recused)."""
    if evaluation is None:
        return None
    return member_of(user, evaluation.lot_id)


@rules.predicate
def is_procurement_runner(user, lot) -> bool:
    return runs_procurement(user, lot)


@rules.predicate
def is_evaluation_staff(user, evaluation) -> bool:
    return evaluation is not None and is_project_staff(user, evaluation.lot)


@rules.predicate
def is_seated_member(user, evaluation) -> bool:
    return seat_of(user, evaluation) is not None


@rules.predicate
def is_committee_leader(user, evaluation) -> bool:
    seat = seat_of(user, evaluation)
    return seat is not None and seat.is_leader


rules.add_perm("evaluation.start_evaluation", is_procurement_runner)
rules.add_perm(
    "evaluation.view_evaluation",
    is_evaluation_staff | is_bureau_supervisor | is_seated_member,
)
rules.add_perm("evaluation.review_qualification", is_evaluation_staff)
rules.add_perm("evaluation.decide_for_committee", is_committee_leader)
rules.add_perm("evaluation.take_part", is_seated_member)

# The bureau reads every evaluation record in the admin; states change only through services.
grant_bureau_permissions(
    "evaluation",
    [
        "evaluation",
        "declaration",
        "bidreview",
        "scoresheet",
        "score",
        "priceinquiry",
        # reportsignature and award: award_rules.py
    ],
    view_only=True,
)
