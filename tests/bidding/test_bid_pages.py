"""The bidder's pages: 我的投标 and the receipt tell the lot's real state (in opening, opened,
failed with its reason); the bid form reports every error in one answer; Chinese punctuation."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bidding.models import Bid
from bidding.services import decrypt_bid
from suppliers.models import Qualification
from timers.services import sweep

from .helpers import PASSPHRASE, announced_lot, bid, third_supplier

pytestmark = pytest.mark.django_db

DEADLINE = dt.datetime(2026, 3, 24, 1, 30, tzinfo=dt.UTC)
BEFORE = DEADLINE - dt.timedelta(days=1)


@pytest.fixture
def lot(cast):
    with time_machine.travel(BEFORE - dt.timedelta(days=19), tick=False):
        return announced_lot(cast, deadline=DEADLINE)


def pages(client, b: Bid, at: dt.datetime) -> tuple[str, str]:
    with time_machine.travel(at, tick=False):
        mine = client.get(reverse("bidding:mine")).content.decode()
        receipt = client.get(reverse("bidding:receipt", args=[b.uuid])).content.decode()
    return mine, receipt


def test_a_bid_on_a_failed_lot_shows_the_failure_and_its_reason(client, cast, lot):
    with time_machine.travel(BEFORE, tick=False):
        mine = bid(lot, cast.supplier)
    with time_machine.travel(DEADLINE, tick=False):
        sweep()
    client.force_login(cast.supplier)
    for page in pages(client, mine, DEADLINE + dt.timedelta(minutes=5)):
        assert "流标" in page and "截止时仅收到 1 份投标" in page
        assert "开标中" not in page


def test_the_lot_state_follows_the_opening_from_in_progress_to_opened(client, cast, lot):
    with time_machine.travel(BEFORE, tick=False):
        bids = [bid(lot, cast.supplier), bid(lot, cast.supplier2), bid(lot, third_supplier())]
    with time_machine.travel(DEADLINE, tick=False):
        sweep()
    client.force_login(cast.supplier)
    opening_url = reverse("bidding:opening", args=[lot.pk])
    for page in pages(client, bids[0], DEADLINE + dt.timedelta(minutes=1)):
        assert "开标中" in page and opening_url in page and "开标页面" in page
    with time_machine.travel(DEADLINE + dt.timedelta(minutes=2), tick=False):
        for b in bids:
            user = b.submitted_by
            decrypt_bid(bid=b, passphrase=PASSPHRASE, acting_user=user)
    for page in pages(client, bids[0], DEADLINE + dt.timedelta(minutes=3)):
        assert "开标中" not in page and "已开标" in page and "开标记录" in page


def test_the_bid_form_reports_every_error_in_one_answer(client, cast):
    lot = announced_lot(cast)
    client.force_login(cast.supplier)
    response = client.post(
        reverse("bidding:submit", args=[lot.pk]),
        {
            "price": "12.345",
            "files": [
                SimpleUploadedFile("说明.txt", b"plain text, not a bid file"),
                SimpleUploadedFile("空.pdf", b""),
            ],
            "key_method": "passphrase",
            "passphrase": "short",
            "passphrase_again": "short",
            "sme_declare": "on",
            "sme-TOTAL_FORMS": "1",
            "sme-INITIAL_FORMS": "0",
            "sme-MIN_NUM_FORMS": "0",
            "sme-MAX_NUM_FORMS": "1000",
            "sme-0-item": "",
            "sme-0-industry": "wholesale",
            "sme-0-manufacturer": "郑州甲科技有限公司",
            "sme-0-size_class": "small",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    for message in [
        "最多两位小数",  # the price
        "请勾选确认",  # the checkbox
        "说明.txt",  # a file of the wrong type …
        "空.pdf",  # … and an empty one, both named
        "至少需要 8 个字符",  # the passphrase
        "请填写标的名称",  # the SME letter's line
    ]:
        assert message in page, message
    assert "确认小数不超过" not in page  # Django's own wording (with a half-width stop) is not used
    assert not Bid.objects.exists()


def test_an_expired_qualification_is_told_with_chinese_punctuation(client, cast):
    lot = announced_lot(cast)
    Qualification.objects.create(
        organisation=cast.supplier.memberships.get().organisation,
        name="营业执照",
        expires_on=dt.date(2026, 10, 31),
    )
    client.force_login(cast.supplier)
    with time_machine.travel(dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC), tick=False):
        page = client.get(reverse("bidding:submit", args=[lot.pk])).content.decode()
    assert "资质已过期：</strong>" in page
    assert "营业执照（有效期至 2026-10-31）。" in page


def test_a_bid_on_a_terminated_lot_says_so_and_that_no_opening_will_happen(client, cast, lot):
    from procurement.services import cancel_procurement

    with time_machine.travel(BEFORE, tick=False):
        mine = bid(lot, cast.supplier)
        cancel_procurement(project=lot.project, reason="需求变化", acting_user=cast.purchaser)
    client.force_login(cast.supplier)
    for page in pages(client, mine, BEFORE + dt.timedelta(minutes=5)):
        assert "已终止" in page and "不会开标" in page
        assert "已递交" not in page and "开标后平台才显示" not in page


def test_a_terminated_lot_bid_page_shows_its_state_not_a_404(client, cast, lot):
    from procurement.services import cancel_procurement

    with time_machine.travel(BEFORE, tick=False):
        cancel_procurement(project=lot.project, reason="需求变化", acting_user=cast.purchaser)
        client.force_login(cast.supplier)
        for method, status in (("get", 200), ("post", 400)):
            response = getattr(client, method)(reverse("bidding:submit", args=[lot.pk]))
            assert response.status_code == status, method
            content = response.content.decode()
            assert "已终止" in content and 'data-testid="bid-form"' not in content
    assert not Bid.objects.exists()


def test_a_failed_lot_bid_page_says_liubiao_not_feibiao(client, cast, lot):
    with time_machine.travel(BEFORE, tick=False):
        bid(lot, cast.supplier)
    with time_machine.travel(DEADLINE, tick=False):
        sweep()
    client.force_login(cast.supplier)
    with time_machine.travel(DEADLINE + dt.timedelta(minutes=5), tick=False):
        content = client.get(reverse("bidding:submit", args=[lot.pk])).content.decode()
    assert "流标" in content and "已废标" not in content


def test_a_missing_file_is_reported_with_the_other_errors(client, cast):
    lot = announced_lot(cast)
    client.force_login(cast.supplier)
    response = client.post(
        reverse("bidding:submit", args=[lot.pk]),
        {"price": "12.345", "key_method": "passphrase", "passphrase": "short"},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"price", "files", "understood", "passphrase"} <= set(errors)
    assert "请至少上传一个投标文件。" in response.content.decode()
    assert not Bid.objects.exists()
