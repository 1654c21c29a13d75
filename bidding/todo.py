"""What bidding asks of each role (accounts.todo): a bidder decrypts its bid within the window,
uploads again after a platform failure, confirms the opening record; the purchaser or agency
rules on a decryption that failed through the platform. Read from the bids and openings, so an
item goes the moment the step is done. One query per kind of item."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import OrganisationKind
from accounts.todo import Owed, TodoItem
from procurement.models import LotState

from .models import Bid, BidState, Opening


def _subject(lot) -> str:
    return _("%(project)s · lot %(number)s %(name)s") % {
        "project": lot.project.name,
        "number": lot.number,
        "name": lot.name,
    }


def bidder_items(owed: Owed) -> Iterator[TodoItem]:
    if owed.role != OrganisationKind.SUPPLIER:
        return
    now = timezone.now()
    org = owed.organisation
    for bid in (
        Bid.objects.filter(
            supplier=org,
            state=BidState.SUBMITTED,
            lot__state=LotState.OPENING,
            lot__opening__window_ends_at__gt=now,
        )
        .select_related("lot", "lot__project", "lot__opening")
        .order_by("lot__opening__window_ends_at", "id")
    ):
        if bid.remedy_until is not None:
            if now < bid.remedy_until:
                yield TodoItem(
                    kind="bidding.files_to_upload_again",
                    title=_("Upload the sealed files of your bid again"),
                    subject=_subject(bid.lot),
                    url=reverse("bidding:reupload", args=[bid.uuid]),
                    due=bid.remedy_until,
                )
            continue
        if bid.integrity_failed_at is not None:
            continue  # the platform's failure: the purchaser or agency rules on it
        yield TodoItem(
            kind="bidding.bid_to_decrypt",
            title=_("Decrypt your bid"),
            subject=_subject(bid.lot),
            url=reverse("bidding:opening", args=[bid.lot_id]),
            due=bid.lot.opening.window_ends_at,
            note=_("A bid not decrypted within the window is revoked."),
        )
    for opening in (
        Opening.objects.filter(
            finished_at__isnull=False,
            failed_reason="",
            confirmation_ends_at__gt=now,
            lot__bids__supplier=org,
        )
        .filter(Q(lot__bids__state__in=[BidState.DECRYPTED, BidState.UNDECRYPTED]))
        .exclude(responses__supplier=org)
        .select_related("lot", "lot__project")
        .distinct()
        .order_by("confirmation_ends_at", "id")
    ):
        yield TodoItem(
            kind="bidding.record_to_confirm",
            title=_("Confirm the opening record or object to it"),
            subject=_subject(opening.lot),
            url=reverse("bidding:opening", args=[opening.lot_id]),
            due=opening.confirmation_ends_at,
            note=_("A bidder that does not respond is deemed to accept it (O87 Art 42)."),
        )


def staff_items(owed: Owed) -> Iterator[TodoItem]:
    if owed.role not in (OrganisationKind.PURCHASER, OrganisationKind.AGENCY):
        return
    org = owed.organisation
    for bid in (
        Bid.objects.filter(
            Q(lot__project__purchaser=org) | Q(lot__project__agency=org),
            lot__state=LotState.OPENING,
            state=BidState.SUBMITTED,
            integrity_failed_at__isnull=False,
            platform_failure_at__isnull=True,
        )
        .select_related("lot", "lot__project", "lot__opening", "supplier")
        .order_by("integrity_failed_at", "id")
    ):
        yield TodoItem(
            kind="bidding.failure_to_rule_on",
            title=_("Rule on a decryption that failed through the platform"),
            subject=_subject(bid.lot),
            url=reverse("bidding:opening", args=[bid.lot_id]),
            due=bid.lot.opening.window_ends_at,
            note=bid.supplier.name,
        )


PROVIDERS = [bidder_items, staff_items]
