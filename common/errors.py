"""The DomainError family: a business rule refused an action; the message is for the user."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class DomainError(Exception):
    """A rule refused the action; str(error) is a translated message fit to show the user."""

    def __init__(self, message: StrOrPromise, *, code: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return str(self.message)


class PermissionDenied(DomainError):
    """The acting user may not do this to this object."""


class InvalidTransition(DomainError):
    """The object is not in a state that allows this action."""


class DeadlinePassed(DomainError):
    """The server clock says the deadline for this action has passed."""


class RulesBroken(DomainError):
    """One or more rules refuse the action; `messages` lists each, for the form."""

    def __init__(self, messages: Iterable[StrOrPromise], *, code: str = "rules") -> None:
        self.messages = [str(m) for m in messages]
        super().__init__(" ".join(self.messages), code=code)
