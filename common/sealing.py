"""Rows sealed until a condition: the app that owns a secret declares them, people's reads skip them.

Issue 5 §3: before the opening nobody but the bidder can see that a bid exists, and the number
of bids is shown to no one (RULES.md C-1). The bidding app hides its bids on its own pages, but a
bid leaves traces in lower apps that know nothing about bids: its audit events (audit), its
receipt PDF (documents). So the owning app registers, in its AppConfig.ready(), a function that
returns the rows still sealed, as a queryset::

    register_seal(Bid, lambda: Bid.objects.sealed())

and every read made for people leaves those rows, and whatever is about them, out: the audit
log's admin and trails (audit.selectors.visible_events) and the documents admin. Nothing is
written, moved or deleted: the seal ends by itself when its condition stops holding (the opening),
and every trace shows as it was recorded.

The function returns a queryset, never a list, so that readers use it as a subquery: a page runs
the same number of queries however many rows are sealed. Services and tasks, which are not read
by people, use the plain managers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)
SealedRows = Callable[[], models.QuerySet[Any]]

_seals: dict[type[models.Model], list[SealedRows]] = {}


def register_seal(model: type[models.Model], rows: SealedRows) -> None:
    """Declare that `rows()` (a queryset of `model`) is sealed for now; idempotent."""
    registered = _seals.setdefault(model, [])
    if rows not in registered:
        registered.append(rows)


def unregister_seal(model: type[models.Model], rows: SealedRows) -> None:
    if rows in _seals.get(model, []):
        _seals[model].remove(rows)


def seals() -> list[tuple[type[models.Model], SealedRows]]:
    """Every (model, rows) declared, in the order of registration."""
    return [(model, rows) for model, functions in _seals.items() for rows in functions]


def exclude_sealed(queryset: models.QuerySet[M]) -> models.QuerySet[M]:
    """`queryset` without the rows of its model that are sealed now (one query, subqueries)."""
    for rows in _seals.get(queryset.model, []):
        queryset = queryset.exclude(pk__in=rows().values("pk"))
    return queryset


def is_sealed(model: type[models.Model], pk: Any) -> bool:
    """Whether the row `pk` of `model` is sealed now (one query per seal of the model)."""
    return any(rows().filter(pk=pk).exists() for rows in _seals.get(model, []))
