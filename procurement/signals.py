"""Signals procurement sends for higher apps (DESIGN.md, "Apps and layers")."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the transaction that closed bidding on a lot at its deadline (close_lot), with
# `lot` (locked, saved) and `at`. bidding starts the opening from it, so closing and starting
# the opening commit or roll back together.
lot_closed = Signal()

# Sent inside the transaction of cancel_procurement once the cancellation notice (终止公告) is
# published, with `project`, `lots` (the cancelled lots that had been announced),
# `announcement`, `context` (the notification's words) and `told` (ids of the organisations
# already told). bidding tells the bidders not yet told (O87 Art 29, GPL Art 36).
procurement_cancelled = Signal()
