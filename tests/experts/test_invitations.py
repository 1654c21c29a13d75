"""Answers to invitations: accept, decline (a replacement at once), no answer (expiry by the
sweeper and a replacement), the leader when all have accepted, the check at the opening's end,
and who may read the names."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from audit.models import Event
from bidding import crypto
from bidding.services import decrypt_bid
from common.errors import DeadlinePassed, DomainError, InvalidTransition, PermissionDenied
from experts import selectors
from experts.models import Draw, MemberKind, MemberState
from experts.services import accept_invitation, decline_invitation
from notifications.models import Notification
from tests.bidding.helpers import PASSPHRASE, bid, third_supplier
from timers.models import Clock
from timers.services import sweep

from .helpers import DEADLINE, DRAW_AT, category_lot, employer, experts, formed, make_expert

pytestmark = pytest.mark.django_db

SOON = DRAW_AT + dt.timedelta(minutes=10)


@pytest.fixture
def lot(cast):
    return category_lot(cast)


def invited(committee):
    return list(
        committee.members.filter(kind=MemberKind.EXPERT, state=MemberState.INVITED).select_related(
            "user"
        )
    )


def accept_all(committee, at=SOON):
    with time_machine.travel(at, tick=False):
        for member in invited(committee):
            accept_invitation(member=member, acting_user=member.user)


def test_an_expert_accepts_its_seat(cast, lot):
    experts(6)
    committee = formed(lot, cast.purchaser)
    member = invited(committee)[0]
    with time_machine.travel(SOON, tick=False):
        accept_invitation(member=member, acting_user=member.user)
    member.refresh_from_db()
    assert member.state == MemberState.ACCEPTED and member.responded_at == SOON
    assert Clock.objects.get(subject_id=member.pk, kind="experts.invitation").met_at == SOON
    assert Notification.objects.get(kind="experts.invited", recipient=member.user).closed_at
    assert Event.objects.filter(
        action="experts.member.accepted", subject_object_id=member.pk
    ).exists()
    assert member.history.count() == 2


def test_nobody_else_answers_an_invitation(cast, lot):
    experts(6)
    member = invited(formed(lot, cast.purchaser))[0]
    other = invited(member.committee)[1]
    with time_machine.travel(SOON, tick=False):
        for user in [other.user, *cast.everyone().values()]:
            with pytest.raises(PermissionDenied):
                accept_invitation(member=member, acting_user=user)
            with pytest.raises(PermissionDenied):
                decline_invitation(member=member, reason="不便", acting_user=user)


def test_an_answer_is_given_once_and_in_time(cast, lot):
    experts(6)
    member = invited(formed(lot, cast.purchaser))[0]
    with time_machine.travel(SOON, tick=False):
        accept_invitation(member=member, acting_user=member.user)
        with pytest.raises(InvalidTransition):
            decline_invitation(member=member, reason="改变主意", acting_user=member.user)
    late = invited(member.committee)[0]
    with time_machine.travel(late.respond_by, tick=False), pytest.raises(DeadlinePassed):
        accept_invitation(member=late, acting_user=late.user)


def test_a_decline_draws_a_replacement_at_once(cast, lot):
    pool = experts(7)
    committee = formed(lot, cast.purchaser)
    member = invited(committee)[0]
    with time_machine.travel(SOON, tick=False):
        with pytest.raises(DomainError):
            decline_invitation(member=member, reason=" ", acting_user=member.user)
        decline_invitation(member=member, reason="当日出差", acting_user=member.user)
    member.refresh_from_db()
    assert member.state == MemberState.DECLINED and member.reason == "当日出差"
    second = Draw.objects.get(committee=committee, number=2)
    assert second.seats == 1 and second.record["purpose"] == "replacement"
    declined = member.user.expert_profile.pk
    assert declined in {row["expert"] for row in second.record["excluded"]}
    assert len(invited(committee)) == 5
    assert second.record["drawn"][0] in {e.pk for e in pool} - {declined}


def test_an_invitation_not_answered_in_time_expires_and_is_replaced(cast, lot):
    experts(7)
    committee = formed(lot, cast.purchaser)
    member = invited(committee)[0]
    with time_machine.travel(member.respond_by - dt.timedelta(seconds=1), tick=False):
        sweep()
    member.refresh_from_db()
    assert member.state == MemberState.INVITED
    with time_machine.travel(member.respond_by + dt.timedelta(seconds=1), tick=False):
        sweep()
    member.refresh_from_db()
    assert member.state == MemberState.EXPIRED
    # All five fell due together: each expiry draws one replacement while experts are left (two
    # of seven), then the purchaser is told the committee is short.
    assert committee.members.filter(state=MemberState.EXPIRED).count() == 5
    assert Draw.objects.filter(committee=committee).count() == 3
    assert len(invited(committee)) == 2
    assert Notification.objects.filter(
        kind="experts.committee_short", recipient=cast.purchaser
    ).exists()
    assert Event.objects.filter(action="experts.member.expired").count() == 5
    with time_machine.travel(member.respond_by + dt.timedelta(seconds=30), tick=False):
        sweep()
    assert Draw.objects.filter(committee=committee).count() == 3


def test_when_all_accept_the_leader_is_drawn_among_the_experts(cast, lot):
    experts(6)
    committee = formed(lot, cast.purchaser, representative=cast.purchaser)
    assert not selectors.committee_complete(lot)
    accept_all(committee)
    assert selectors.committee_complete(lot)
    leader = selectors.leader_of(lot)
    assert leader.kind == MemberKind.EXPERT and leader.user != cast.purchaser
    leader_draw = Draw.objects.get(committee=committee, record__purpose="leader")
    assert leader.user.expert_profile.pk == leader_draw.record["drawn"][0]
    assert len(selectors.seated_members(lot)) == 5
    assert selectors.seated_members(lot)[0] == leader
    assert selectors.member_of(leader.user, lot) == leader
    assert selectors.member_of(cast.supplier, lot) is None
    assert Notification.objects.filter(
        kind="experts.committee_complete", recipient=cast.purchaser
    ).exists()


def test_names_are_for_the_purchaser_agency_and_bureau_only(cast, lot):
    experts(6)
    formed(lot, cast.purchaser)
    visible = {
        name: selectors.committee_names_visible(user, lot) for name, user in cast.everyone().items()
    }
    assert visible == {
        "purchaser": True,
        "purchaser2": False,
        "agency": False,  # this project has no agency
        "supplier": False,
        "supplier2": False,
        "expert": False,
        "bank": False,
        "bureau": True,
        "outsider": False,
    }


def test_an_expert_tied_to_a_bidder_is_removed_at_the_opening_and_replaced(cast, lot):
    bidder_org = cast.supplier.memberships.get().organisation
    tied = make_expert("tied", works_for=bidder_org)
    twin = make_expert(
        "twin",
        works_for=employer("同一法人的公司", legal_representative=bidder_org.legal_representative),
    )
    others = experts(3)
    committee = formed(lot, cast.purchaser)
    # Before the opening the bids are sealed: only the purchaser was checked, all five are drawn.
    assert Draw.objects.get().record["bidders_checked"] is False
    assert {m.user_id for m in invited(committee)} == {
        tied.user_id,
        twin.user_id,
        *(e.user_id for e in others),
    }
    accept_all(committee)
    spare = experts(2, prefix="spare")
    third = third_supplier()
    key_text, _ = crypto.new_key_file()
    with time_machine.travel(DEADLINE - dt.timedelta(hours=2), tick=False):
        bids = [
            bid(lot, cast.supplier, "100000.00"),
            bid(lot, cast.supplier2, "110000.00"),
            bid(lot, third, "120000.00", key_file=key_text.encode()),
        ]
    with time_machine.travel(DEADLINE, tick=False):
        sweep()
    with time_machine.travel(DEADLINE + dt.timedelta(minutes=2), tick=False):
        decrypt_bid(bid=bids[0], passphrase=PASSPHRASE, acting_user=cast.supplier)
        decrypt_bid(bid=bids[1], passphrase=PASSPHRASE, acting_user=cast.supplier2)
        decrypt_bid(bid=bids[2], key_file=key_text.encode(), acting_user=third)
    removed = {m.user_id: m for m in committee.members.filter(state=MemberState.REMOVED)}
    assert set(removed) == {tied.user_id, twin.user_id}
    assert "郑州甲科技有限公司" in removed[tied.user_id].reason
    assert "法" in removed[twin.user_id].reason or "legal" in removed[twin.user_id].reason
    replacement = Draw.objects.get(committee=committee, number=3)
    assert replacement.record["bidders_checked"] is True
    assert set(replacement.record["drawn"]) == {e.pk for e in spare}
    assert not selectors.committee_complete(lot)
    assert Notification.objects.filter(kind="experts.member_removed").count() == 2
