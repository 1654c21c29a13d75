"""Contracts tests start from an award: a lot announced, bid, opened through the services
(bench/builders.py and the bidding services), then the evaluation and award rows written with the
ORM until the award services land (issue 11 is built in parallel)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import time_machine
from django.utils import timezone

from bidding.models import Bid
from bidding.services import decrypt_bid
from evaluation.models import Award, Evaluation, EvaluationState
from procurement.models import Lot
from tests.bidding.helpers import PASSPHRASE, announced_lot, bid, third_supplier
from timers.services import sweep

# A Tuesday in term time: the award notice goes out on Thursday 2026-03-26.
DEADLINE = dt.datetime(2026, 3, 24, 1, 30, tzinfo=dt.UTC)
NOTICE = dt.datetime(2026, 3, 26, 2, 0, tzinfo=dt.UTC)  # 10:00 in Beijing
PRICE = Decimal("100000.00")


def opened_lot(cast, *, deadline: dt.datetime = DEADLINE, **plan_fields) -> tuple[Lot, list[Bid]]:
    """A lot with three bids, decrypted by their bidders at the opening: the lot is opened."""
    with time_machine.travel(deadline - dt.timedelta(days=20), tick=False):
        lot = announced_lot(cast, deadline=deadline, **plan_fields)
    third = third_supplier()
    with time_machine.travel(deadline - dt.timedelta(days=1), tick=False):
        bids = [
            bid(lot, cast.supplier, str(PRICE), ip="1.1.1.1", device="d1"),
            bid(lot, cast.supplier2, "110000.00", ip="2.2.2.2", device="d2"),
            bid(lot, third, "120000.00", ip="3.3.3.3", device="d3"),
        ]
    with time_machine.travel(deadline, tick=False):
        sweep()
    with time_machine.travel(deadline + dt.timedelta(minutes=2), tick=False):
        for b, user in zip(bids, [cast.supplier, cast.supplier2, third], strict=True):
            decrypt_bid(bid=b, passphrase=PASSPHRASE, acting_user=user)
    lot.refresh_from_db()
    for b in bids:
        b.refresh_from_db()
    return lot, bids


def make_award(cast, *, notice_issued_at: dt.datetime | None = NOTICE, **plan_fields) -> Award:
    """The first bid (cast.supplier's, 100,000.00 yuan) awarded, its notice issued at the time."""
    lot, bids = opened_lot(cast, **plan_fields)
    decided = (notice_issued_at or timezone.now()) - dt.timedelta(hours=1)
    evaluation = Evaluation.objects.create(
        lot=lot, state=EvaluationState.DECIDED, started_at=decided - dt.timedelta(days=1)
    )
    return Award.objects.create(
        lot=lot,
        evaluation=evaluation,
        bid=bids[0],
        rank=1,
        price=bids[0].price,
        decided_at=decided,
        decided_by=cast.purchaser,
        notice_issued_at=notice_issued_at,
    )


def draft_values(award, **overrides):
    """The award's proposed draft, with a bank account filled in."""
    from contracts.services import initial_values

    values = initial_values(award)
    values.supplier_bank_name = "中原银行郑州分行"
    values.supplier_account_number = "6222000011112222"
    for name, value in overrides.items():
        setattr(values, name, value)
    return values


def drafted_contract(cast, award=None, **overrides):
    from contracts.services import draft_contract

    award = award or make_award(cast)
    with time_machine.travel(NOTICE + dt.timedelta(hours=1), tick=False):
        return draft_contract(
            award=award, values=draft_values(award, **overrides), acting_user=cast.purchaser
        )
