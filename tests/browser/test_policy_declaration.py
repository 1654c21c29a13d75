"""The bid form's policy declaration in a real browser: reached from the supplier's bids, a share
without a consortium is refused in Chinese, then the declaration is sealed with the bid."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bidding.models import Bid
from tests.bidding.helpers import announced_lot
from tests.browser.conftest import shot, sign_in
from tests.browser.test_bidding import pdf_payload

PASS = "甲公司开标口令2026"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_a_bidder_declares_a_consortium_share_on_the_bid_form(live_server, cast, page):
    lot = announced_lot(cast, deadline=(timezone.now() + dt.timedelta(hours=2)))
    sign_in(page, live_server, "supplier")
    page.click("[data-testid=nav-bidding]")
    page.click("[data-testid=nav-bids]")
    page.goto(f"{live_server.url}/bidding/lots/{lot.pk}/bid/")
    page.fill("#id_price", "880000.00")
    page.set_input_files("#id_files", [pdf_payload("技术方案.pdf")])
    page.fill("#id_small_micro_share", "35")
    page.fill("#id_domestic_share", "101")
    page.fill("#id_passphrase", PASS)
    page.fill("#id_passphrase_again", PASS)
    page.check("#id_understood")
    page.click("[data-testid=submit-bid]")
    card = page.wait_for_selector("[data-testid=policy-card]")
    text = card.inner_text()
    assert "仅在联合体或分包时申报" in text and "0 到 100" in text
    card.scroll_into_view_if_needed()
    shot(page, "bidding-policy-declaration-errors")
    assert not Bid.objects.exists()
