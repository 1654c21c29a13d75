"""Signals procurement sends for higher apps (DESIGN.md, "Apps and layers")."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the transaction that closed bidding on a lot at its deadline (close_lot), with
# `lot` (locked, saved) and `at`. bidding starts the opening from it, so closing and starting
# the opening commit or roll back together.
lot_closed = Signal()
