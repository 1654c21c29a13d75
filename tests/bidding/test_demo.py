"""The bidding demo stage: an opening in progress and an opened lot, idempotent."""

from __future__ import annotations

import pytest

from bidding.models import Bid, BidState, Opening, OpeningRules
from demo.stages import DemoContext, s10_accounts, s15_suppliers, s60_bidding
from procurement.models import LotState

pytestmark = pytest.mark.django_db


def test_the_stage_makes_an_opening_in_progress_and_an_opened_lot_once():
    ctx = DemoContext()
    s10_accounts.run(ctx)
    s15_suppliers.run(ctx)
    s60_bidding.run(ctx)
    states = {o.lot.state for o in Opening.objects.select_related("lot")}
    assert states == {LotState.OPENING, LotState.OPENED}
    opened = Opening.objects.get(lot__state=LotState.OPENED)
    assert len(opened.record["bids"]) == 3 and opened.record_pdf_id
    assert Bid.objects.filter(state=BidState.SUBMITTED).count() == 2
    assert OpeningRules.objects.filter(reupload_on_platform_failure=True).count() == 2
    s60_bidding.run(DemoContext(orgs=ctx.orgs, users=ctx.users))
    assert Bid.objects.count() == 6
