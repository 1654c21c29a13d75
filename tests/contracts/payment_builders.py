"""Contracts brought to acceptance for the payment tests.

Delivery and acceptance go through the acceptance services (tests/contracts/acceptance_builders),
so the payment clocks start the way they do in the product: from the `acceptance_passed` signal.
"""

from __future__ import annotations

import datetime as dt

from contracts.models import Contract, Delivery
from workdays.calendar import SHANGHAI

from . import acceptance_builders
from .builders import drafted_contract
from .test_signing import SIGN_AT, sign_both


def beijing(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


# Delivered Wednesday 2026-04-01, accepted Friday 2026-04-03 (before 清明, 04-04 to 04-06).
DELIVERED_AT = beijing(2026, 4, 1, 10, 0)
ACCEPTED_AT = beijing(2026, 4, 3, 15, 0)


def signed_contract(cast, *, sme: bool = True, **overrides) -> Contract:
    """Drafted (30 % advance, the rest on acceptance), the supplier an SME, signed by both."""
    contract = drafted_contract(cast, **overrides)
    contract.supplier_is_sme = sme  # PAY Art 3: declared at signing
    contract.save()
    return sign_both(cast, contract, at=SIGN_AT)


def deliver(cast, contract: Contract, *, at: dt.datetime) -> Delivery:
    """The supplier declares delivery through the acceptance service, on the day of `at`."""
    return acceptance_builders.deliver(
        cast, contract, at=at, delivered_on=at.astimezone(SHANGHAI).date()
    )


def accept(cast, contract: Contract, delivery: Delivery, *, at: dt.datetime) -> Contract:
    """The purchaser records a passed acceptance through the acceptance service, which makes the
    instalments owed (the `acceptance_passed` signal calls start_payment_clocks)."""
    acceptance_builders.accept(cast, delivery, at=at)
    contract.refresh_from_db()
    return contract


def accepted_contract(
    cast,
    *,
    delivered_at: dt.datetime = DELIVERED_AT,
    accepted_at: dt.datetime = ACCEPTED_AT,
    sme: bool = True,
    **overrides,
) -> Contract:
    contract = signed_contract(cast, sme=sme, **overrides)
    delivery = deliver(cast, contract, at=delivered_at)
    return accept(cast, contract, delivery, at=accepted_at)
