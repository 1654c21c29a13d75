"""Who reaches a bid and an opening: before the opening the bidder alone; experts never."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from audit.models import Event
from bidding import crypto
from bidding.models import Bid, BidState
from suppliers.models import Qualification

from .helpers import PASSPHRASE, announced_lot, bid, pdf_file, third_supplier

pytestmark = pytest.mark.django_db

ROLES = ["purchaser", "purchaser2", "agency", "supplier2", "expert", "bank", "bureau", "outsider"]


@pytest.fixture
def sealed(cast):
    lot = announced_lot(cast)
    return bid(lot, cast.supplier, "555555.55")


def bid_urls(b) -> list[tuple[str, str]]:
    return [
        ("get", reverse("bidding:receipt", args=[b.uuid])),
        ("get", reverse("bidding:receipt_pdf", args=[b.uuid])),
        ("get", reverse("bidding:withdraw", args=[b.uuid])),
        ("post", reverse("bidding:withdraw", args=[b.uuid])),
        ("post", reverse("bidding:decrypt", args=[b.uuid])),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_before_the_opening_nobody_but_the_bidder_reaches_a_bid(client, cast, sealed, role):
    client.force_login(getattr(cast, role))
    for method, url in bid_urls(sealed):
        response = getattr(client, method)(url)
        assert response.status_code == 404, (role, url)
    response = client.get(reverse("bidding:opening", args=[sealed.lot_id]))
    assert response.status_code == 404
    sealed.refresh_from_db()
    assert sealed.state == BidState.SUBMITTED


def test_the_bidder_reaches_its_receipt_and_pdf(client, cast, sealed):
    client.force_login(cast.supplier)
    page = client.get(reverse("bidding:receipt", args=[sealed.uuid]))
    assert page.status_code == 200
    content = page.content.decode()
    assert sealed.files.get().sha256 in content
    assert "555555.55" not in content
    pdf = client.get(reverse("bidding:receipt_pdf", args=[sealed.uuid]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_anonymous_visitors_are_sent_to_sign_in(client, sealed):
    response = client.get(reverse("bidding:receipt", args=[sealed.uuid]))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("role", ["purchaser", "agency", "expert", "bank", "bureau", "outsider"])
def test_only_suppliers_reach_the_bid_pages(client, cast, sealed, role):
    client.force_login(getattr(cast, role))
    for url in [
        reverse("bidding:mine"),
        reverse("bidding:submit", args=[sealed.lot_id]),
        reverse("bidding:key_file"),
    ]:
        assert client.get(url).status_code == 403, (role, url)


def test_the_admin_lists_no_bid_of_a_lot_not_yet_opened(client, cast, sealed):
    client.force_login(cast.bureau)
    response = client.get(reverse("admin:bidding_bid_changelist"))
    assert response.status_code == 200
    assert str(sealed.uuid) not in response.content.decode()
    assert response.context["cl"].result_count == 0
    assert response.context["cl"].full_result_count == 0
    # The admin answers as for an id that does not exist: back to its index.
    detail = client.get(reverse("admin:bidding_bid_change", args=[sealed.pk]))
    assert detail.status_code == 302 and detail["Location"] == reverse("admin:index")


def test_a_supplier_submits_through_the_page_and_gets_a_device_cookie(client, cast):
    lot = announced_lot(cast)
    client.force_login(cast.supplier)
    page = client.get(reverse("bidding:submit", args=[lot.pk]))
    assert page.status_code == 200
    assert "yg_device" in page.cookies
    assert "key-warning" in page.content.decode()
    response = client.post(
        reverse("bidding:submit", args=[lot.pk]),
        {
            "price": "4321.00",
            "files": [pdf_file()],
            "key_method": "passphrase",
            "passphrase": PASSPHRASE,
            "passphrase_again": PASSPHRASE,
            "understood": "on",
        },
        HTTP_USER_AGENT="Mozilla/5.0 test",
    )
    b = Bid.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("bidding:receipt", args=[b.uuid])
    assert b.device_id == page.cookies["yg_device"].value
    assert b.ip_address == "127.0.0.1" and len(b.user_agent_hash) == 64


def test_the_page_requires_confirming_that_a_lost_key_cannot_be_recovered(client, cast):
    lot = announced_lot(cast)
    client.force_login(cast.supplier)
    response = client.post(
        reverse("bidding:submit", args=[lot.pk]),
        {
            "price": "4321.00",
            "files": [pdf_file()],
            "key_method": "passphrase",
            "passphrase": PASSPHRASE,
            "passphrase_again": PASSPHRASE,
        },
    )
    assert response.status_code == 400
    assert not Bid.objects.exists()


def test_a_late_bid_through_the_page_is_refused_with_the_deadline(client, cast):
    deadline = dt.datetime(2026, 3, 24, 1, 30, tzinfo=dt.UTC)
    with time_machine.travel(deadline - dt.timedelta(days=20), tick=False):
        lot = announced_lot(cast, deadline=deadline)
    client.force_login(cast.supplier)
    with time_machine.travel(deadline + dt.timedelta(seconds=1), tick=False):
        response = client.post(
            reverse("bidding:submit", args=[lot.pk]),
            {
                "price": "4321.00",
                "files": [pdf_file()],
                "key_method": "passphrase",
                "passphrase": PASSPHRASE,
                "passphrase_again": PASSPHRASE,
                "understood": "on",
            },
        )
    assert response.status_code == 400
    page = response.content.decode()
    assert "2026-03-24 09:30:00" in page and "投标已截止" in page
    assert 'data-testid="bid-form"' not in page
    assert not Bid.objects.exists()


def test_after_the_deadline_the_bid_page_says_so_and_offers_no_form(client, cast):
    deadline = dt.datetime(2026, 3, 24, 1, 30, tzinfo=dt.UTC)
    with time_machine.travel(deadline - dt.timedelta(days=20), tick=False):
        lot = announced_lot(cast, deadline=deadline)
        mine = bid(lot, cast.supplier)
    client.force_login(cast.supplier)
    receipt = reverse("bidding:receipt", args=[mine.uuid])
    withdraw = reverse("bidding:withdraw", args=[mine.uuid])
    with time_machine.travel(deadline - dt.timedelta(minutes=1), tick=False):
        assert withdraw in client.get(receipt).content.decode()
    # The lot is still "announced" until the sweeper closes it: the clock decides, not the state.
    with time_machine.travel(deadline, tick=False):
        page = client.get(reverse("bidding:submit", args=[lot.pk]))
        assert page.status_code == 200
        content = page.content.decode()
        assert "投标已截止" in content and 'data-testid="bid-form"' not in content
        assert "2026-03-24 09:30:00" in content and receipt in content
        assert withdraw not in client.get(receipt).content.decode()
        for method in ("get", "post"):
            response = getattr(client, method)(withdraw)
            assert "投标已截止" in response.content.decode(), method
            assert 'data-testid="confirm-withdraw"' not in response.content.decode()
        assert response.status_code == 400
    mine.refresh_from_db()
    assert mine.state == BidState.SUBMITTED
    assert not Event.objects.filter(action="bidding.bid.withdrawn").exists()


def test_a_lot_not_taking_bids_shows_its_state_instead_of_the_form(client, cast):
    lot = announced_lot(cast)
    # No service suspends a lot yet (the complaints app will): the FSM method, as a complaint would.
    lot.suspend()
    lot.save()
    client.force_login(cast.supplier)
    page = client.get(reverse("bidding:submit", args=[lot.pk])).content.decode()
    assert "本分包目前不接受投标" in page and 'data-testid="bid-form"' not in page
    assert "已暂停" in page


def test_an_expired_qualification_is_warned_before_bidding(client, cast):
    lot = announced_lot(cast)
    organisation = cast.supplier.memberships.get().organisation
    Qualification.objects.create(
        organisation=organisation,
        name="医疗器械经营许可证",
        expires_on=dt.date.today() - dt.timedelta(days=1),
    )
    client.force_login(cast.supplier)
    for url in [reverse("bidding:submit", args=[lot.pk]), reverse("accounts:home")]:
        content = client.get(url).content.decode()
        assert "expired-qualifications" in content and "医疗器械经营许可证" in content, url


def test_after_the_opening_staff_and_bidders_see_it_but_experts_never(client, cast):
    from bidding.services import decrypt_bid
    from procurement.services import close_lot

    deadline = dt.datetime(2026, 3, 24, 1, 30, tzinfo=dt.UTC)
    third = third_supplier()
    key_text, _ = crypto.new_key_file()
    with time_machine.travel(deadline - dt.timedelta(days=20), tick=False):
        lot = announced_lot(cast, deadline=deadline)
        bids = [
            bid(lot, cast.supplier, "1.00"),
            bid(lot, cast.supplier2, "2.00"),
            bid(lot, third, "3.00", key_file=key_text.encode()),
        ]
    with time_machine.travel(deadline + dt.timedelta(minutes=1), tick=False):
        close_lot(lot_id=lot.pk)
        url = reverse("bidding:opening", args=[lot.pk])
        for user, status in [
            (cast.supplier, 200),
            (cast.purchaser, 200),
            (cast.bureau, 200),
            (cast.expert, 404),
            (cast.purchaser2, 404),
            (cast.outsider, 404),
            (cast.bank, 404),
        ]:
            client.force_login(user)
            assert client.get(url).status_code == status, user
            content = client.get(reverse("bidding:opening_status", args=[lot.pk])).content
            if status == 200:
                assert b"1.00" not in content and b"hx-trigger" in content
        # the purchaser still cannot open a bid during the window
        client.force_login(cast.purchaser)
        assert client.get(reverse("bidding:receipt", args=[bids[0].uuid])).status_code == 404
        decrypt_bid(bid=bids[0], passphrase=PASSPHRASE, acting_user=cast.supplier)
        decrypt_bid(bid=bids[1], passphrase=PASSPHRASE, acting_user=cast.supplier2)
        decrypt_bid(bid=bids[2], key_file=key_text.encode(), acting_user=third)
        client.force_login(cast.purchaser)
        page = client.get(url).content.decode()
        record = page[page.index('data-testid="opening-record"') :]
        record = record[: record.index("</table>")]
        assert all(f"{price} 元" in record for price in ("1.00", "2.00", "3.00")), record
        assert 'data-testid="flags"' in page  # two bids sent from one address
        assert client.get(reverse("bidding:receipt", args=[bids[0].uuid])).status_code == 403
        client.force_login(cast.expert)
        assert client.get(url).status_code == 404
        assert client.get(reverse("bidding:record_pdf", args=[lot.pk])).status_code == 404
        client.force_login(cast.supplier2)
        pdf = client.get(reverse("bidding:record_pdf", args=[lot.pk]))
        assert pdf.status_code == 200
        client.force_login(cast.bureau)
        listing = client.get(reverse("admin:bidding_bid_changelist")).content.decode()
        assert str(bids[0].uuid) in listing
