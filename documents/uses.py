"""Per-use rules for uploads: which kinds of file a use accepts and how large they may be.

An app registers its uses in its AppConfig.ready(), e.g.
    register_file_use("bidding.bid_file", allowed={"pdf"}, max_bytes=50 * MB, label=_("Bid file"))
and passes the name to documents.services.store_file(use=...).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .kinds import FileKind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MB = 1024 * 1024


@dataclass(frozen=True)
class FileUse:
    name: str
    allowed: frozenset[str]
    max_bytes: int
    label: StrOrPromise


_USES: dict[str, FileUse] = {}


def register_file_use(
    name: str, *, allowed: set[str], max_bytes: int, label: StrOrPromise
) -> FileUse:
    """Declare a use; registering the same name again with the same rule is harmless."""
    unknown = set(allowed) - set(FileKind.values)
    if unknown:
        raise ValueError(f"Unknown file kinds for use {name!r}: {sorted(unknown)}")
    if not allowed or max_bytes <= 0:
        raise ValueError(f"File use {name!r} needs at least one kind and a positive size limit")
    use = FileUse(name=name, allowed=frozenset(allowed), max_bytes=max_bytes, label=label)
    existing = _USES.get(name)
    if existing is not None and (existing.allowed, existing.max_bytes) != (
        use.allowed,
        use.max_bytes,
    ):
        raise ValueError(f"File use {name!r} is already registered with a different rule")
    _USES[name] = use
    return use


def get_file_use(name: str) -> FileUse:
    """The registered use `name`; a KeyError names the uses that exist (a programming error)."""
    try:
        return _USES[name]
    except KeyError:
        raise KeyError(f"No file use {name!r}; registered: {sorted(_USES)}") from None


def file_use_choices() -> list[tuple[str, str]]:
    """(name, label) of every registered use, for the admin's filter."""
    return sorted((use.name, str(use.label)) for use in _USES.values())


def file_use_label(name: str) -> str:
    """The label of use `name`, or the name itself for a use no longer registered."""
    use = _USES.get(name)
    return str(use.label) if use else name
