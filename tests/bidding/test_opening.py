"""The online opening: started by the lot closing at the deadline, bidders decrypt within the
window, the record is published; too few bids fail the lot."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from audit.models import Event
from bidding import crypto
from bidding.models import Bid, BidState, Opening, OpeningResponse
from bidding.services import decrypt_bid, respond_to_record
from common.errors import DeadlinePassed, DomainError
from notifications.models import Notification
from procurement.models import Announcement, AnnouncementKind, LotState
from timers.models import Clock
from timers.services import sweep

from .helpers import PASSPHRASE, announced_lot, bid, docx_file, pdf_file, third_supplier

pytestmark = pytest.mark.django_db

DEADLINE = dt.datetime(2026, 3, 24, 1, 30, tzinfo=dt.UTC)
BEFORE = DEADLINE - dt.timedelta(days=1)


@pytest.fixture
def lot(cast):
    with time_machine.travel(BEFORE - dt.timedelta(days=19), tick=False):
        # procurement's own clock (started by the announcement) closes the lot at the deadline
        return announced_lot(cast, deadline=DEADLINE)


@pytest.fixture
def three(cast, lot):
    third = third_supplier()
    key_text, _ = crypto.new_key_file()
    with time_machine.travel(BEFORE, tick=False):
        bids = [
            bid(lot, cast.supplier, "100000.00", files=[pdf_file(author="王五")], ip="1.1.1.1"),
            bid(lot, cast.supplier2, "110000.00", files=[docx_file(author="王五")], ip="1.1.1.1"),
            bid(lot, third, "120000.00", key_file=key_text.encode(), device="dev-3"),
        ]
    return bids, third, key_text


def at_deadline():
    with time_machine.travel(DEADLINE, tick=False):
        sweep()


def test_too_few_bids_fail_the_lot_and_everyone_is_told_why(cast, lot):
    with time_machine.travel(BEFORE, tick=False):
        bid(lot, cast.supplier)
        bid(lot, cast.supplier2)
    at_deadline()
    lot.refresh_from_db()
    assert lot.state == LotState.FAILED
    opening = Opening.objects.get(lot=lot)
    # Fewer than three bidders, no opening: O87 Art 41 ¶2 (Art 42 is the opening record).
    assert opening.failed_reason.startswith("截止时仅收到 2 份投标；该采购方式至少需要 3 份")
    assert "（财政部令第87号）第四十一条第二款" in opening.failed_reason
    # The failure notice (废标公告) gives the same reason, on the portal, for this lot.
    notice = Announcement.objects.get(kind=AnnouncementKind.FAILURE)
    assert notice.data["reason"] == opening.failed_reason
    assert list(notice.lots.all()) == [lot] and notice.published_at is not None
    told = Notification.objects.filter(kind="bidding.lot_failed", subject_id=opening.pk)
    assert sorted(told.values_list("recipient__username", flat=True)) == [
        "purchaser",
        "supplier",
        "supplier2",
    ]
    failed = Event.objects.get(action="bidding.opening.failed", subject_object_id=str(lot.pk))
    assert failed.data == {"bids": 2, "required": 3}


def told(kind: str, user) -> Notification:
    return Notification.objects.get(kind=kind, recipient=user)


def test_a_failed_lot_is_explained_to_bidders_and_organisers_in_their_own_words(cast, lot):
    with time_machine.travel(BEFORE, tick=False):
        bid(lot, cast.supplier)
    at_deadline()
    bidder = told("bidding.lot_failed", cast.supplier)
    assert "您的投标不予开启" in bidder.body and "如何继续采购" not in bidder.body
    for organiser in (cast.purchaser,):
        notice = told("bidding.lot_failed", organiser)
        assert "如何继续采购" in notice.body and "您的投标" not in notice.body


def test_the_purchaser_and_agency_are_told_the_opening_began_not_to_decrypt(cast, lot, three):
    at_deadline()
    bidder = told("bidding.opening_started", cast.supplier)
    assert "请立即解密您的投标" in bidder.title
    for organiser in (cast.purchaser,):
        notice = told("bidding.opening_started", organiser)
        assert notice.title.startswith("开标已开始")
        assert "解密您的投标" not in notice.title + notice.body
        assert "共收到 3 份投标" in notice.body


def test_the_minimum_is_a_parameter_the_bureau_sets(cast, lot):
    from bidding.models import BiddingParameters

    BiddingParameters.objects.create(min_bids_public_tender=2)
    with time_machine.travel(BEFORE, tick=False):
        bid(lot, cast.supplier)
        bid(lot, cast.supplier2)
    at_deadline()
    lot.refresh_from_db()
    assert lot.state == LotState.OPENING


def test_the_opening_starts_at_the_deadline_with_a_window_clock(cast, lot, three):
    at_deadline()
    lot.refresh_from_db()
    assert lot.state == LotState.OPENING
    opening = Opening.objects.get(lot=lot)
    assert opening.window_ends_at == DEADLINE + dt.timedelta(minutes=30)
    clock = Clock.objects.get(kind="bidding.decryption_window")
    assert clock.due == opening.window_ends_at
    assert Notification.objects.filter(
        kind="bidding.opening_started", recipient=cast.supplier
    ).exists()
    with time_machine.travel(DEADLINE + dt.timedelta(seconds=5), tick=False):
        sweep()  # a second sweep changes nothing
    assert Opening.objects.count() == 1


def test_it_opens_a_bid_sealed_at_the_production_scrypt_cost(cast, lot, settings):
    """The suite seals at a low cost (config/settings/test.py); this bid is sealed at the cost
    production uses, and opened after the setting changed: the stored parameters decide."""
    from bidding.models import BiddingParameters

    BiddingParameters.objects.create(min_bids_public_tender=1)
    settings.BIDDING_SCRYPT_LOG2 = 15  # config/settings/base.py's default
    with time_machine.travel(BEFORE, tick=False):
        sealed = bid(lot, cast.supplier, "100000.00")
    assert (sealed.kdf_n, sealed.kdf_r, sealed.kdf_p) == (2**15, 8, 1)
    settings.BIDDING_SCRYPT_LOG2 = 10
    at_deadline()
    with time_machine.travel(DEADLINE + dt.timedelta(minutes=1), tick=False):
        with pytest.raises(DomainError) as excinfo:
            decrypt_bid(bid=sealed, passphrase="wrong one!", acting_user=cast.supplier)
        assert excinfo.value.code == "wrong_key"
        opened = decrypt_bid(bid=sealed, passphrase=PASSPHRASE, acting_user=cast.supplier)
    assert opened.state == BidState.DECRYPTED
    assert opened.price == Decimal("100000.00")
    assert opened.files.get().plain.read().startswith(b"%PDF")


def test_a_wrong_passphrase_is_explained_and_may_be_retried(cast, lot, three):
    bids, _third, _key = three
    at_deadline()
    with time_machine.travel(DEADLINE + dt.timedelta(minutes=1), tick=False):
        with pytest.raises(DomainError) as excinfo:
            decrypt_bid(bid=bids[0], passphrase="wrong one!", acting_user=cast.supplier)
        assert excinfo.value.code == "wrong_key"
        decrypted = decrypt_bid(bid=bids[0], passphrase=PASSPHRASE, acting_user=cast.supplier)
    assert decrypted.state == BidState.DECRYPTED
    assert decrypted.price == Decimal("100000.00")
    f = decrypted.files.get()
    assert f.plain.read().startswith(b"%PDF")
    assert f.metadata["author"] == "王五"


def test_too_many_wrong_attempts_wait_five_minutes(cast, lot, three):
    from bidding.models import BiddingParameters

    BiddingParameters.objects.create(max_failed_attempts=2)
    bids, _third, _key = three
    at_deadline()
    with time_machine.travel(DEADLINE + dt.timedelta(minutes=1), tick=False):
        for _ in range(2):
            with pytest.raises(DomainError) as excinfo:
                decrypt_bid(bid=bids[0], passphrase="wrong one!", acting_user=cast.supplier)
            assert excinfo.value.code == "wrong_key"
        bids[0].refresh_from_db()
        with pytest.raises(DomainError) as excinfo:
            decrypt_bid(bid=bids[0], passphrase=PASSPHRASE, acting_user=cast.supplier)
        assert excinfo.value.code == "rate_limited"
    with time_machine.travel(DEADLINE + dt.timedelta(minutes=7), tick=False):
        bids[0].refresh_from_db()
        opened = decrypt_bid(bid=bids[0], passphrase=PASSPHRASE, acting_user=cast.supplier)
        assert opened.price == Decimal("100000.00")


def test_when_everyone_has_decrypted_the_record_is_published(
    cast, lot, three, django_capture_on_commit_callbacks
):
    bids, third, key_text = three
    at_deadline()
    with time_machine.travel(DEADLINE + dt.timedelta(minutes=2), tick=False):
        decrypt_bid(bid=bids[0], passphrase=PASSPHRASE, acting_user=cast.supplier)
        decrypt_bid(bid=bids[1], passphrase=PASSPHRASE, acting_user=cast.supplier2)
        with django_capture_on_commit_callbacks(execute=True):
            decrypt_bid(bid=bids[2], key_file=key_text.encode(), acting_user=third)
    lot.refresh_from_db()
    assert lot.state == LotState.OPENED
    opening = Opening.objects.get(lot=lot)
    prices = [row["price"] for row in opening.record["bids"]]
    assert prices == ["100000.00", "110000.00", "120000.00"]
    assert opening.record["bids"][0]["sme"] is True
    assert opening.record_pdf is not None and opening.record_pdf.file.read(4) == b"%PDF"
    assert not Clock.objects.filter(
        kind="bidding.decryption_window", action_done_at=None, cancelled_at=None
    ).exists()
    assert Event.objects.filter(action="bidding.opening.finished").count() == 1
    assert Event.objects.filter(action="bidding.bid.decrypted").count() == 3
    assert "请在开标页面确认或提出异议" in told("bidding.opening_record", cast.supplier).body
    organiser = told("bidding.opening_record", cast.purchaser).body
    assert "投标人可在" in organiser and "请在开标页面确认" not in organiser


def test_a_bid_not_decrypted_in_the_window_is_revoked(cast, lot, three):
    bids, _third, _key = three
    at_deadline()
    with time_machine.travel(DEADLINE + dt.timedelta(minutes=2), tick=False):
        decrypt_bid(bid=bids[0], passphrase=PASSPHRASE, acting_user=cast.supplier)
    end = DEADLINE + dt.timedelta(minutes=30)
    with time_machine.travel(end - dt.timedelta(seconds=1), tick=False):
        sweep()
    lot.refresh_from_db()
    assert lot.state == LotState.OPENING
    with time_machine.travel(end, tick=False):
        sweep()
        sweep()
    lot.refresh_from_db()
    assert lot.state == LotState.OPENED
    states = dict(Bid.objects.filter(lot=lot).values_list("supplier__name", "state"))
    assert sorted(states.values()) == ["decrypted", "undecrypted", "undecrypted"]
    with (
        time_machine.travel(end + dt.timedelta(minutes=1), tick=False),
        pytest.raises((DeadlinePassed, DomainError)),
    ):
        decrypt_bid(bid=bids[1], passphrase=PASSPHRASE, acting_user=cast.supplier2)
    assert Event.objects.filter(action="bidding.opening.finished").count() == 1


def test_bidders_confirm_or_object_within_the_window(cast, lot, three):
    bids, third, key_text = three
    at_deadline()
    with time_machine.travel(DEADLINE + dt.timedelta(minutes=2), tick=False):
        decrypt_bid(bid=bids[0], passphrase=PASSPHRASE, acting_user=cast.supplier)
        decrypt_bid(bid=bids[1], passphrase=PASSPHRASE, acting_user=cast.supplier2)
        decrypt_bid(bid=bids[2], key_file=key_text.encode(), acting_user=third)
        opening = Opening.objects.get(lot=lot)
        respond_to_record(opening=opening, kind="confirm", acting_user=cast.supplier)
        respond_to_record(
            opening=opening, kind="object", text="乙公司报价读错", acting_user=cast.supplier2
        )
        with pytest.raises(DomainError) as excinfo:
            respond_to_record(opening=opening, kind="confirm", acting_user=cast.supplier)
        assert str(excinfo.value) == "您已答复。"  # not "the record is not published yet"
    assert OpeningResponse.objects.count() == 2
    assert Notification.objects.filter(
        kind="bidding.opening_objection", recipient=cast.purchaser
    ).exists()
    with (
        time_machine.travel(DEADLINE + dt.timedelta(minutes=40), tick=False),
        pytest.raises(DeadlinePassed) as excinfo,
    ):
        respond_to_record(opening=opening, kind="confirm", acting_user=third)
    # A bidder that does not respond accepts the record: O87 Art 42 ¶3.
    assert "87号令第四十二条" in str(excinfo.value)


def test_the_opened_lot_shows_collusion_leads(cast, lot, three):
    from bidding.selectors import flags_for

    bids, third, key_text = three
    at_deadline()
    with time_machine.travel(DEADLINE + dt.timedelta(minutes=2), tick=False):
        decrypt_bid(bid=bids[0], passphrase=PASSPHRASE, acting_user=cast.supplier)
        decrypt_bid(bid=bids[1], passphrase=PASSPHRASE, acting_user=cast.supplier2)
        decrypt_bid(bid=bids[2], key_file=key_text.encode(), acting_user=third)
    kinds = {f.kind: f for f in flags_for(Opening.objects.get(lot=lot))}
    assert set(kinds) >= {"ip", "author", "pattern"}
    assert kinds["ip"].suppliers == sorted(["郑州甲科技有限公司", "郑州乙商贸有限公司"])
    assert "device" in kinds  # supplier and supplier2 share "dev-1"
    assert "price" not in kinds


def test_the_collusion_card_cites_the_regulation_above_the_signals(client, cast, lot, three):
    from django.urls import reverse

    bids, third, key_text = three
    at_deadline()
    with time_machine.travel(DEADLINE + dt.timedelta(minutes=2), tick=False):
        decrypt_bid(bid=bids[0], passphrase=PASSPHRASE, acting_user=cast.supplier)
        decrypt_bid(bid=bids[1], passphrase=PASSPHRASE, acting_user=cast.supplier2)
        decrypt_bid(bid=bids[2], key_file=key_text.encode(), acting_user=third)
    client.force_login(cast.purchaser)
    with time_machine.travel(DEADLINE + dt.timedelta(minutes=3), tick=False):
        page = client.get(reverse("bidding:opening", args=[lot.pk])).content.decode()
    assert "规则 §15.3" not in page and "RULES" not in page
    assert "《政府采购货物和服务招标投标管理办法》（财政部令第87号）第三十七条" in page
    # "以下信号" stands above the signals it refers to.
    assert page.index('data-testid="flags-note"') < page.index('data-testid="flags"')


def test_a_bidders_request_to_decrypt_closes_when_it_decrypts_and_all_at_the_record(
    cast, lot, three
):
    """Issue 10 §2: 「开标：请立即解密您的投标」 no longer stays unread after the decryption."""
    bids, third, key_text = three
    at_deadline()
    asked = Notification.objects.filter(kind="bidding.opening_started")
    with time_machine.travel(DEADLINE + dt.timedelta(minutes=2), tick=False):
        decrypt_bid(bid=bids[0], passphrase=PASSPHRASE, acting_user=cast.supplier)
    assert sorted(
        asked.filter(closed_at__isnull=True).values_list("recipient__username", flat=True)
    ) == [
        "purchaser",
        "supplier2",
        "supplier3",
    ]
    assert asked.get(recipient=cast.supplier).read_at is not None
    with time_machine.travel(DEADLINE + dt.timedelta(minutes=3), tick=False):
        decrypt_bid(bid=bids[1], passphrase=PASSPHRASE, acting_user=cast.supplier2)
        decrypt_bid(bid=bids[2], key_file=key_text.encode(), acting_user=third)
    assert not asked.filter(closed_at__isnull=True).exists()
    # Confirming the record closes the bidder's request to confirm it.
    opening = Opening.objects.get(lot=lot)
    with time_machine.travel(DEADLINE + dt.timedelta(minutes=4), tick=False):
        respond_to_record(opening=opening, kind="confirm", acting_user=cast.supplier)
    record = Notification.objects.filter(kind="bidding.opening_record", closed_at__isnull=False)
    assert list(record.values_list("recipient__username", flat=True)) == ["supplier"]
