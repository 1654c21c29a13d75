"""Who bid on a lot, as the expert draw needs it for the conflict checks (RULES.md D-5).

Bids belong to `bidding`, a higher layer: it registers a source in its AppConfig.ready() and
experts asks through `bidders_of(lot)`, never importing it (DESIGN.md, "Apps and layers"). A
source answers None while the bids are sealed: before the opening nobody may know who bid
(DESIGN.md, "Sealed bids"), so a draw before it checks the purchaser, the agency and the
declared relations only, and the seats are checked again when the opening ends
(experts.services.recheck_after_opening, called by bidding).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

BiddersSource = Callable[[Any], list[Any] | None]
_sources: list[BiddersSource] = []


def register_bidders_source(source: BiddersSource) -> BiddersSource:
    """`source(lot)` returns the bidding organisations once known (after the opening), else None."""
    if source not in _sources:
        _sources.append(source)
    return source


def bidders_of(lot) -> list[Any] | None:
    """The organisations that bid on `lot`, or None while that is not known (sealed bids)."""
    for source in _sources:
        found = source(lot)
        if found is not None:
            return found
    return None
