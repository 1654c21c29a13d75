"""Sealed submission: encrypted before it is stored, replaced or withdrawn before the deadline,
refused at and after it by the server clock."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from audit.models import Event
from bidding import crypto
from bidding.models import Bid, BiddingParameters, BidState, KeyMethod
from bidding.services import submit_bid, withdraw_bid
from common.errors import DeadlinePassed, DomainError, PermissionDenied

from .helpers import PASSPHRASE, SME, announced_lot, as_format_1, bid, docx_file, pdf_file

pytestmark = pytest.mark.django_db

PRICE = "987654.32"


@pytest.fixture
def lot(cast):
    return announced_lot(cast)


def all_column_text(tables: list[str]) -> str:
    """Every column of every row of the tables, as text (bytes decoded leniently)."""
    out = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, memoryview):
                        value = bytes(value)
                    if isinstance(value, bytes):
                        out.append(value.decode("latin-1"))
                    else:
                        out.append(str(value))
    return "\n".join(out)


BID_TABLES = ["bidding_bid", "bidding_bidfile", "bidding_historicalbid", "audit_event"]


def files_under(media) -> set[Path]:
    return {p for p in Path(media).rglob("*") if p.is_file()}


def test_it_stores_no_plaintext_price_or_file(cast, lot, media):
    upload = pdf_file(marker="SECRET-TECH-PLAN-42")
    content = upload.read()
    upload.seek(0)
    before = files_under(media)  # the lot's tender documents
    b = bid(lot, cast.supplier, PRICE, files=[upload])
    text = all_column_text(BID_TABLES)
    assert PRICE not in text and "987654" not in text
    assert "SECRET-TECH-PLAN-42" not in text
    written = files_under(media) - before
    assert len(written) == 1  # the sealed file (the receipt PDF is rendered after commit)
    stored = b"".join(p.read_bytes() for p in written)
    assert b"SECRET-TECH-PLAN-42" not in stored and b"%PDF" not in stored
    assert PRICE not in str(b) and PRICE not in repr(b)
    f = b.files.get()
    assert f.sha256 == hashlib.sha256(content).hexdigest()
    assert f.cipher_sha256 == hashlib.sha256(f.blob.read()).hexdigest()
    assert "投标文件" not in f.blob.name  # server-made storage names


SECRET_NAMES = ["报价98万.pdf", "商务偏离表-李四.docx"]
SECRET_SME = ["华鑫教学一体机XK-98", "洛阳精工电子有限公司"]


def every_row_text() -> str:
    """Every column of every row of every table in the database, as text."""
    return all_column_text(connection.introspection.table_names())


def stored_texts(media) -> list[str]:
    """Each stored file as text: its bytes (leniently), and for a PDF its extracted text."""
    from pypdf import PdfReader

    out = []
    for path in Path(media).rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        out.append(data.decode("utf-8", "replace"))
        if data.startswith(b"%PDF"):
            out.append("".join(page.extract_text() for page in PdfReader(path).pages))
    return out


def test_before_the_opening_no_file_name_kind_size_or_declaration_is_stored(
    cast, lot, media, client, caplog
):
    """A file named "报价98万.pdf" tells the price: names live in the sealed manifest only."""
    caplog.set_level(logging.DEBUG)
    sme = [
        {
            **SME[0],
            "item": SECRET_SME[0],
            "manufacturer": SECRET_SME[1],
            "employees": 4321,
            "size_class": "medium",  # what 4,321 staff and 5,000万 make in industry
        }
    ]
    b = bid(
        lot,
        cast.supplier,
        PRICE,
        files=[pdf_file(SECRET_NAMES[0]), docx_file(SECRET_NAMES[1])],
        sme=sme,
    )
    assert b.format_version == crypto.FORMAT_V2
    secrets = [*SECRET_NAMES, "报价98万", "商务偏离表", *SECRET_SME, PRICE, "987654"]
    rows = every_row_text()
    files = stored_texts(media)
    logs = "\n".join(r.getMessage() for r in caplog.records)
    for secret in secrets:
        assert secret not in rows, secret
        assert not any(secret in text for text in files), secret
        assert secret not in logs, secret
    assert [(f.original_name, f.kind, f.size) for f in b.files.all()] == [("", "", None)] * 2
    assert b.sme_items == [] and "4321" not in str(b.history.values_list())
    # The bidder's own receipt shows positions and hashes, the names only from its browser.
    client.force_login(cast.supplier)
    page = client.get(reverse("bidding:receipt", args=[b.uuid])).content.decode()
    assert "data-local-name" in page and "names-sealed" in page
    pdf = client.get(reverse("bidding:receipt_pdf", args=[b.uuid]))
    from pypdf import PdfReader

    content = b"".join(pdf.streaming_content)
    pdf_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "郑州甲科技有限公司" in pdf_text  # the extraction reads Chinese
    b.refresh_from_db()
    assert b.receipt_pdf is not None  # now stored with documents: scan rows and files again
    rows = every_row_text()
    files = stored_texts(media)
    assert any("郑州甲科技有限公司" in text for text in files)
    for secret in secrets:
        assert secret not in page and secret not in pdf_text, secret
        assert secret not in rows and not any(secret in text for text in files), secret
    # Nor do the bureau's admin pages hold them.
    client.force_login(cast.bureau)
    for name in ["bidding_bid", "documents_storedfile", "audit_event"]:
        listing = client.get(reverse(f"admin:{name}_changelist"))
        assert listing.status_code == 200, name
        for secret in secrets:
            assert secret not in listing.content.decode(), (name, secret)


def test_the_opening_shows_the_names_and_declaration_again(cast, client):
    from bidding.services import decrypt_bid
    from procurement.services import close_lot

    BiddingParameters.objects.create(min_bids_public_tender=1)
    deadline = dt.datetime(2026, 3, 24, 1, 30, tzinfo=dt.UTC)
    with time_machine.travel(deadline - dt.timedelta(days=20), tick=False):
        lot = announced_lot(cast, deadline=deadline)
        b = bid(lot, cast.supplier, PRICE, files=[pdf_file(SECRET_NAMES[0])])
        upload = docx_file(SECRET_NAMES[1])
        size = len(upload.read())
        upload.seek(0)
        other = bid(lot, cast.supplier2, "1.00", files=[upload], sme=[])
    with time_machine.travel(deadline + dt.timedelta(minutes=1), tick=False):
        close_lot(lot_id=lot.pk)
        decrypt_bid(bid=b, passphrase=PASSPHRASE, acting_user=cast.supplier)
        decrypt_bid(bid=other, passphrase=PASSPHRASE, acting_user=cast.supplier2)
    b.refresh_from_db()
    f = b.files.get()
    assert (f.original_name, f.kind) == (SECRET_NAMES[0], "pdf") and f.size > 0
    assert b.sme_items == SME
    g = other.files.get()
    assert (g.original_name, g.kind, g.size) == (SECRET_NAMES[1], "docx", size)
    client.force_login(cast.supplier)
    page = client.get(reverse("bidding:receipt", args=[b.uuid])).content.decode()
    assert SECRET_NAMES[0] in page and "names-sealed" not in page


def test_a_bid_sealed_in_format_1_still_opens(cast):
    from bidding.services import decrypt_bid
    from procurement.services import close_lot

    BiddingParameters.objects.create(min_bids_public_tender=1)
    deadline = dt.datetime(2026, 3, 24, 1, 30, tzinfo=dt.UTC)
    with time_machine.travel(deadline - dt.timedelta(days=20), tick=False):
        lot = announced_lot(cast, deadline=deadline)
        old = as_format_1(bid(lot, cast.supplier, PRICE, files=[pdf_file(), docx_file()], sme=[]))
    with time_machine.travel(deadline + dt.timedelta(minutes=1), tick=False):
        close_lot(lot_id=lot.pk)
        opened = decrypt_bid(bid=old, passphrase=PASSPHRASE, acting_user=cast.supplier)
    assert opened.price == Decimal(PRICE) and opened.sme_items == SME
    names = list(opened.files.values_list("original_name", "kind"))
    assert names == [("旧格式.pdf", "pdf"), ("旧方案.docx", "docx")]
    assert opened.files.first().plain.read().startswith(b"%PDF")


def test_only_the_passphrase_opens_it_and_blobs_cannot_be_swapped(cast, lot):
    b = bid(lot, cast.supplier, PRICE)
    other = bid(lot, cast.supplier2, "1.00")
    kdf = crypto.KdfParams(salt=bytes(b.kdf_salt), n=b.kdf_n, r=b.kdf_r, p=b.kdf_p)
    with pytest.raises(crypto.WrongKey):
        crypto.decrypt(
            crypto.derive_key("wrong passphrase", kdf),
            bytes(b.key_nonce),
            bytes(b.wrapped_key),
            crypto.aad(str(b.uuid), lot.pk, "data_key"),
        )
    data_key = crypto.decrypt(
        crypto.derive_key(PASSPHRASE, kdf),
        bytes(b.key_nonce),
        bytes(b.wrapped_key),
        crypto.aad(str(b.uuid), lot.pk, "data_key"),
    )
    price = crypto.decrypt(
        data_key,
        bytes(b.price_nonce),
        bytes(b.price_ciphertext),
        crypto.aad(str(b.uuid), lot.pk, "price"),
    )
    assert price == PRICE.encode()
    # The other bid's price under this bid's binding does not open (AAD).
    with pytest.raises(crypto.WrongKey):
        crypto.decrypt(
            data_key,
            bytes(other.price_nonce),
            bytes(other.price_ciphertext),
            crypto.aad(str(b.uuid), lot.pk, "price"),
        )
    # A file blob cannot pass as the price.
    f = b.files.get()
    with pytest.raises(crypto.WrongKey):
        crypto.decrypt(
            data_key, bytes(f.nonce), f.blob.read(), crypto.aad(str(b.uuid), lot.pk, "price")
        )


def test_a_key_file_seals_the_bid_and_nothing_of_it_is_kept(cast, lot):
    text, key = crypto.new_key_file()
    b = bid(lot, cast.supplier, PRICE, key_file=text.encode())
    assert b.key_method == KeyMethod.KEY_FILE
    assert bytes(b.kdf_salt) == b""
    assert key.hex() not in all_column_text(BID_TABLES)
    assert crypto.read_key_file(text.encode()) == key
    with pytest.raises(DomainError) as excinfo:
        bid(lot, cast.supplier2, PRICE, key_file=b"not a key file")
    assert excinfo.value.code == "bad_key_file"


def test_a_second_submission_replaces_the_first_and_the_latest_counts(cast, lot):
    first = bid(lot, cast.supplier, "100.00")
    second = bid(lot, cast.supplier, "90.00")
    first.refresh_from_db()
    assert first.state == BidState.REPLACED
    assert second.state == BidState.SUBMITTED and second.replaces == first
    assert Bid.objects.filter(lot=lot, state=BidState.SUBMITTED).count() == 1
    assert list(
        Event.objects.filter(action__startswith="bidding.bid.")
        .values_list("action", flat=True)
        .order_by("id")
    ) == ["bidding.bid.submitted", "bidding.bid.replaced"]
    assert second.history.first().history_user == cast.supplier


def test_a_bidder_withdraws_before_the_deadline(cast, lot):
    b = bid(lot, cast.supplier)
    withdraw_bid(bid=b, acting_user=cast.supplier)
    b.refresh_from_db()
    assert b.state == BidState.WITHDRAWN and b.withdrawn_at
    assert Event.objects.filter(action="bidding.bid.withdrawn").exists()
    with pytest.raises(PermissionDenied):
        withdraw_bid(bid=bid(lot, cast.supplier2), acting_user=cast.supplier)


def test_it_accepts_a_bid_one_second_before_the_deadline(cast):
    deadline = dt.datetime(2026, 3, 24, 1, 30, tzinfo=dt.UTC)
    with time_machine.travel(deadline - dt.timedelta(days=20), tick=False):
        lot = announced_lot(cast, deadline=deadline)
    with time_machine.travel(deadline - dt.timedelta(seconds=1), tick=False):
        b = bid(lot, cast.supplier)
    assert b.received_at == deadline - dt.timedelta(seconds=1)


@pytest.mark.parametrize("after", [dt.timedelta(0), dt.timedelta(seconds=1)])
def test_it_refuses_a_bid_at_and_after_the_deadline(cast, after):
    deadline = dt.datetime(2026, 3, 24, 1, 30, tzinfo=dt.UTC)
    with time_machine.travel(deadline - dt.timedelta(days=20), tick=False):
        lot = announced_lot(cast, deadline=deadline)
        early = bid(lot, cast.supplier2)
    with time_machine.travel(deadline + after, tick=False):
        with pytest.raises(DeadlinePassed) as excinfo:
            bid(lot, cast.supplier)
        assert "2026-03-24 09:30:00" in str(excinfo.value)  # the deadline in Beijing time
        with pytest.raises(DeadlinePassed):
            bid(lot, cast.supplier2)  # no replacement
        with pytest.raises(DeadlinePassed):
            withdraw_bid(bid=early, acting_user=cast.supplier2)
    assert not Bid.objects.filter(supplier__name="郑州甲科技有限公司").exists()
    early.refresh_from_db()
    assert early.state == BidState.SUBMITTED


def test_the_deadline_check_in_the_transaction_refuses_a_bid_sealed_just_before(cast, monkeypatch):
    """Sealing takes time: the clock read under the lock decides, not the one before sealing."""
    import bidding.services.submission as services

    deadline = dt.datetime(2026, 3, 24, 1, 30, tzinfo=dt.UTC)
    with time_machine.travel(deadline - dt.timedelta(days=1), tick=False):
        lot = announced_lot(cast, deadline=deadline)
    real_seal = services.seal_bid
    with time_machine.travel(deadline - dt.timedelta(seconds=1), tick=False) as traveller:

        def slow_seal(**kwargs):
            sealed = real_seal(**kwargs)
            traveller.shift(dt.timedelta(seconds=2))
            return sealed

        monkeypatch.setattr(services, "seal_bid", slow_seal)
        with pytest.raises(DeadlinePassed):
            bid(lot, cast.supplier)
    assert not Bid.objects.exists()


def test_only_suppliers_bid_and_the_price_must_be_yuan_with_two_decimals(cast, lot):
    with pytest.raises(PermissionDenied):
        bid(lot, cast.purchaser)
    for wrong in ["0", "-5", "1.234", "abc"]:
        with pytest.raises(DomainError) as excinfo:
            submit_bid(
                lot=lot,
                price=wrong,
                files=[pdf_file()],
                sme_items=[],
                passphrase=PASSPHRASE,
                acting_user=cast.supplier,
            )
        assert excinfo.value.code == "price", wrong
    with pytest.raises(DomainError) as excinfo:
        bid(lot, cast.supplier, passphrase="short")
    assert excinfo.value.code == "short_passphrase"
    assert not Bid.objects.exists()


def test_a_wrong_file_type_is_refused_before_anything_is_stored(cast, lot, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = files_under(media)  # the lot's tender documents
    with pytest.raises(DomainError, match="PDF"):
        bid(lot, cast.supplier, files=[SimpleUploadedFile("a.pdf", b"plain text, not a pdf")])
    assert files_under(media) == before


def test_the_price_is_decimal_yuan(cast, lot):
    b = bid(lot, cast.supplier, "100")
    assert b.price is None  # sealed
    assert Decimal("100.00") == Decimal("100")
