from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BiddingConfig(AppConfig):
    name = "bidding"
    verbose_name = _("Bidding")

    def ready(self) -> None:
        from django.urls import reverse

        from accounts.home import register_home_section
        from accounts.todo import register_todo_provider
        from common.links import register_link
        from common.sealing import register_seal
        from documents.access import register_file_access
        from documents.models import StoredFile
        from documents.uses import MB, register_file_use
        from experts.bidders import register_bidders_source
        from procurement.lot_links import register_lot_links
        from procurement.signals import lot_closed, procurement_cancelled
        from timers.registry import register_clock_kind, register_due_action

        from . import (  # noqa: F401  (rules registers the permissions)
            audit_labels,  # noqa: F401 - labels its audit actions
            home,
            rules,
            todo,
        )
        from .access import receipt_file_access
        from .models import Bid, BidFile
        from .selectors import (
            bidders_after_opening,
            opening_links,
            sealed_bid_files,
            sealed_bid_records,
            sealed_bids,
            sealed_receipts,
        )
        from .services import (
            DECRYPTION_CLOCK,
            OPENING_RECORD_USE,
            RECEIPT_USE,
            finish_opening_at_window_end,
            start_opening_on_close,
            tell_bidders_of_cancellation,
        )

        register_file_use(
            OPENING_RECORD_USE, allowed={"pdf"}, max_bytes=20 * MB, label=_("Opening record")
        )
        register_file_use(RECEIPT_USE, allowed={"pdf"}, max_bytes=5 * MB, label=_("Bid receipt"))
        # A stored receipt is its bidder's: nobody else downloads it before the opening.
        register_file_access(receipt_file_access)
        # Before the opening nobody but the bidder sees that a bid exists (issue 5 §3): not its
        # audit events, its trail, its files' rows or its stored receipt (common.sealing).
        register_seal(Bid, sealed_bids)
        register_seal(BidFile, sealed_bid_files)
        register_seal(Bid.history.model, sealed_bid_records)
        register_seal(StoredFile, sealed_receipts)
        # The decryption window ends by itself (EBID Arts 30–31); nobody is reminded.
        register_clock_kind(
            DECRYPTION_CLOCK, label=_("Decryption window"), remind=False, escalate=False
        )
        register_due_action(DECRYPTION_CLOCK, finish_opening_at_window_end)
        # procurement closes the lot at the deadline and says so; the opening starts in the
        # same transaction (DESIGN.md: a lower app tells a higher one by a signal).
        lot_closed.connect(start_opening_on_close, dispatch_uid="bidding.start_opening")
        procurement_cancelled.connect(
            tell_bidders_of_cancellation, dispatch_uid="bidding.tell_bidders_of_cancellation"
        )
        # The expert draw checks the experts against the bidders once they are known.
        register_bidders_source(bidders_after_opening)
        # procurement's project page and list of lots link each lot's opening and record.
        register_lot_links(opening_links)
        # procurement's public lot page offers the bid form while the lot takes bids.
        register_link("bid_form", lambda pk: reverse("bidding:submit", args=[pk]))
        # What this app asks of each role: the to-do list (accounts.todo).
        for todo_provider in todo.PROVIDERS:
            register_todo_provider(todo_provider)
        register_home_section(home.supplier_section)
        register_home_section(home.staff_section)
