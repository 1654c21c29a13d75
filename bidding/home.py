"""Home sections: the supplier's bids, openings to decrypt and expired qualifications; the
purchaser's and agency's lots before their deadline (opening rules) and decryption failures
waiting for their ruling."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.home import HomeSection
from accounts.selectors import organisation_of
from suppliers.selectors import expired_qualifications

from .selectors import (
    bids_of_supplier,
    failures_awaiting_ruling,
    lot_status,
    lots_for_opening_rules,
)

LIMIT = 8


def supplier_section(request, role):
    if role != "supplier":
        return None
    now = timezone.now()
    return HomeSection(
        title=_("My bids"),
        template="bidding/home/supplier.html",
        context={
            # Each bid with its lot's status as every page reads it (not 开标中 after the record).
            "bids": [
                (bid, lot_status(bid.lot, now=now))
                for bid in bids_of_supplier(request.user).select_related("lot__opening")[:8]
            ],
            "expired": expired_qualifications(organisation_of(request.user)),
        },
        order=25,
    )


def staff_section(request, role):
    if role not in ("purchaser", "agency"):
        return None
    return HomeSection(
        title=_("Openings"),
        template="bidding/home/staff.html",
        context={
            "failures": list(failures_awaiting_ruling(request.user)[:LIMIT]),
            "lots": list(lots_for_opening_rules(request.user)[:LIMIT]),
        },
        order=30,
    )
