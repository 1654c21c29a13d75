"""Reads about bids and openings, and the access helpers every bid or opening URL goes through.

An access helper raises Http404 when the user may not see the object at all (so a bid's id never
reveals that the bid exists) and PermissionDenied (403) when it sees it but may not change it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.selectors import organisation_of
from procurement.models import Lot, LotState
from suppliers.sme import enterprise_label, items_from_data

from .evidence import collusion_flags
from .models import LIVE, Bid, BidState, Opening, OpeningResponse


def get_bid_for_user(*, user, bid_uuid, for_write: bool = False) -> Bid:
    bid = (
        Bid.objects.select_related("lot", "lot__project", "supplier", "submitted_by", "receipt_pdf")
        .filter(uuid=bid_uuid)
        .first()
    )
    if bid is None or not user.has_perm("bidding.view_bid", bid):
        raise Http404
    if for_write and not user.has_perm("bidding.change_bid", bid):
        raise PermissionDenied
    return bid


def get_biddable_lot(*, lot_id: int) -> Lot:
    """A lot a supplier may try to bid on: announced once (a draft or cancelled lot is 404).

    A closed lot is found too, so that a late bid is refused with the deadline, not a 404.
    """
    lot = (
        Lot.objects.select_related("project", "project__purchaser")
        .filter(pk=lot_id, announced_at__isnull=False)
        .exclude(state=LotState.CANCELLED)
        .first()
    )
    if lot is None:
        raise Http404
    return lot


def get_opening_for_user(*, user, lot_id: int) -> Opening:
    opening = (
        Opening.objects.select_related(
            "lot", "lot__project", "lot__project__purchaser", "record_pdf"
        )
        .filter(lot_id=lot_id)
        .first()
    )
    if opening is None or not user.has_perm("bidding.view_opening", opening):
        raise Http404
    return opening


def bids_of_supplier(user) -> QuerySet[Bid]:
    organisation = organisation_of(user)
    if organisation is None:
        return Bid.objects.none()
    return (
        Bid.objects.filter(supplier=organisation)
        .exclude(state=BidState.DRAFT)
        .select_related("lot", "lot__project")
        .order_by("-received_at", "-id")
    )


def live_bid_of(*, lot: Lot, user) -> Bid | None:
    organisation = organisation_of(user)
    if organisation is None:
        return None
    return Bid.objects.filter(lot=lot, supplier=organisation, state__in=LIVE).first()


def opening_bids(opening: Opening) -> list[Bid]:
    return list(
        Bid.objects.filter(lot_id=opening.lot_id, state__in=LIVE)
        .select_related("supplier")
        .prefetch_related("files")
        .order_by("received_at", "id")
    )


def opening_record_context(opening: Opening) -> dict:
    import datetime as dt

    record = opening.record or {}
    rows = []
    for row in record.get("bids", []):
        rows.append(
            {
                **row,
                "received": dt.datetime.fromisoformat(row["received_at"]),
                "decrypted": dt.datetime.fromisoformat(row["decrypted_at"])
                if row.get("decrypted_at")
                else None,
                # The SME declaration letter as the bidder sealed it (shown once decrypted).
                "sme_lines": items_from_data(row.get("sme_items") or []),
            }
        )
    return {
        "opening": opening,
        "lot": opening.lot,
        "project": opening.lot.project,
        "rows": rows,
        "letters": [row for row in rows if row["sme_lines"]],
        "enterprise_label": enterprise_label(opening.lot.kind),
        "now": timezone.now(),
    }


def responses_of(opening: Opening) -> list[OpeningResponse]:
    return list(opening.responses.select_related("supplier", "by"))


def flags_for(opening: Opening):
    """Collusion leads over the opened bids (after the opening only)."""
    if not opening.is_finished:
        return []
    return collusion_flags(opening_bids(opening))
