"""The policy declaration of a bid (bidding.declaration): a consortium or subcontract share of
small or micro firms (D46 Art 9 ¶2) and the domestic share of the product cost (国办发〔2025〕34号).
It is sealed with the price, unreadable before the opening, read out beside the price at it, and
refused with a clear message when it breaks a rule."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from bidding.declaration import PolicyDeclaration
from bidding.models import Arrangement, Bid, BiddingParameters
from bidding.services import decrypt_bid
from common.errors import DomainError
from procurement.services import close_lot

from .helpers import PASSPHRASE, SME, bid
from .test_sme_letter import GOODS, form_data, post
from .test_sme_letter import lot as lot  # noqa: F401 - the fixture
from .test_submission import every_row_text, stored_texts

pytestmark = pytest.mark.django_db

DEADLINE = dt.datetime(2026, 3, 24, 1, 30, tzinfo=dt.UTC)
SHARE, DOMESTIC = "37.13", "86.29"  # distinctive: found nowhere else in the database


def sealed_bid(lot, cast):
    with time_machine.travel(DEADLINE - dt.timedelta(days=1), tick=False):
        return bid(
            lot,
            cast.supplier,
            "123456.78",
            policy=PolicyDeclaration(
                arrangement=Arrangement.CONSORTIUM,
                small_micro_share=Decimal(SHARE),
                domestic_share=Decimal(DOMESTIC),
            ),
        )


def test_the_shares_are_not_readable_before_the_opening(cast, lot, media, caplog):
    """The same check as for the price: no row, stored file or log line holds them."""
    caplog.set_level(logging.DEBUG)
    b = sealed_bid(lot, cast)
    rows = every_row_text()
    files = stored_texts(media)
    logs = "\n".join(r.getMessage() for r in caplog.records)
    for secret in [SHARE, DOMESTIC, "123456.78", "consortium"]:
        assert secret not in rows, secret
        assert not any(secret in text for text in files), secret
        assert secret not in logs, secret
    assert (b.arrangement, b.small_micro_share, b.domestic_share) == ("", None, None)


def test_the_shares_are_read_out_beside_the_price_at_the_opening(client, cast, lot):
    BiddingParameters.objects.create(min_bids_public_tender=1)
    b = sealed_bid(lot, cast)
    with time_machine.travel(DEADLINE + dt.timedelta(minutes=1), tick=False):
        close_lot(lot_id=lot.pk)
        decrypt_bid(bid=b, passphrase=PASSPHRASE, acting_user=cast.supplier)
    b.refresh_from_db()
    assert b.arrangement == Arrangement.CONSORTIUM
    assert (b.small_micro_share, b.domestic_share) == (Decimal(SHARE), Decimal(DOMESTIC))
    record = b.lot.opening.record["bids"][0]
    assert (record["small_micro_share"], record["domestic_share"]) == (SHARE, DOMESTIC)
    client.force_login(cast.purchaser)
    with time_machine.travel(DEADLINE + dt.timedelta(minutes=2), tick=False):
        page = client.get(reverse("bidding:opening", args=[lot.pk])).content.decode()
    assert 'data-testid="record-policy"' in page
    assert f"{SHARE} %" in page and f"{DOMESTIC} %" in page and "联合体" in page


@pytest.mark.parametrize(
    ("policy", "sme", "message"),
    [
        (PolicyDeclaration(small_micro_share=Decimal("30")), SME, "联合体"),
        (PolicyDeclaration(arrangement=Arrangement.SUBCONTRACT), SME, "合同金额的比例"),
        (
            PolicyDeclaration(arrangement=Arrangement.CONSORTIUM, small_micro_share=Decimal("30")),
            [],
            "中小企业声明函",
        ),
        (PolicyDeclaration(domestic_share=Decimal("100.01")), SME, "0 到 100"),
        (PolicyDeclaration(domestic_share=Decimal("-1")), SME, "0 到 100"),
        (PolicyDeclaration(domestic_share=Decimal("80.001")), SME, "0 到 100"),
        (PolicyDeclaration(arrangement="joint"), SME, "联合体"),
    ],
)
def test_the_service_refuses_a_declaration_that_breaks_a_rule(cast, lot, policy, sme, message):
    with (
        time_machine.travel(DEADLINE - dt.timedelta(days=1), tick=False),
        pytest.raises(DomainError) as error,
    ):
        bid(lot, cast.supplier, policy=policy, sme=sme)
    assert message in str(error.value)
    assert not Bid.objects.exists()


def test_the_bid_form_takes_the_declaration_and_seals_it(client, cast, lot):
    client.force_login(cast.supplier)
    response = post(
        client,
        lot,
        form_data(
            [GOODS],
            arrangement="subcontract",
            small_micro_share="30",
            no_control="on",
            domestic_share="80",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    b = Bid.objects.get()
    assert b.small_micro_share is None  # sealed until the opening
    BiddingParameters.objects.create(min_bids_public_tender=1)
    with time_machine.travel(DEADLINE + dt.timedelta(minutes=1), tick=False):
        close_lot(lot_id=lot.pk)
        decrypt_bid(bid=b, passphrase=PASSPHRASE, acting_user=cast.supplier)
    b.refresh_from_db()
    assert (b.arrangement, b.small_micro_share, b.domestic_share) == (
        "subcontract",
        Decimal("30.00"),
        Decimal("80.00"),
    )


def test_the_bid_form_explains_each_refusal_in_chinese(client, cast, lot):
    client.force_login(cast.supplier)
    page = post(
        client,
        lot,
        form_data([GOODS], arrangement="consortium", small_micro_share="", domestic_share="101"),
    ).content.decode()
    for text in [
        "请填写联合体协议或分包意向协议中小微企业所占合同金额的比例",  # no share
        "请确认",  # no controlling relationship not confirmed
        "请填写 0 到 100 之间的百分比",  # the domestic share out of range
    ]:
        assert text in page, text
    page = post(
        client, lot, form_data([GOODS], small_micro_share="30", domestic_share="12.5")
    ).content.decode()
    assert "仅在联合体或分包时申报" in page
    assert not Bid.objects.exists()


def test_the_bid_form_shows_the_declaration_with_its_legal_basis(client, cast, lot):
    client.force_login(cast.supplier)
    with time_machine.travel(DEADLINE - dt.timedelta(days=1), tick=False):
        page = client.get(reverse("bidding:submit", args=[lot.pk])).content.decode()
    assert 'data-testid="policy-card"' in page
    assert "财库〔2020〕46号" in page and "国办发〔2025〕34号" in page
