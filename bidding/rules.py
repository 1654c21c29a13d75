"""Object permissions for bids and openings.

Before the opening a bid exists for its bidder only: not the purchaser, the agency, the bureau
or the admin (DESIGN.md "Sealed bids"). Once the lot is opened, the project staff and the bureau
see the bids. The opening is for the bidders, the project staff and the bureau; experts never
(O87 Art 40: evaluation-committee members must not attend the opening).
"""

from __future__ import annotations

import rules

from accounts.rules import grant_bureau_permissions, is_bureau_supervisor, is_expert
from accounts.selectors import is_member
from procurement.rules import is_project_staff

from .models import OPENED_LOT_STATES, Bid, OpeningRules


@rules.predicate
def is_own_bid(user, bid) -> bool:
    return bid is not None and is_member(user, bid.supplier_id)


@rules.predicate
def is_opened_bid(user, bid) -> bool:
    return bid is not None and bid.lot.state in OPENED_LOT_STATES


@rules.predicate
def is_bid_project_staff(user, bid) -> bool:
    return bid is not None and is_project_staff(user, bid.lot)


@rules.predicate
def is_bidder_at_opening(user, opening) -> bool:
    if opening is None:
        return False
    from accounts.selectors import organisation_of

    organisation = organisation_of(user)
    return (
        organisation is not None
        and Bid.objects.filter(lot_id=opening.lot_id, supplier=organisation).at_opening().exists()
    )


@rules.predicate
def is_opening_project_staff(user, opening) -> bool:
    return opening is not None and is_project_staff(user, opening.lot)


rules.add_perm(
    "bidding.view_bid",
    is_own_bid | (is_opened_bid & (is_bid_project_staff | is_bureau_supervisor)),
)


@rules.predicate
def is_lot_project_staff(user, obj) -> bool:
    """For a lot, or for its OpeningRules (the admin asks with the row)."""
    lot = obj.lot if isinstance(obj, OpeningRules) else obj
    return lot is not None and is_project_staff(user, lot)


rules.add_perm("bidding.change_bid", is_own_bid)
# The lot's opening rules (the remedy of EBID Art 31) are set by the purchaser or agency, read
# by them and the bureau; a failed decryption is ruled on by the purchaser or agency.
rules.add_perm("bidding.view_openingrules", is_lot_project_staff | is_bureau_supervisor)
rules.add_perm("bidding.change_openingrules", is_lot_project_staff)
rules.add_perm("bidding.rule_on_failure", is_opening_project_staff)
rules.add_perm(
    "bidding.view_opening",
    # The cheap role checks first: a list of lots asks this for each (no query for the bureau).
    ~is_expert & (is_bureau_supervisor | is_opening_project_staff | is_bidder_at_opening),
)
# The bureau reads openings and their responses in the admin, and edits the opening parameters;
# bids it sees there only once opened (bidding.admin filters the queryset).
grant_bureau_permissions("bidding", ["opening", "openingresponse", "openingrules"], view_only=True)
grant_bureau_permissions("bidding", ["biddingparameters"], view_only=False)
