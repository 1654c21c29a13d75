"""The bidding demo tells a consistent story: announced through the service, bids before the
deadline, a collusion example and qualifications (one about to expire)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bidding.models import Bid, Opening
from bidding.selectors import flags_for
from demo.stages import DemoContext, s10_accounts, s15_suppliers, s60_bidding
from procurement.models import Announcement, AnnouncementKind, LotState
from suppliers.models import Qualification
from timers.models import Clock

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    ctx = DemoContext()
    s10_accounts.run(ctx)
    s15_suppliers.run(ctx)
    s60_bidding.run(ctx)
    return ctx


def test_each_opened_lot_has_its_tender_announcement_before_its_deadline(demo):
    for opening in Opening.objects.select_related("lot__project"):
        lot = opening.lot
        notice = Announcement.objects.get(project=lot.project, kind=AnnouncementKind.TENDER)
        assert notice.published_at == lot.announced_at
        assert lot.bid_deadline - notice.published_at >= dt.timedelta(days=20)
        noticed = dt.datetime.fromisoformat(notice.data["lots"][0]["bid_deadline"])
        assert noticed == lot.bid_deadline
        assert dt.datetime.fromisoformat(notice.data["published_at"]) == notice.published_at
        intention = lot.project.plan.intention
        assert intention.published_at <= notice.published_at - dt.timedelta(days=30)
        # The intention expected the procurement in the month it was announced.
        assert intention.expected_month == timezone.localtime(notice.published_at).date().replace(
            day=1
        )
        # The deadline clock ran its due action: met, not left open.
        clock = Clock.objects.get(subject_id=lot.pk, kind="procurement.bid_deadline")
        assert clock.action_done_at is not None and clock.met_at is not None


def test_bids_arrive_before_the_deadline_not_at_the_opening(demo):
    for bid in Bid.objects.select_related("lot"):
        assert bid.received_at < bid.lot.bid_deadline - dt.timedelta(hours=1)
        assert bid.received_at > bid.lot.announced_at
    # Each lot's bids arrive at moments of their own (two lots seeded within one second share
    # their deadline, so moments repeat across lots: compare within a lot).
    for lot_id in Bid.objects.values_list("lot", flat=True).distinct():
        bids = Bid.objects.filter(lot=lot_id)
        assert len({bid.received_at for bid in bids}) == bids.count()


def test_the_opened_lot_shows_collusion_flags(demo):
    opening = Opening.objects.get(lot__state=LotState.OPENED)
    kinds = {flag.kind for flag in flags_for(opening)}
    assert {"ip", "author"} <= kinds


def test_suppliers_hold_qualifications_one_about_to_expire(demo):
    today = timezone.localdate()
    rows = list(Qualification.objects.all())
    assert len(rows) == len(s60_bidding.QUALIFICATIONS)
    soon = [q for q in rows if q.expires_on and q.expires_on < today + dt.timedelta(days=30)]
    assert len(soon) == 1 and soon[0].expires_on >= today
    s60_bidding.run(DemoContext(orgs=demo.orgs, users=demo.users))
    assert Qualification.objects.count() == len(rows)
