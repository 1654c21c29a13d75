"""Links from a lot to the pages of higher apps about it: its opening and record (bidding), later
its evaluation and contract. Each higher app registers a provider in its AppConfig.ready(), so
procurement's project page and the bureau's list of lots reach every stage without naming the
apps (DESIGN.md, "Apps and layers")."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .models import Lot


@dataclass(frozen=True)
class LotLink:
    label: str
    url: str
    key: str  # stable name for tests and styling, e.g. "opening", "record", "collusion"


# provider(lots, user) -> {lot id: [links the user may follow]}, in a fixed number of queries.
LotLinkProvider = Callable[[Sequence[Lot], Any], dict[int, list[LotLink]]]
_providers: list[LotLinkProvider] = []


def register_lot_links(provider: LotLinkProvider) -> LotLinkProvider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def lot_links(lots: Sequence[Lot], user) -> dict[int, list[LotLink]]:
    """Every registered link of each lot the user may follow, in the providers' order."""
    links: dict[int, list[LotLink]] = {lot.pk: [] for lot in lots}
    for provider in _providers:
        for lot_id, found in provider(lots, user).items():
            links.setdefault(lot_id, []).extend(found)
    return links


def with_links(lots: Sequence[Lot], user) -> Sequence[Lot]:
    """The lots, each with `.links` set."""
    found = lot_links(lots, user)
    for lot in lots:
        lot.links = found.get(lot.pk, [])  # type: ignore[attr-defined]
    return lots
