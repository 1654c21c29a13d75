"""Keyset (cursor) pagination for long public lists: no OFFSET, one query per page.

A page is found by "the rows after (or before) this key", where the key is the tuple of the
ordering columns of the last (or first) row shown, e.g. (published_at, id). With an index on
those columns in that order, the database walks straight to the page however deep it is,
and a row inserted meanwhile never shifts a page nor shows twice (an OFFSET would do both).

The key columns must be non-null and the last one unique (the primary key), so that the
order is total even when many rows share a publication moment.

The cursor in the URL is opaque (base64url of a small JSON document). It is not signed: a
hand-made cursor only points at another position in a list that is public anyway, and a
broken one is reported as InvalidCursor so the view can fall back to the first page.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q

T = TypeVar("T", bound=models.Model)

CURSOR_PARAM = "cursor"
DEFAULT_PAGE_SIZE = 20
FORWARD = "n"  # rows after the key, in list order ("next page")
BACKWARD = "p"  # rows before the key, in list order ("previous page")


class InvalidCursor(ValueError):
    """The cursor could not be decoded for this list."""


@dataclass(frozen=True)
class Cursor:
    """A position in a list: the key of a row and which side of it the page lies on."""

    values: tuple[Any, ...]
    direction: str = FORWARD


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError("keyset keys must be aware datetimes")
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date | Decimal):
        return str(value)
    return value


def encode_cursor(cursor: Cursor) -> str:
    """The URL-safe, opaque text of a cursor."""
    doc = {"k": [_plain(v) for v in cursor.values], "d": cursor.direction}
    raw = json.dumps(doc, separators=(",", ":"), ensure_ascii=True).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def decode_cursor(token: str, *, model: type[models.Model], keys: Sequence[str]) -> Cursor:
    """Parse a cursor made by encode_cursor for a list ordered on `keys` of `model`."""
    try:
        padded = token + "=" * (-len(token) % 4)
        doc = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, UnicodeError, binascii.Error) as exc:
        raise InvalidCursor(str(exc)) from exc
    if not isinstance(doc, dict):
        raise InvalidCursor("not a cursor")
    raw_values, direction = doc.get("k"), doc.get("d")
    if direction not in (FORWARD, BACKWARD):
        raise InvalidCursor("unknown direction")
    if not isinstance(raw_values, list) or len(raw_values) != len(keys):
        raise InvalidCursor("wrong number of key values")
    values = []
    for name, raw in zip(keys, raw_values, strict=True):
        if raw is None or isinstance(raw, dict | list):
            raise InvalidCursor(f"bad value for {name}")
        model_field = _field(model, name)
        try:
            value = model_field.to_python(raw)
        except (ValidationError, TypeError, ValueError) as exc:
            raise InvalidCursor(f"bad value for {name}") from exc
        if isinstance(value, dt.datetime) and value.tzinfo is None:
            raise InvalidCursor(f"naive datetime for {name}")
        values.append(value)
    return Cursor(tuple(values), direction)


def _field(model: type[models.Model], name: str) -> models.Field:
    if name == "pk":
        return model._meta.pk
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist as exc:
        raise ValueError(f"{model.__name__} has no field {name}") from exc
    if not isinstance(field, models.Field):  # a reverse relation has no value to order on
        raise ValueError(f"{model.__name__}.{name} is a reverse relation, not a field")
    return field


def _split(ordering: Sequence[str]) -> list[tuple[str, bool]]:
    """[("published_at", True), ("id", True)] for ("-published_at", "-id"); True = descending."""
    return [(key.lstrip("-"), key.startswith("-")) for key in ordering]


def _after(keys: list[tuple[str, bool]], values: Sequence[Any]) -> Q:
    """Rows strictly after `values` in the order `keys`.

    Written as  k1 <= v1 AND (k1 < v1 OR (k2 <= v2 AND (k2 < v2 OR ...)))  (for descending
    keys) rather than the textbook OR of ANDs: the leading range condition lets the database
    start an index scan right at the cursor instead of filtering the whole index.
    """
    (name, desc), *rest = keys
    value = values[0]
    strictly = Q(**{f"{name}__{'lt' if desc else 'gt'}": value})
    if not rest:
        return strictly
    loosely = Q(**{f"{name}__{'lte' if desc else 'gte'}": value})
    return loosely & (strictly | _after(rest, values[1:]))


@dataclass
class KeysetPage(Generic[T]):
    """One page of a keyset-paginated list, with the cursors of its neighbours."""

    items: list[T]
    next_cursor: str | None
    previous_cursor: str | None
    is_first: bool
    page_size: int
    query: Mapping[str, Any] = field(default_factory=dict)

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_previous(self) -> bool:
        return self.previous_cursor is not None

    def _url(self, cursor: str | None) -> str:
        params = [(k, v) for k, v in _pairs(self.query) if k != CURSOR_PARAM and v != ""]
        if cursor:
            params.append((CURSOR_PARAM, cursor))
        return "?" + urlencode(params) if params else "?"

    @property
    def next_url(self) -> str | None:
        return self._url(self.next_cursor) if self.next_cursor else None

    @property
    def previous_url(self) -> str | None:
        return self._url(self.previous_cursor) if self.previous_cursor else None

    @property
    def first_url(self) -> str:
        return self._url(None)


def _pairs(query: Mapping[str, Any]) -> list[tuple[str, str]]:
    if hasattr(query, "lists"):  # a QueryDict: keep repeated parameters
        return [(k, v) for k, vs in query.lists() for v in vs]
    return [(k, str(v)) for k, v in query.items()]


def paginate_keyset(
    queryset: models.QuerySet[T],
    *,
    ordering: Sequence[str] = ("-published_at", "-id"),
    cursor: str | None = None,
    page_size: int = DEFAULT_PAGE_SIZE,
    query: Mapping[str, Any] | None = None,
) -> KeysetPage[T]:
    """One page of `queryset` in `ordering`, starting at `cursor` (None: the first page).

    Runs exactly one query. `query` (usually request.GET) is kept in the neighbours' links.
    Raises InvalidCursor for a cursor that cannot be read; the caller decides what to show.
    """
    keys = _split(ordering)
    names = [name for name, _desc in keys]
    position = decode_cursor(cursor, model=queryset.model, keys=names) if cursor else None
    # 1. Going backwards, read the rows before the cursor in reverse order, then flip them.
    backwards = position is not None and position.direction == BACKWARD
    keys_read = [(name, not desc) for name, desc in keys] if backwards else keys
    qs = queryset
    if position is not None:
        qs = qs.filter(_after(keys_read, position.values))
    qs = qs.order_by(*[f"{'-' if desc else ''}{name}" for name, desc in keys_read])
    # 2. One row more than a page tells whether there is a page beyond, without a COUNT.
    rows = list(qs[: page_size + 1])
    more = len(rows) > page_size
    rows = rows[:page_size]
    if backwards:
        rows.reverse()
    # 3. The neighbours: coming from a side means that side has rows (at least the cursor's).
    has_next = position is not None if backwards else more
    has_previous = more if backwards else position is not None

    def key_of(row: T) -> tuple[Any, ...]:
        return tuple(getattr(row, "pk" if n == "pk" else n) for n in names)

    next_cursor = encode_cursor(Cursor(key_of(rows[-1]), FORWARD)) if has_next and rows else None
    previous_cursor = (
        encode_cursor(Cursor(key_of(rows[0]), BACKWARD)) if has_previous and rows else None
    )
    return KeysetPage(
        items=rows,
        next_cursor=next_cursor,
        previous_cursor=previous_cursor,
        is_first=not has_previous,
        page_size=page_size,
        query=query or {},
    )
