"""The bidding demo tells a consistent story: announced through the service, bids before the
deadline, a collusion example and qualifications (one about to expire)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from bidding.models import Bid, Opening
from bidding.selectors import flags_for
from demo.stages import DemoContext, s10_accounts, s15_suppliers, s60_bidding
from procurement.models import Announcement, AnnouncementKind, LotState
from suppliers.models import Qualification
from timers.models import Clock

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(autouse=True)
def media(settings, demo_media):
    """The demo's files, stored once for the module (replaces the per-test MEDIA_ROOT)."""
    settings.MEDIA_ROOT = demo_media
    return demo_media


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, demo_media):
    """The demo, seeded once for the module (about 3 s) inside a transaction rolled back after
    the module's last test. Each test runs in a savepoint of its own within it (pytest-django's
    `db`), so a test's writes are gone before the next test, as with setUpTestData."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=demo_media),
        transaction.atomic(),
    ):
        ctx = DemoContext()
        s10_accounts.run(ctx)
        s15_suppliers.run(ctx)
        s60_bidding.run(ctx)
        yield ctx
        transaction.set_rollback(True)


def test_each_opened_lot_has_its_tender_announcement_before_its_deadline(demo):
    openings = Opening.objects.select_related("lot__project")
    assert openings.count() == 2  # one in its decryption window, one opened
    for opening in openings:
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
    assert Bid.objects.count() == 6  # three on each lot
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
