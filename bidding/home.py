"""The supplier's home section: its bids, openings to decrypt, and expired qualifications."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.home import HomeSection
from accounts.selectors import organisation_of
from suppliers.selectors import expired_qualifications

from .selectors import bids_of_supplier


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
