"""Who may download a stored file: the uploader, apps' registered checkers, the bureau.

documents sits at the bottom layer and knows nothing about bids or contracts, so each app that
attaches files to its objects registers a checker in its AppConfig.ready(). A checker returns
True to grant, None when it has no opinion (not its file, or no special right for this user),
and False only to forbid everyone but the uploader, the bureau included:

    def bid_file_access(user, stored_file) -> bool | None:
        bid = Bid.objects.filter(files=stored_file).first()
        if bid is None:
            return None                      # not a bid file
        if not bid.is_opened:
            return False                     # sealed: only the bidder itself (the uploader)
        return True if user.has_perm("bidding.view_bid", bid) else None

    register_file_access(bid_file_access)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from accounts.rules import is_bureau_supervisor

if TYPE_CHECKING:
    from accounts.models import User

    from .models import StoredFile

FileAccessChecker = Callable[["User", "StoredFile"], "bool | None"]

_CHECKERS: list[FileAccessChecker] = []


def register_file_access(checker: FileAccessChecker) -> None:
    """Add a checker: it returns True (may download), False (must not) or None (no opinion)."""
    if checker not in _CHECKERS:
        _CHECKERS.append(checker)


def unregister_file_access(checker: FileAccessChecker) -> None:
    if checker in _CHECKERS:
        _CHECKERS.remove(checker)


def can_download(user: User, stored_file: StoredFile) -> bool:
    """Whether `user` may download `stored_file`.

    1. Anonymous users never may.
    2. The uploader always may (their own file).
    3. Any checker that says False vetoes: e.g. sealed bid files, which no one — the bureau
       included — may read before the opening (DESIGN.md, "Sealed bids").
    4. Any checker that says True grants.
    5. Otherwise the finance bureau may (it supervises everything); nobody else.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if stored_file.uploaded_by_id is not None and stored_file.uploaded_by_id == user.pk:
        return True
    answers = [checker(user, stored_file) for checker in _CHECKERS]
    if False in answers:
        return False
    if True in answers:
        return True
    return bool(is_bureau_supervisor(user))
