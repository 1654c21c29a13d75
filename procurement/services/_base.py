"""Small pieces shared by the procurement services."""

from __future__ import annotations

from collections.abc import Iterable

from common.errors import DomainError


class RulesBroken(DomainError):
    """One or more legal rules refuse the action; `messages` lists each, for the form."""

    def __init__(self, messages: Iterable[str], *, code: str = "rules") -> None:
        self.messages = [str(m) for m in messages]
        super().__init__(" ".join(self.messages), code=code)


def refuse_if(problems: list[str]) -> None:
    if problems:
        raise RulesBroken(problems)
