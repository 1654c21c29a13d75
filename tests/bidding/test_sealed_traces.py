"""Before the opening nobody but the bidder sees that a bid exists (issue 5 §3): no page of the
bureau, the superuser, the purchaser, the agency, an expert or another supplier changes when bids
arrive; once the opening has made its record, everything shows as recorded."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.selectors import organisation_of
from audit.models import Event
from audit.selectors import subject_trail_url
from audit.verify import verify_chain
from bidding.models import Bid, BidFile
from bidding.services import decrypt_bid, render_bid_receipt, submit_bid, withdraw_bid
from documents.models import StoredFile
from tests.factories import UserFactory
from timers.services import sweep

from .helpers import PASSPHRASE, SME, announced_lot, bid, pdf_file, third_supplier

pytestmark = pytest.mark.django_db

DEADLINE = dt.datetime(2026, 3, 24, 1, 30, tzinfo=dt.UTC)
BEFORE = DEADLINE - dt.timedelta(days=1)
BID_LIST = ""
SEALED_ACTIONS = ["bidding.bid.", "bidding.<wbr>bid.", "bidding.receipt", "bidding.<wbr>receipt"]


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def lot(cast):
    with time_machine.travel(BEFORE - dt.timedelta(days=19), tick=False):
        return announced_lot(cast, deadline=DEADLINE, agency=organisation_of(cast.agency))


@pytest.fixture
def onlooker(db):
    """A supplier that does not bid on the lot."""
    return third_supplier(name="郑州丁旁观有限公司", username="supplier4")


def pages(cast, lot, superuser, onlooker) -> list[tuple[object, str]]:
    """Every page where someone other than a bidder might notice a bid."""
    global BID_LIST
    BID_LIST = reverse("admin:bidding_bid_changelist")
    admin_pages = [
        reverse("admin:index"),
        reverse("admin:audit_event_changelist"),
        reverse("admin:audit_event_changelist") + "?action_prefix=bidding",
        reverse("admin:audit_event_changelist") + "?q=bid",
        subject_trail_url(lot),
        subject_trail_url(organisation_of(cast.supplier)),
        subject_trail_url(organisation_of(cast.supplier2)),
        reverse("admin:audit_event_verify"),
        reverse("admin:documents_storedfile_changelist"),
        reverse("admin:documents_storedfile_changelist") + "?kind=pdf",
        BID_LIST,
        reverse("admin:bidding_openingrules_changelist"),
        reverse("admin:notifications_notification_changelist"),
        reverse("admin:notifications_delivery_changelist"),
        reverse("admin:timers_clock_changelist"),
        reverse("admin:procurement_lot_change", args=[lot.pk]),
        reverse("admin:procurement_lot_history", args=[lot.pk]),
        reverse("admin:suppliers_supplierprofile_changelist"),
    ]
    home = reverse("accounts:home")
    project = reverse("procurement:project_detail", args=[lot.project_id])
    return [
        *[(cast.bureau, url) for url in admin_pages],
        *[(superuser, url) for url in admin_pages],
        (cast.bureau, home),
        (cast.purchaser, home),
        (cast.purchaser, project),
        (cast.purchaser, reverse("bidding:opening_rules", args=[lot.pk])),
        (cast.agency, home),
        (cast.agency, project),
        (cast.expert, home),
        (onlooker, home),
        (onlooker, reverse("procurement:tender_lot", args=[lot.pk])),
        (onlooker, reverse("procurement:tenders")),
    ]


CSRF = re.compile(
    r"(?i)(csrf[-_a-z]*[\"']?\s*[:=]\s*[\"']|csrfmiddlewaretoken\" value=\")[a-z0-9]+"
)


def render(client, surfaces) -> dict[tuple[str, str], str]:
    seen = {}
    for user, url in surfaces:
        client.force_login(user)
        response = client.get(url)
        # The bid admin is the bureau's alone (a superuser is not a supervisor): 403 for root.
        expected = 403 if (user.username, url) == ("root", BID_LIST) else 200
        assert response.status_code == expected, (user, url)
        seen[(user.username, url)] = CSRF.sub(r"\1…", response.content.decode())
    return seen


@pytest.fixture
def third(db):
    """A supplier that bids and withdraws (made before the pages are first seen)."""
    return third_supplier()


def bid_twice_and_withdraw(cast, lot, third) -> list[Bid]:
    """supplier bids, supplier2 bids, supplier replaces its bid, a third bids and withdraws.

    In that order: [supplier's replaced bid, supplier2's, supplier's replacement, the third's].

    Each receipt is rendered as its task would after the commit (on_commit never fires here).
    """
    with time_machine.travel(BEFORE, tick=False):
        bids = [
            bid(lot, cast.supplier, "100000.00"),
            bid(lot, cast.supplier2, "110000.00"),
            bid(lot, cast.supplier, "99000.00"),
        ]
        bids.append(withdraw_bid(bid=bid(lot, third, "120000.00"), acting_user=third))
        for b in bids:
            render_bid_receipt(bid_id=b.pk)
    return list(Bid.objects.filter(pk__in=[b.pk for b in bids]).order_by("pk"))


def traces(cast, bids: list[Bid]) -> list[str]:
    """What would give a bid away: its bidder, its ids, its receipt, its events' names."""
    receipts = StoredFile.objects.filter(pk__in=[b.receipt_pdf_id for b in bids])
    assert receipts.count() == len(bids)  # rendered after each submission (eager in tests)
    return [
        organisation_of(cast.supplier).name,
        organisation_of(cast.supplier2).name,
        "郑州丙工程有限公司",
        *[str(b.uuid) for b in bids],
        *[str(b.uuid)[:8] for b in bids],
        *[str(r.uuid) for r in receipts],
        *[r.sha256 for r in receipts],
        "bid-receipt-",
        *SEALED_ACTIONS,
    ]


def test_no_page_changes_when_bids_arrive_before_the_opening(
    client, cast, lot, superuser, onlooker, third
):
    surfaces = pages(cast, lot, superuser, onlooker)
    with time_machine.travel(BEFORE, tick=False):
        before = render(client, surfaces)
        bids = bid_twice_and_withdraw(cast, lot, third)
        after = render(client, surfaces)

    verify = reverse("admin:audit_event_verify")
    for key, html in after.items():
        if key[1] == verify:
            # The chain check counts every event, sealed ones too, and names the newest: that is
            # what lets it prove nothing was cut off. It names no bid (checked below).
            assert f"审计链完整：共 {Event.objects.count()} 条事件。" in html
            continue
        assert html == before[key], key
    # The pages the review found showing bids say nothing of them now, in so many words.
    for (username, url), html in after.items():
        if username in ("bureau", "root") and "/admin/" in url:
            for trace in traces(cast, bids):
                if trace not in before[(username, url)]:
                    assert trace not in html, (username, url, trace)
    # The events are there all the same, chained: nothing was held back from the log.
    actions = list(
        Event.objects.filter(subject_object_id__in=[str(b.pk) for b in bids]).values_list(
            "action", flat=True
        )
    )
    assert actions.count("bidding.bid.submitted") == 3
    assert actions.count("bidding.bid.replaced") == 1
    assert actions.count("bidding.bid.withdrawn") == 1
    assert actions.count("bidding.receipt.stored") == 4
    assert verify_chain().ok


def test_the_changelists_count_as_if_there_were_no_bid(client, cast, lot, superuser, third):
    lists = [
        reverse("admin:audit_event_changelist"),
        reverse("admin:documents_storedfile_changelist"),
        reverse("admin:bidding_bid_changelist"),
    ]

    def counts_and_queries(user):
        client.force_login(user)
        result = {}
        for url in lists if user == cast.bureau else lists[:2]:  # the bid list: bureau only
            client.get(url)  # warm the per-process caches (content types, session)
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
            result[url] = (response.context["cl"].result_count, len(ctx.captured_queries))
        return result

    empty = {user: counts_and_queries(user) for user in (cast.bureau, superuser)}
    events, files = Event.objects.count(), StoredFile.objects.count()
    # Before any bid the lists count every row: the lot's procurement events and documents.
    assert [count for count, _queries in empty[cast.bureau].values()] == [events, files, 0]
    bid_twice_and_withdraw(cast, lot, third)
    assert Event.objects.count() > events  # the bids' events are recorded, and left out
    assert {user: counts_and_queries(user) for user in (cast.bureau, superuser)} == empty


def probes(bids: list[Bid]) -> list[str]:
    """Addresses of a bid's traces, each of which must look like an id that never existed."""
    b = bids[0]
    event = Event.objects.filter(action="bidding.bid.submitted", subject_object_id=str(b.pk)).get()
    bid_file = BidFile.objects.filter(bid=b).first()
    record = Bid.history.filter(id=b.pk).first()
    assert bid_file is not None and record is not None

    def trail(model, pk) -> str:
        content_type = ContentType.objects.get_for_model(model)
        return reverse("admin:audit_event_subject", args=[content_type.pk, pk])

    return [
        reverse("admin:audit_event_change", args=[event.pk]),
        reverse("admin:audit_event_history", args=[event.pk]),
        trail(Bid, b.pk),
        trail(BidFile, bid_file.pk),
        trail(Bid.history.model, record.pk),
        trail(StoredFile, b.receipt_pdf_id),
        trail(Event, event.pk),
        reverse("admin:documents_storedfile_change", args=[b.receipt_pdf_id]),
        reverse("admin:bidding_bid_change", args=[b.pk]),
        reverse("admin:bidding_bid_history", args=[b.pk]),
        reverse("admin:bidding_bid_simple_history", args=[b.pk, record.pk]),
        reverse("documents:download", args=[b.receipt_pdf.uuid]),
        reverse("bidding:receipt", args=[b.uuid]),
        reverse("bidding:receipt_pdf", args=[b.uuid]),
    ]


def nothing_like(url: str, bids: list[Bid]) -> str:
    """The same address for an id that does not exist."""
    b = bids[0]
    for real, fake in [
        (str(b.uuid), "00000000-0000-4000-8000-000000000000"),
        (str(b.receipt_pdf.uuid), "00000000-0000-4000-8000-000000000000"),
    ]:
        url = url.replace(real, fake)
    return re.sub(r"/\d+/", "/99999999/", url)


@pytest.mark.parametrize("who", ["bureau", "superuser"])
def test_a_bids_traces_answer_like_ids_that_never_existed(client, cast, lot, superuser, third, who):
    bids = bid_twice_and_withdraw(cast, lot, third)
    client.force_login(cast.bureau if who == "bureau" else superuser)
    for url in probes(bids):
        response = client.get(url)
        missing = client.get(nothing_like(url, bids))
        assert response.status_code == missing.status_code, url
        assert response.status_code in (302, 403, 404), url  # 403: the bid admin, for root
        body = "" if response.streaming else response.content.decode().replace(url, "")
        assert str(bids[0].uuid)[:8] not in body, url


def test_the_bidder_still_reaches_its_own_bid_and_receipt(client, cast, lot, third):
    bids = bid_twice_and_withdraw(cast, lot, third)
    client.force_login(cast.supplier)
    b = bids[2]
    assert client.get(reverse("bidding:receipt", args=[b.uuid])).status_code == 200
    assert client.get(reverse("documents:download", args=[b.receipt_pdf.uuid])).status_code == 200


def test_after_a_failed_opening_the_bids_events_and_receipts_show(client, cast, lot, third):
    with time_machine.travel(BEFORE, tick=False):
        bids = bid_twice_and_withdraw(cast, lot, third)
    with time_machine.travel(DEADLINE, tick=False):
        sweep()  # two live bids: too few for a public tender, the lot fails at once
    lot.refresh_from_db()
    assert lot.opening.finished_at is not None
    client.force_login(cast.bureau)
    audit = client.get(reverse("admin:audit_event_changelist")).content.decode()
    for shown in [
        "bidding.<wbr>bid.<wbr>submitted",
        "bidding.<wbr>bid.<wbr>replaced",
        "bidding.<wbr>bid.<wbr>withdrawn",
        "bidding.<wbr>receipt.<wbr>stored",
        "郑州甲科技有限公司",
        "郑州乙商贸有限公司",
        str(bids[0].uuid)[:8],
    ]:
        assert shown in audit, shown
    files = client.get(reverse("admin:documents_storedfile_changelist")).content.decode()
    assert all(f"bid-receipt-{str(b.uuid)[:8]}" in files for b in bids)
    trail = client.get(
        reverse(
            "admin:audit_event_subject",
            args=[ContentType.objects.get_for_model(Bid).pk, bids[0].pk],
        )
    )
    assert trail.status_code == 200
    assert trail.context["trail"].event_count == 2  # submitted, receipt stored


def test_during_the_decryption_window_a_bid_stays_sealed_until_the_record(client, cast, lot, third):
    """A decrypted bid's recorded changes hold its price, which nobody sees before the record."""
    with time_machine.travel(BEFORE, tick=False):
        bids = [
            bid(lot, cast.supplier, "100000.00"),
            bid(lot, cast.supplier2, "110000.00"),
            submit_bid(
                lot=lot,
                price=Decimal("120000.00"),
                files=[pdf_file()],
                sme_items=SME,
                passphrase=PASSPHRASE,
                acting_user=third,
            ),
        ]
    bid_type = ContentType.objects.get_for_model(Bid)
    trail_url = reverse("admin:audit_event_subject", args=[bid_type.pk, bids[0].pk])
    with time_machine.travel(DEADLINE, tick=False):
        sweep()
    with time_machine.travel(DEADLINE + dt.timedelta(minutes=1), tick=False):
        decrypt_bid(bid=bids[0], passphrase=PASSPHRASE, acting_user=cast.supplier)
        client.force_login(cast.bureau)
        audit = client.get(reverse("admin:audit_event_changelist")).content.decode()
        assert "bidding.<wbr>opening.<wbr>started" in audit  # the opening itself is no secret
        assert "bidding.<wbr>bid." not in audit and "100000.00" not in audit
        assert client.get(trail_url).status_code == 404
        for b, user in [(bids[1], cast.supplier2), (bids[2], third)]:
            decrypt_bid(bid=b, passphrase=PASSPHRASE, acting_user=user)  # the last makes the record
        audit = client.get(reverse("admin:audit_event_changelist")).content.decode()
        assert "bidding.<wbr>bid.<wbr>decrypted" in audit
        trail = client.get(trail_url)
        assert trail.status_code == 200
        assert "100000.00" in trail.content.decode()
