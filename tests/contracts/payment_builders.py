"""Contracts brought to acceptance for the payment tests.

The delivery and acceptance services are built in parallel (branch `acceptance`): until they are
merged, `accepted_contract` declares delivery and passes acceptance with the model's FSM
transitions and minimal Delivery / Acceptance rows, then calls `start_payment_clocks` as the
acceptance service will. At merge, switch `deliver` and `accept` to those services.
"""

from __future__ import annotations

import datetime as dt

import time_machine

from contracts.models import Acceptance, AcceptanceResult, Contract, Delivery
from contracts.services.payment import start_payment_clocks
from workdays.calendar import SHANGHAI

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
    """To be replaced by the acceptance branch's delivery service at merge."""
    with time_machine.travel(at, tick=False):
        delivery = Delivery.objects.create(
            contract=contract,
            declared_at=at,
            declared_by=cast.supplier,
            delivered_on=at.astimezone(SHANGHAI).date(),
        )
        contract.declare_delivery(at=at)
        contract.save()
    return delivery


def accept(cast, contract: Contract, delivery: Delivery, *, at: dt.datetime) -> Contract:
    """To be replaced by the acceptance branch's acceptance service at merge (it calls
    start_payment_clocks when acceptance passes)."""
    accepted_on = at.astimezone(SHANGHAI).date()
    with time_machine.travel(at, tick=False):
        Acceptance.objects.create(
            contract=contract,
            delivery=delivery,
            result=AcceptanceResult.PASSED,
            recorded_at=at,
            recorded_by=cast.purchaser,
            accepted_on=accepted_on,
        )
        contract.pass_acceptance(at=at)
        contract.save()
        start_payment_clocks(contract, accepted_on=accepted_on, at=at, acting_user=cast.purchaser)
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
