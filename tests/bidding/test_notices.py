"""The notices of a lot that stops (issue 9 §6): a failed lot publishes its failure notice
(废标公告) and tells every bidder why (GPL Art 36); a cancellation (终止公告, O87 Art 29) is
reported to the bureau and told to every bidder and taker of the documents once, without the
bureau learning from its admin that a bid exists before the opening."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from notifications.models import Notification
from procurement.models import Announcement, AnnouncementKind
from procurement.services import cancel_procurement, record_download
from tests.procurement.factories import make_announced_project
from timers.services import sweep

from .helpers import bid

pytestmark = pytest.mark.django_db

ISSUED = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)  # 10:00 in Beijing
DEADLINE = dt.datetime(2026, 3, 24, 1, 30, tzinfo=dt.UTC)


@pytest.fixture
def project(cast):
    with time_machine.travel(ISSUED, tick=False):
        return make_announced_project(cast, deadline=DEADLINE)


def test_a_lot_failed_for_too_few_bids_has_its_failure_notice_on_the_portal(client, cast, project):
    lot = project.lots.get(number=1)
    with time_machine.travel(ISSUED + dt.timedelta(days=3), tick=False):
        bid(lot, cast.supplier)
    with time_machine.travel(DEADLINE, tick=False):
        sweep()
    notices = Announcement.objects.filter(kind=AnnouncementKind.FAILURE)
    # Both lots failed (one bid, none): one notice each, each about its own lot.
    assert sorted(n.lot.number for n in notices) == [1, 2]
    notice = notices.get(lot=lot)
    assert "截止时仅收到 1 份投标" in notice.data["reason"]
    assert "《中华人民共和国政府采购法》第三十六条" in notice.data["basis"]
    # The bidder's notification links the notice.
    told = Notification.objects.get(recipient=cast.supplier, kind="bidding.lot_failed")
    assert told.url == notice.get_absolute_url()
    # Listed on the portal under its own kind, and linked from the lot's public page.
    listing = client.get(reverse("portal:announcements"), {"kind": "failure"}).content.decode()
    assert notice.get_absolute_url() in listing and notice.title in listing
    page = client.get(reverse("procurement:tender_lot", args=[lot.pk])).content.decode()
    assert notice.get_absolute_url() in page
    assert project.announcements.get(kind="tender").get_absolute_url() in page
    assert notices.get(lot__number=2).get_absolute_url() not in page  # the other lot's
    body = client.get(notice.get_absolute_url()).content.decode()
    assert "废标公告" in body and "第三十七条" in body


def test_a_cancellation_reaches_every_bidder_and_taker_once_and_the_bureau(client, cast, project):
    lot = project.lots.get(number=1)
    with time_machine.travel(ISSUED + dt.timedelta(days=1), tick=False):
        record_download(document=project.documents.get(), acting_user=cast.supplier)
    with time_machine.travel(ISSUED + dt.timedelta(days=3), tick=False):
        bid(lot, cast.supplier)  # took the documents too: told once
        mine = bid(lot, cast.supplier2)  # never took them: told as a bidder
        cancel_procurement(
            project=project, reason="预算调整，采购任务取消。", acting_user=cast.purchaser
        )
    told = Notification.objects.filter(kind="procurement.procurement_cancelled")
    assert sorted(told.values_list("recipient__username", flat=True)) == [
        "bureau",
        "supplier",
        "supplier2",
    ]
    bidder = told.get(recipient=cast.supplier2)
    assert "您已投标" in bidder.body and "预算调整" in bidder.body
    assert bidder.subject == mine  # sealed with the bid until the opening
    assert "已在公告发布后终止" in told.get(recipient=cast.bureau).body
    # The bureau's admin does not show that supplier2 holds a bid on the lot.
    client.force_login(cast.bureau)
    listing = client.get(reverse("admin:notifications_notification_changelist")).content.decode()
    shown = told.exclude(pk=bidder.pk).get(recipient=cast.supplier)
    assert reverse("admin:notifications_notification_change", args=[shown.pk]) in listing
    assert client.get(
        reverse("admin:notifications_notification_change", args=[bidder.pk])
    ).status_code in (302, 404)
    assert reverse("admin:notifications_notification_change", args=[bidder.pk]) not in listing
