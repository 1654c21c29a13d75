"""The receipt (投标回执) PDF: rendered once after the submission, stored with documents, served
through the bid's access helper, kept for a replaced bid; it holds times and hashes, never the
price or a file name."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from audit.models import Event
from bidding.models import Bid, BiddingParameters
from bidding.services import RECEIPT_USE, decrypt_bid, render_bid_receipt
from documents.models import StoredFile
from procurement.services import close_lot

from .helpers import PASSPHRASE, SME, announced_lot, bid, pdf_file

pytestmark = pytest.mark.django_db

DEADLINE = dt.datetime(2026, 3, 24, 1, 30, tzinfo=dt.UTC)
BEFORE = DEADLINE - dt.timedelta(days=1)
PRICE = "876543.21"
NAME = "报价87万.pdf"


@pytest.fixture
def lot(cast):
    with time_machine.travel(DEADLINE - dt.timedelta(days=20), tick=False):
        return announced_lot(cast, deadline=DEADLINE)


def text_of(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def submit(lot, user, price=PRICE, capture=None, **kwargs) -> Bid:
    with time_machine.travel(BEFORE, tick=False):
        if capture is None:
            return bid(lot, user, price, **kwargs)
        with capture(execute=True):
            return bid(lot, user, price, **kwargs)


def test_the_receipt_is_rendered_once_after_the_submission_and_stored(
    cast, lot, client, django_capture_on_commit_callbacks
):
    b = submit(
        lot, cast.supplier, files=[pdf_file(NAME)], capture=django_capture_on_commit_callbacks
    )
    b.refresh_from_db()
    stored = b.receipt_pdf
    assert stored is not None and stored.use == RECEIPT_USE and stored.uploaded_by is None
    event = Event.objects.get(action="bidding.receipt.stored")
    assert event.data["sha256"] == stored.sha256
    files = StoredFile.objects.count()
    assert render_bid_receipt(bid_id=b.pk).receipt_pdf_id == stored.pk  # a second call: nothing
    client.force_login(cast.supplier)
    first = client.get(reverse("bidding:receipt_pdf", args=[b.uuid]))
    second = client.get(reverse("bidding:receipt_pdf", args=[b.uuid]))
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    assert b"".join(first.streaming_content) == b"".join(second.streaming_content)
    assert StoredFile.objects.count() == files
    assert Event.objects.filter(action="bidding.receipt.stored").count() == 1


def test_the_stored_receipt_holds_times_and_hashes_but_no_price_or_name(
    cast, lot, django_capture_on_commit_callbacks
):
    sme = [{**SME[0], "manufacturer": "洛阳精工电子有限公司"}]
    b = submit(
        lot,
        cast.supplier,
        files=[pdf_file(NAME), pdf_file("技术方案.pdf", marker="x")],
        sme=sme,
        capture=django_capture_on_commit_callbacks,
    )
    b.refresh_from_db()
    text = text_of(b.receipt_pdf.file.read())
    flat = "".join(text.split())
    for f in b.files.all():
        assert f.sha256 in flat and f.cipher_sha256 in flat
    assert "2026-03-23 09:30:00" in text  # received, Beijing time
    assert "郑州甲科技有限公司" in text and str(b.uuid) in flat
    for secret in [PRICE, "876543", NAME, "报价87万", "技术方案", "洛阳精工电子有限公司"]:
        assert secret not in text, secret


def test_without_its_task_the_view_renders_and_stores_it_once(cast, lot, client):
    b = submit(lot, cast.supplier)
    assert b.receipt_pdf_id is None  # the task runs after the commit, not in this test
    client.force_login(cast.supplier)
    response = client.get(reverse("bidding:receipt_pdf", args=[b.uuid]))
    assert response.status_code == 200
    b.refresh_from_db()
    assert b.receipt_pdf_id is not None
    count = StoredFile.objects.count()
    client.get(reverse("bidding:receipt_pdf", args=[b.uuid]))
    assert StoredFile.objects.count() == count


def test_a_replaced_bids_receipt_stays_with_its_bidder_and_nobody_else(
    cast, lot, client, django_capture_on_commit_callbacks
):
    first = submit(lot, cast.supplier, "100.00", capture=django_capture_on_commit_callbacks)
    second = submit(lot, cast.supplier, "90.00", capture=django_capture_on_commit_callbacks)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == "replaced" and first.receipt_pdf_id != second.receipt_pdf_id
    client.force_login(cast.supplier)
    old = client.get(reverse("bidding:receipt_pdf", args=[first.uuid]))
    assert old.status_code == 200
    new_text = "".join(text_of(second.receipt_pdf.file.read()).split())
    assert str(first.uuid) in new_text  # the replacement names the bid it replaces
    page = client.get(reverse("bidding:receipt", args=[first.uuid])).content.decode()
    assert "receipt-pdf" in page
    download = reverse("documents:download", args=[first.receipt_pdf.uuid])
    assert client.get(download).status_code == 200
    for role in ["supplier2", "purchaser", "agency", "bureau", "expert", "outsider"]:
        client.force_login(getattr(cast, role))
        assert client.get(download).status_code == 404, role
        assert client.get(reverse("bidding:receipt_pdf", args=[first.uuid])).status_code == 404
    client.logout()
    anonymous = client.get(download)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:login"))


def test_after_the_opening_the_staff_may_read_a_receipt_but_experts_never(cast, lot, client):
    BiddingParameters.objects.create(min_bids_public_tender=1)
    b = submit(lot, cast.supplier)
    render_bid_receipt(bid_id=b.pk)
    b.refresh_from_db()
    with time_machine.travel(DEADLINE + dt.timedelta(minutes=1), tick=False):
        close_lot(lot_id=lot.pk)
        decrypt_bid(bid=b, passphrase=PASSPHRASE, acting_user=cast.supplier)
    download = reverse("documents:download", args=[b.receipt_pdf.uuid])
    for role, status in [("purchaser", 200), ("bureau", 200), ("expert", 404), ("supplier2", 404)]:
        client.force_login(getattr(cast, role))
        assert client.get(download).status_code == status, role
