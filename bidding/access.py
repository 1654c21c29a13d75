"""Who downloads a bid's stored receipt through documents (documents.access checkers)."""

from __future__ import annotations

from accounts.selectors import is_member

from .models import Bid
from .services import RECEIPT_USE


def receipt_file_access(user, stored_file) -> bool | None:
    """The bidder's members; after the opening whoever may see the bid; nobody else.

    False vetoes the bureau's general right to stored files: before the opening not even the
    fact of a bid is shown to anyone but its bidder (DESIGN.md, "Sealed bids").
    """
    if stored_file.use != RECEIPT_USE:
        return None
    bid = Bid.objects.select_related("lot").filter(receipt_pdf=stored_file).first()
    if bid is None:
        return False
    if is_member(user, bid.supplier_id):
        return True
    # An active superuser holds every permission without the rules being asked; the seal is not
    # a permission, so it is checked by itself.
    if Bid.objects.sealed().filter(pk=bid.pk).exists():
        return False
    return bool(user.has_perm("bidding.view_bid", bid))
