"""Issue 16 §3: events about a sealed bid go to a sealed chain and join the main chain at the
opening, so that before it the bureau cannot learn by counting that a bid exists: the audit list,
an event's page and the chain check show no skipped number, no unlinked previous hash, no count
that differs."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from accounts.selectors import organisation_of
from audit.models import Event, SealedEvent
from audit.services import join_unsealed_events, record_event
from audit.verify import ProblemKind, verify_chain
from bidding.models import Bid
from bidding.services import render_bid_receipt
from tests.bidding.helpers import announced_lot, bid
from timers.services import sweep

from .conftest import raw_update

pytestmark = pytest.mark.django_db

DEADLINE = dt.datetime(2026, 3, 24, 1, 30, tzinfo=dt.UTC)
BEFORE = DEADLINE - dt.timedelta(days=1)


@pytest.fixture
def lot(cast):
    with time_machine.travel(BEFORE - dt.timedelta(days=19), tick=False):
        return announced_lot(cast, deadline=DEADLINE, agency=organisation_of(cast.agency))


def bureau_reads(client, cast, capture) -> dict:
    """What the bureau sees: the list (numbers, count), the newest event's page, the check."""
    client.force_login(cast.bureau)
    listing = client.get(reverse("admin:audit_event_changelist"))
    events = list(listing.context["cl"].result_list)
    newest = events[0]
    page = client.get(reverse("admin:audit_event_change", args=[newest.pk])).content.decode()
    with capture(execute=True):  # the check's task starts after the commit
        client.post(reverse("admin:audit_event_verify"), {"mode": "full"})
    check = client.get(reverse("admin:audit_event_verify"))
    return {
        "count": listing.context["cl"].paginator.count,
        "seqs": [e.seq for e in events],
        "ids": [e.pk for e in events],
        "newest": newest,
        "page": page,
        "check": check.content.decode(),
        "checked": check.context["last"].checked,
    }


def test_the_probe_finds_no_gap_after_a_bid(client, cast, lot, django_capture_on_commit_callbacks):
    org = organisation_of(cast.purchaser)
    with time_machine.travel(BEFORE, tick=False):
        before = record_event(action="procurement.lot.announced", actor=None, subject=org)
        b = bid(lot, cast.supplier, "100000.00")
        render_bid_receipt(bid_id=b.pk)
        after = record_event(action="timers.clock.breached", actor=None)

    # The bid's events were recorded, in the sealed chain.
    sealed = SealedEvent.objects.filter(subject_object_id=str(b.pk))
    assert {e.action for e in sealed} == {"bidding.bid.submitted", "bidding.receipt.stored"}
    # The main chain goes on as if there were no bid: the next number, linked to the one before.
    assert after.seq == before.seq + 1
    assert after.prev_hash == before.hash
    assert after.pk == before.pk + 1

    with time_machine.travel(BEFORE + dt.timedelta(minutes=5), tick=False):
        seen = bureau_reads(client, cast, django_capture_on_commit_callbacks)
    total = Event.objects.count()
    assert seen["count"] == total == seen["seqs"][0]
    assert seen["seqs"] == list(range(total, 0, -1))[: len(seen["seqs"])]
    assert seen["newest"] == after
    # The event's page shows its previous hash: the hash of the event numbered just before it.
    assert after.prev_hash in seen["page"] and before.hash == after.prev_hash
    # The chain check counts what the list counts.
    assert seen["checked"] == total
    assert f"共检查 {total} 条事件" in seen["check"]
    assert "bidding.bid" not in seen["check"]


def test_at_the_opening_the_sealed_events_join_the_main_chain_in_order(client, cast, lot):
    with time_machine.travel(BEFORE, tick=False):
        first = bid(lot, cast.supplier, "100000.00")
        second = bid(lot, cast.supplier2, "110000.00")
    head = Event.objects.order_by("-seq").first()
    sealed = list(SealedEvent.objects.order_by("seq"))
    assert [e.joined_id for e in sealed] == [None, None]
    with time_machine.travel(DEADLINE, tick=False):
        sweep()  # two bids are too few for a public tender: the opening fails and ends the seal
    joined = list(
        Event.objects.filter(action="bidding.bid.submitted", seq__gt=head.seq).order_by("seq")
    )
    assert [e.subject_object_id for e in joined] == [str(first.pk), str(second.pk)]
    # Joined one after the other, linked, with their content and time as recorded.
    assert joined[0].seq > head.seq and joined[1].seq == joined[0].seq + 1
    assert joined[0].prev_hash == Event.objects.get(seq=joined[0].seq - 1).hash
    assert joined[0].created == sealed[0].created and joined[0].data == sealed[0].data
    assert [e.joined_id for e in SealedEvent.objects.order_by("seq")] == [e.pk for e in joined]
    # The opening's own event comes after the bids'.
    failed = Event.objects.get(action="bidding.opening.failed")
    assert failed.seq > joined[-1].seq
    report = verify_chain()
    assert report.ok, report.problems
    assert join_unsealed_events(publish_anchor=False) == 0  # nothing left to join


def test_a_sealed_chain_is_verified_and_its_joined_rows_must_agree(cast, lot):
    with time_machine.travel(BEFORE, tick=False):
        b = bid(lot, cast.supplier, "100000.00")
    with time_machine.travel(DEADLINE, tick=False):
        sweep()
    assert verify_chain().ok
    joined = Event.objects.get(action="bidding.bid.submitted", subject_object_id=str(b.pk))
    # Rewrite the joined main-chain row consistently (hash recomputed, next row relinked): the
    # main chain alone no longer shows it, the sealed row it was made from does.
    joined.data = {**joined.data, "lot": 999}
    new_hash = joined.compute_hash()
    raw_update(joined.seq, data=joined.data, hash=new_hash)
    following = Event.objects.filter(seq__gt=joined.seq).order_by("seq")
    previous_hash = new_hash
    for event in following:
        event.prev_hash = previous_hash
        previous_hash = event.compute_hash()
        raw_update(event.seq, prev_hash=event.prev_hash, hash=previous_hash)
    report = verify_chain()
    assert [p.kind for p in report.problems] == [ProblemKind.JOINED]
    assert report.problems[0].seq == joined.seq


def test_an_explicitly_sealed_event_stays_out_until_joined(cast):
    org = organisation_of(cast.purchaser)
    main = record_event(action="procurement.lot.announced", actor=None, subject=org)
    hidden = record_event(action="procurement.lot.announced", actor=None, sealed=True)
    assert isinstance(hidden, SealedEvent) and hidden.seq == 1
    assert Event.objects.count() == 1
    # Its subject is sealed by nothing: the next join takes it.
    assert join_unsealed_events(publish_anchor=False) == 1
    joined = Event.objects.get(seq=main.seq + 1)
    assert joined.prev_hash == main.hash and joined.action == hidden.action
    assert verify_chain().ok
    assert Bid.objects.count() == 0
