"""Home sections: the supplier's bids, openings to decrypt and expired qualifications; the
purchaser's and agency's lots before their deadline (opening rules) and decryption failures
waiting for their ruling."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.home import HomeSection
from accounts.selectors import organisation_of
from suppliers.selectors import expired_qualifications

from .selectors import bids_of_supplier, failures_awaiting_ruling, lots_for_opening_rules

LIMIT = 8


def supplier_section(request, role):
    if role != "supplier":
        return None
    return HomeSection(
        title=_("My bids"),
        template="bidding/home/supplier.html",
        context={
            "bids": list(bids_of_supplier(request.user)[:8]),
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
