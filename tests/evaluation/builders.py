"""Builders for evaluation tests: a lot opened through the bidding services, and its committee.

Until the expert draw (experts.services) is merged, the committee is made here with the ORM and
the Member transitions: five seats, four experts (the first the leader) and the purchaser's
representative (RULES.md D-1: odd, at least five, experts at least two thirds).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import time_machine

from accounts.models import OrganisationKind, User
from bidding.models import Bid
from bidding.services import decrypt_bid
from experts.models import Committee, Member, MemberKind
from procurement.models import Lot
from tests.bidding.helpers import PASSPHRASE, announced_lot, bid, third_supplier
from tests.factories import OrganisationFactory, UserFactory
from timers.services import sweep

# A Tuesday: the lot closes and opens then; the tests run after it.
DEADLINE = dt.datetime(2026, 11, 10, 1, 30, tzinfo=dt.UTC)
BEFORE = DEADLINE - dt.timedelta(days=1)
PRICES = ("100000.00", "110000.00", "120000.00")


def bidders(cast, n: int = 3) -> list[User]:
    users = [cast.supplier, cast.supplier2]
    for i in range(3, n + 1):
        users.append(third_supplier(name=f"郑州第{i}供应商有限公司", username=f"supplier{i}"))
    return users[:n]


def opened_lot(cast, *, prices=PRICES, agency: bool = True, **lot_fields) -> tuple[Lot, list[Bid]]:
    """A lot announced, bid on by one supplier per price (distinct IPs and devices), closed at
    DEADLINE by the sweep and opened by every bidder decrypting: state OPENED."""
    plan_fields = {"agency": cast.agency.memberships.get().organisation} if agency else {}
    plan_fields.update(lot_fields)
    with time_machine.travel(BEFORE - dt.timedelta(days=19), tick=False):
        lot = announced_lot(cast, deadline=DEADLINE, **plan_fields)
    users = bidders(cast, len(prices))
    with time_machine.travel(BEFORE, tick=False):
        bids = [
            bid(lot, user, price, ip=f"10.0.0.{i}", device=f"dev-{i}")
            for i, (user, price) in enumerate(zip(users, prices, strict=True), start=1)
        ]
    with time_machine.travel(DEADLINE, tick=False):
        sweep()
    with time_machine.travel(DEADLINE + dt.timedelta(minutes=5), tick=False):
        for b, user in zip(bids, users, strict=True):
            decrypt_bid(bid=b, passphrase=PASSPHRASE, acting_user=user)
    lot.refresh_from_db()
    for b in bids:
        b.refresh_from_db()
    return lot, bids


@dataclass
class Seats:
    committee: Committee
    leader: Member
    members: list[Member]  # every seat, the leader first, the purchaser's representative last

    @property
    def users(self) -> list[User]:
        return [m.user for m in self.members]

    @property
    def rep(self) -> Member:
        return self.members[-1]


def seated_committee(cast, lot: Lot, *, accepted: int = 5, cast_expert_leads: bool = True) -> Seats:
    """A committee of five for `lot`: `cast.expert` (the leader) and three more experts, and a
    purchaser's representative; the first `accepted` seats accepted, the rest still invited."""
    committee = Committee.objects.create(
        lot=lot,
        size=5,
        expert_seats=4,
        evaluation_at=DEADLINE + dt.timedelta(days=2),
        created_by=cast.agency,
    )
    employer = OrganisationFactory(kind=OrganisationKind.SUPPLIER, name="河南大学")
    experts = [cast.expert] + [
        UserFactory(username=f"expert{i}", full_name=f"专家{i}", is_expert=True, employer=employer)
        for i in range(2, 5)
    ]
    rep = UserFactory(
        username="purchaser_rep",
        full_name="采购人代表",
        organisation=cast.purchaser.memberships.get().organisation,
    )
    members = []
    for i, user in enumerate([*experts, rep]):
        member = Member.objects.create(
            committee=committee,
            user=user,
            kind=MemberKind.PURCHASER_REP if user is rep else MemberKind.EXPERT,
            is_leader=(i == 0 and cast_expert_leads),
            respond_by=DEADLINE + dt.timedelta(days=1),
        )
        if i < accepted:
            member.accept(at=DEADLINE)
            member.save()
        members.append(member)
    return Seats(committee=committee, leader=members[0], members=members)


def add_replacement(seats: Seats, username: str = "expert9") -> Member:
    """A replacement expert seated (what the EXPERTS replacement draw will do)."""
    user = UserFactory(username=username, full_name="替补专家", is_expert=True)
    member = Member.objects.create(committee=seats.committee, user=user, kind=MemberKind.EXPERT)
    member.accept(at=DEADLINE)
    member.save()
    seats.members.insert(-1, member)
    return member
