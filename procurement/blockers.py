"""What stops a lot's contract from being signed, asked of the apps that know (DESIGN.md layers).

《中华人民共和国政府采购法实施条例》第五十四条: while an inquiry or question that may change the
result is open, the purchaser does not sign the contract. The app that holds questions
(complaints) registers a check here in its AppConfig.ready(); the contract's signing service
calls `refuse_signing_while_blocked(lot)`. Neither app imports the other.
"""

from __future__ import annotations

from collections.abc import Callable

from common.errors import RulesBroken

from .models import Lot

# check(lot) -> the reasons the lot's contract may not be signed now (empty: nothing blocks).
SigningBlocker = Callable[[Lot], list[str]]
_blockers: list[SigningBlocker] = []


def register_signing_blocker(check: SigningBlocker) -> SigningBlocker:
    if check not in _blockers:
        _blockers.append(check)
    return check


def unregister_signing_blocker(check: SigningBlocker) -> None:
    if check in _blockers:
        _blockers.remove(check)


def signing_blockers(lot: Lot) -> list[str]:
    """Every reason given by a registered check, in registration order."""
    return [reason for check in _blockers for reason in check(lot)]


def refuse_signing_while_blocked(lot: Lot) -> None:
    """Raise RulesBroken (a DomainError) with every reason when anything blocks the signing."""
    reasons = signing_blockers(lot)
    if reasons:
        raise RulesBroken(reasons, code="signing_blocked")


__all__ = [
    "SigningBlocker",
    "refuse_signing_while_blocked",
    "register_signing_blocker",
    "signing_blockers",
    "unregister_signing_blocker",
]
