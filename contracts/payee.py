"""The payee account a higher app has fixed on a contract, asked of the app that knows.

RULES.md §8.2 (政府采购合同融资) steps 3–5: when a bank finances a contract, the collection
account (回款账户) it names is written into the contract as the only payee account, and no one
changes it without the bank's consent; the purchaser pays into it. The financing app (layer 6)
registers a lookup here in its AppConfig.ready(); the drafting service asks it before writing an
account into a draft, and the payment service records the account each payment went to.
contracts never imports financing (DESIGN.md "Apps and layers").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FixedPayee:
    """The account a payment must go to, and who fixed it (shown with the account)."""

    bank_name: str
    account_name: str
    account_number: str
    fixed_by: str  # e.g. "中原银行郑州分行 · 融资申请 ZCD-2026-0001"


# lookup(award) -> the account fixed for the award's contract, or None.
PayeeLookup = Callable[[Any], FixedPayee | None]
_lookups: list[PayeeLookup] = []


def register_payee_lookup(lookup: PayeeLookup) -> PayeeLookup:
    if lookup not in _lookups:
        _lookups.append(lookup)
    return lookup


def fixed_payee(award) -> FixedPayee | None:
    """The first account a registered lookup has fixed for `award`'s contract, if any."""
    for lookup in _lookups:
        found = lookup(award)
        if found is not None:
            return found
    return None


def differs(payee: FixedPayee, *, bank_name: str, account_name: str, account_number: str) -> bool:
    return (payee.bank_name, payee.account_name, payee.account_number) != (
        bank_name.strip(),
        account_name.strip(),
        account_number.strip(),
    )
