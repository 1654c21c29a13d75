"""Every write about bids and openings: `verb_noun(*, ..., acting_user)`.

- submission: sealing, submitting, replacing and withdrawing bids, and their receipts;
- opening: the online opening, the bidders' decryption, the record and the responses to it;
- remedy: a decryption failure for reasons outside the bidder (EBID Art 31, RULES.md C-5);
- _base: what they share (limits, messages, the supplier check, reading uploads).
"""

from __future__ import annotations

from ._base import (
    ATTEMPT_PERIOD,
    BID_FILE_KINDS,
    BID_FILE_MAX_BYTES,
    DECRYPTION_CLOCK,
    MAX_FILES,
    MIN_PASSPHRASE,
    OPENING_RECORD_USE,
    RECEIPT_USE,
    SEAL_BROKEN,
    WRONG_KEY,
    format_moment,
    parse_price,
)
from .opening import (
    Opened,
    OpenedFile,
    decrypt_bid,
    finish_opening,
    finish_opening_at_window_end,
    integrity_evidence,
    open_sealed,
    render_opening_record_pdf,
    respond_to_record,
    start_opening,
    start_opening_on_close,
    tell_bidders_of_cancellation,
)
from .remedy import record_platform_failure, remedy_bid, set_opening_rules
from .submission import (
    Evidence,
    Sealed,
    SealedFile,
    bidding_closed,
    lot_state_label,
    manifest_bytes,
    render_bid_receipt,
    seal_bid,
    submit_bid,
    withdraw_bid,
)

__all__ = [
    "ATTEMPT_PERIOD",
    "BID_FILE_KINDS",
    "BID_FILE_MAX_BYTES",
    "DECRYPTION_CLOCK",
    "MAX_FILES",
    "MIN_PASSPHRASE",
    "OPENING_RECORD_USE",
    "RECEIPT_USE",
    "SEAL_BROKEN",
    "WRONG_KEY",
    "Evidence",
    "Opened",
    "OpenedFile",
    "Sealed",
    "SealedFile",
    "bidding_closed",
    "lot_state_label",
    "decrypt_bid",
    "finish_opening",
    "finish_opening_at_window_end",
    "format_moment",
    "manifest_bytes",
    "integrity_evidence",
    "open_sealed",
    "parse_price",
    "record_platform_failure",
    "remedy_bid",
    "set_opening_rules",
    "render_bid_receipt",
    "render_opening_record_pdf",
    "respond_to_record",
    "seal_bid",
    "start_opening",
    "start_opening_on_close",
    "tell_bidders_of_cancellation",
    "submit_bid",
    "withdraw_bid",
]
