"""The experts demo stage: profiles and an import, one committee complete, expert1 invited."""

from __future__ import annotations

import pytest

from accounts.todo import todo_items
from demo.stages import DemoContext, s10_accounts, s15_suppliers, s60_bidding, s65_experts
from experts import selectors
from experts.models import Committee, Expert, MemberState
from experts.services import replay

pytestmark = pytest.mark.django_db


def test_the_stage_completes_one_committee_and_invites_expert1_once():
    ctx = DemoContext()
    s10_accounts.run(ctx)
    s15_suppliers.run(ctx)
    s60_bidding.run(ctx)
    s65_experts.run(ctx)
    assert Expert.objects.count() == 14
    complete, invited = (
        Committee.objects.get(lot__project__name=s65_experts.OPENED_PROJECT),
        Committee.objects.get(lot__project__name=s65_experts.OPENING_PROJECT),
    )
    assert selectors.committee_complete(complete.lot)
    assert all(replay(draw).matches for draw in complete.draws.all())
    expert1 = ctx.users["expert1"]
    seat = invited.members.get(user=expert1)
    assert seat.state == MemberState.INVITED
    assert "experts.invitation_to_answer" in [i.kind for i in todo_items(expert1)]
    s65_experts.run(DemoContext(orgs=ctx.orgs, users=ctx.users))
    assert Expert.objects.count() == 14 and Committee.objects.count() == 2
