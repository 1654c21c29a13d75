"""Reads about bids and openings, and the access helpers every bid or opening URL goes through.

An access helper raises Http404 when the user may not see the object at all (so a bid's id never
reveals that the bid exists) and PermissionDenied (403) when it sees it but may not change it.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import is_member, organisation_of, role_of
from documents.models import StoredFile
from procurement.models import Lot, LotState
from procurement.status import lot_status as procurement_lot_status
from suppliers.sme import enterprise_label, items_from_data, letter_context

from .declaration import describe
from .evidence import collusion_flags
from .models import LIVE, Bid, BidFile, BidState, Opening, OpeningResponse
from .services import RECEIPT_USE

# What a bid leaves outside its own pages before its opening, declared to common.sealing in
# BiddingConfig.ready(): each returns a queryset, read as a subquery.


def sealed_bids() -> QuerySet[Bid]:
    return Bid.objects.sealed()


def sealed_bid_files() -> QuerySet[BidFile]:
    return BidFile.objects.filter(bid__in=Bid.objects.sealed())


def sealed_bid_records() -> QuerySet:
    """The bids' recorded changes (simple-history rows), e.g. as a trail's subject."""
    return Bid.history.filter(id__in=Bid.objects.sealed().values("pk"))


def sealed_receipts() -> QuerySet[StoredFile]:
    """Stored receipt PDFs, but those of bids whose opening has made its record.

    A receipt not (or not yet) linked to a bid counts as sealed: render_bid_receipt stores the
    PDF before it links it to the bid.
    """
    shown = Bid.objects.exclude(pk__in=Bid.objects.sealed().values("pk")).filter(
        receipt_pdf__isnull=False  # NOT IN over a NULL would exclude every row
    )
    return StoredFile.objects.filter(use=RECEIPT_USE).exclude(pk__in=shown.values("receipt_pdf"))


def get_bid_for_user(*, user, bid_uuid, for_write: bool = False) -> Bid:
    bid = (
        Bid.objects.select_related("lot", "lot__project", "supplier", "submitted_by", "receipt_pdf")
        .filter(uuid=bid_uuid)
        .first()
    )
    if bid is None or not user.has_perm("bidding.view_bid", bid):
        raise Http404
    # An active superuser holds every permission without the rules being asked; the seal is not
    # a permission: before its opening a bid is its bidder's alone (issue 5 §3).
    if not is_member(user, bid.supplier_id) and Bid.objects.sealed().filter(pk=bid.pk).exists():
        raise Http404
    if for_write and not user.has_perm("bidding.change_bid", bid):
        raise PermissionDenied
    return bid


def get_biddable_lot(*, lot_id: int) -> Lot:
    """A lot a supplier may try to bid on: announced once (a draft lot is 404).

    A closed, failed or terminated (cancelled) lot is found too, so that the bid page says why
    no bid is taken (the deadline, the lot's state) instead of a 404.
    """
    lot = (
        Lot.objects.select_related("project", "project__purchaser")
        .filter(pk=lot_id, announced_at__isnull=False)
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


def get_lot_for_opening_rules(*, user, lot_id: int, for_write: bool = False) -> Lot:
    """A lot whose opening rules the user reads (project staff, bureau) or sets (staff)."""
    lot = (
        Lot.objects.select_related("project", "project__purchaser", "project__agency")
        .filter(pk=lot_id)
        .first()
    )
    if lot is None or not user.has_perm("bidding.view_openingrules", lot):
        raise Http404
    if for_write and not user.has_perm("bidding.change_openingrules", lot):
        raise PermissionDenied
    return lot


def get_failed_bid_for_staff(*, user, lot_id: int, bid_uuid) -> tuple[Opening, Bid]:
    """A bid whose sealed data failed its integrity check, for the staff ruling on it.

    Reached through the opening (the staff may not see a bid before the record): 404 unless
    the user sees the opening and the bid failed; 403 unless it may rule (not the bureau).
    """
    opening = get_opening_for_user(user=user, lot_id=lot_id)
    bid = (
        Bid.objects.select_related("supplier", "lot")
        .filter(lot_id=lot_id, uuid=bid_uuid, integrity_failed_at__isnull=False)
        .first()
    )
    if bid is None:
        raise Http404
    if not user.has_perm("bidding.rule_on_failure", opening):
        raise PermissionDenied
    return opening, bid


def lots_for_opening_rules(user) -> QuerySet[Lot]:
    """The user's lots (purchaser or agency) still before their bid deadline."""
    organisation = organisation_of(user)
    if organisation is None:
        return Lot.objects.none()
    return (
        Lot.objects.filter(
            Q(project__purchaser=organisation) | Q(project__agency=organisation),
            state__in=[LotState.DRAFT, LotState.ANNOUNCED],
        )
        .filter(Q(bid_deadline__isnull=True) | Q(bid_deadline__gt=timezone.now()))
        .select_related("project", "opening_rules")
        # Soonest deadline first, lots without one last on every database (SQLite sorts NULL
        # first, PostgreSQL last).
        .order_by(F("bid_deadline").asc(nulls_last=True), "id")
    )


def failures_awaiting_ruling(user) -> QuerySet[Bid]:
    """Bids of the user's openings in progress whose failure nobody has ruled on yet."""
    organisation = organisation_of(user)
    if organisation is None:
        return Bid.objects.none()
    return (
        Bid.objects.filter(
            Q(lot__project__purchaser=organisation) | Q(lot__project__agency=organisation),
            lot__state=LotState.OPENING,
            state=BidState.SUBMITTED,
            integrity_failed_at__isnull=False,
            platform_failure_at__isnull=True,
        )
        .select_related("lot", "lot__project", "supplier")
        .order_by("integrity_failed_at")
    )


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


def bid_at_opening_of(*, lot: Lot, user) -> Bid | None:
    """The user's supplier's bid that the opening lists (live, or deemed withdrawn)."""
    organisation = organisation_of(user)
    if organisation is None:
        return None
    return (
        Bid.objects.filter(lot=lot, supplier=organisation)
        .at_opening()
        .prefetch_related("files")
        .first()
    )


def opening_bids(opening: Opening) -> list[Bid]:
    return list(
        Bid.objects.filter(lot_id=opening.lot_id)
        .at_opening()
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
                "received": dt.datetime.fromisoformat(row["received_at"])
                if row.get("received_at")
                else None,
                "decrypted": dt.datetime.fromisoformat(row["decrypted_at"])
                if row.get("decrypted_at")
                else None,
                # The SME declaration letter as the bidder sealed it (shown once decrypted).
                "sme_lines": items_from_data(row.get("sme_items") or []),
                "amount": Decimal(row["price"]) if row.get("price") else None,
                # Read out beside the price: the shares that change the evaluated price.
                "policy": describe(
                    arrangement=row.get("arrangement") or "",
                    small_micro_share=row.get("small_micro_share"),
                    domestic_share=row.get("domestic_share"),
                )
                if row.get("price")
                else "—",
            }
        )
    project = opening.lot.project
    # Each bidder's letter in the annex's form, dated the day its bid was received.
    letters = [
        letter_context(
            supplier_name=row["supplier"],
            purchaser_name=record.get("purchaser") or project.purchaser.name,
            project_name=record.get("project") or project.name,
            lines=row["sme_lines"],
            signed_on=row["received"],
            kind=opening.lot.kind,
        )
        for row in rows
        if row["sme_lines"]
    ]
    return {
        "opening": opening,
        "lot": opening.lot,
        "project": project,
        "rows": rows,
        "letters": letters,
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


def lot_status(lot, *, now) -> dict:
    """What a bidder's pages say of the lot its bid is on: the lot's status as every page reads
    it (procurement.status), and the opening page when there is one."""
    try:
        opening = lot.opening
    except ObjectDoesNotExist:
        opening = None
    # The failure notice gives the opening's reason: read it from the opening, no query more.
    status = procurement_lot_status(
        lot, now=now, failure_reason=opening.failed_reason if opening is not None else ""
    )
    if opening is None:
        link_label = ""
    elif opening.is_finished and not opening.failed_reason:
        link_label = _("Opening record")
    else:
        link_label = _("Opening page")
    return {
        "label": status.label,
        "reason": status.reason,
        "failed": status.stopped,
        "terminated": status.terminated,
        "link_label": link_label,
    }


def opening_links(lots, user) -> dict[int, list]:
    """procurement.lot_links provider: each lot's opening page, record and collusion leads, for
    whoever may read the opening (its staff, the bureau, its bidders). One query."""
    from django.urls import reverse

    from procurement.lot_links import LotLink

    links: dict[int, list] = {}
    # Collusion leads are for the organisers and the bureau, not the bidders.
    leads = role_of(user) != "supplier"
    for opening in Opening.objects.filter(lot__in=[lot.pk for lot in lots]).select_related(
        "lot", "lot__project"
    ):
        if not user.has_perm("bidding.view_opening", opening):
            continue
        url = reverse("bidding:opening", args=[opening.lot_id])
        if not opening.is_finished:
            found = [LotLink(_("Opening in progress"), url, "opening")]
        elif opening.failed_reason:
            found = [LotLink(_("Opening page"), url, "opening")]
        else:
            found = [
                LotLink(_("Opening record"), url, "record"),
                LotLink(
                    _("Record (PDF)"), reverse("bidding:record_pdf", args=[opening.lot_id]), "pdf"
                ),
            ]
            if leads:
                found.append(LotLink(_("Collusion leads"), f"{url}#flags", "collusion"))
        links[opening.lot_id] = found
    return links


def bidders_after_opening(lot) -> list | None:
    """experts.bidders source: the organisations that bid on `lot` once its opening has ended
    (the conflict checks of the expert draw); None while the bids are sealed."""
    if not Opening.objects.filter(lot_id=lot.pk, finished_at__isnull=False).exists():
        return None
    bids = Bid.objects.filter(lot_id=lot.pk).at_opening().select_related("supplier")
    return list({bid.supplier_id: bid.supplier for bid in bids.order_by("pk")}.values())
