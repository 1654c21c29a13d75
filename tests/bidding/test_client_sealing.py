"""Bids sealed in the bidder's browser (format 3, bidding/sealing.py): the Python side of the
format, the streamed upload, the time that counts, the opening waiting for uploads in flight,
and the opening with the data key the browser unwrapped."""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
from pathlib import Path

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.urls import reverse

from bidding import crypto, sealing
from bidding.models import Bid, BidState, Opening, UploadInFlight
from bidding.services import decrypt_bid
from bidding.services.client_sealed import (
    StoredBlob,
    parse_envelope,
    register_arrival,
    store_client_sealed_bid,
    upload_ended,
)
from common.errors import DeadlinePassed, DomainError
from procurement.models import LotState
from timers.services import sweep

from .helpers import announced_lot, pdf_file, third_supplier

pytestmark = pytest.mark.django_db

DEADLINE = dt.datetime(2026, 3, 24, 1, 30, tzinfo=dt.UTC)
BEFORE = DEADLINE - dt.timedelta(days=1)
ARGON = {"m": 19456, "t": 1, "p": 1}
PASSPHRASE = "correct horse battery"


@pytest.fixture
def lot(cast):
    with time_machine.travel(BEFORE - dt.timedelta(days=19), tick=False):
        return announced_lot(cast, deadline=DEADLINE)


def pdf_bytes(marker: str = "") -> bytes:
    return pdf_file(marker=marker).read()


def sealed_bid(lot_id: int, price: str = "98000.00", *, files=None, key=None) -> sealing.SealedBid:
    return sealing.seal_bid(
        lot_id=lot_id,
        price=price,
        files=files or [("报价98万.pdf", "pdf", pdf_bytes("one"))],
        passphrase=None if key else PASSPHRASE,
        key=key,
        argon2=ARGON,
        sme_items=[],
    )


def multipart(sealed: sealing.SealedBid, *, envelope: dict | None = None) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    text = json.dumps(envelope or sealed.envelope)
    out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="envelope"\r\n\r\n'.encode())
    out.write(text.encode() + b"\r\n")
    for n, blob in enumerate(sealed.blobs, start=1):
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file:{n}"; '
            f'filename="sealed.bin"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
        )
        out.write(blob + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def put(client, lot, sealed, **kwargs):
    body, content_type = multipart(sealed, **kwargs)
    return client.generic(
        "PUT", reverse("bidding:upload_sealed", args=[lot.pk]), body, content_type=content_type
    )


def blobs_of(sealed: sealing.SealedBid, lot_id: int) -> dict[int, StoredBlob]:
    """The sealed files as the upload handler leaves them in the store."""
    import hashlib

    out = {}
    for n, blob in enumerate(sealed.blobs, start=1):
        name = default_storage.save(f"bids/{lot_id}/{uuid.uuid4().hex}.bin", io.BytesIO(blob))
        out[n] = StoredBlob(n, name, len(blob), hashlib.sha256(blob).hexdigest())
    return out


# --------------------------------------------------------------------------------------------
# The format in Python


def test_the_format_round_trips_in_chunks_and_refuses_a_wrong_key_or_a_cut_file():
    big = b"%PDF-" + bytes(range(256)) * (sealing.CHUNK // 128)  # two chunks and a bit
    sealed = sealed_bid(7, files=[("a.pdf", "pdf", big), ("empty.pdf", "pdf", b"")])
    assert [len(b) for b in sealed.blobs] == [sealing.sealed_length(len(big)), 16]
    opened = sealing.open_bid(sealed, passphrase=PASSPHRASE)
    assert opened["price"] == "98000.00" and opened["files"] == [big, b""]
    assert opened["manifest"]["files"][0]["name"] == "a.pdf"
    with pytest.raises(sealing.WrongKey):
        sealing.open_bid(sealed, passphrase="not the passphrase")
    cut = sealing.SealedBid(sealed.envelope, [sealed.blobs[0][: sealing.CHUNK + 16], b"x" * 16])
    with pytest.raises(sealing.WrongKey):  # the first chunk is not marked last
        sealing.open_bid(cut, passphrase=PASSPHRASE)
    key = b"k" * 32
    by_file = sealed_bid(7, key=key)
    assert sealing.open_bid(by_file, key=key)["price"] == "98000.00"
    assert sealing.read_key_file(sealing.key_file_text(key).encode()) == key


def test_the_envelope_is_checked_for_structure():
    sealed = sealed_bid(7)
    parse_envelope(json.dumps(sealed.envelope), lot_id=7)
    for broken in [
        {**sealed.envelope, "lot": 8},
        {**sealed.envelope, "format": 2},
        {**sealed.envelope, "key": {**sealed.envelope["key"], "kdf": {"alg": "argon2id"}}},
        {**sealed.envelope, "files": []},
        {**sealed.envelope, "price": {"nonce": "AAAA", "ct": "AAAA"}},
    ]:
        with pytest.raises(DomainError):
            parse_envelope(json.dumps(broken), lot_id=7)
    weak = json.loads(json.dumps(sealed.envelope))
    weak["key"]["kdf"]["m"] = 1024  # too weak a derivation
    with pytest.raises(DomainError):
        parse_envelope(json.dumps(weak), lot_id=7)


# --------------------------------------------------------------------------------------------
# The upload


def test_a_sealed_upload_is_stored_as_ciphertext_and_opens_with_the_browsers_data_key(
    client, cast, lot
):
    client.force_login(cast.supplier)
    sealed = sealed_bid(lot.pk)
    with time_machine.travel(BEFORE, tick=False):
        response = put(client, lot, sealed)
    assert response.status_code == 200, response.content
    bid = Bid.objects.get()
    assert response.json()["receipt"] == reverse("bidding:receipt", args=[bid.uuid])
    assert bid.format_version == crypto.FORMAT_V3 and bid.received_at == BEFORE
    assert bid.kdf["alg"] == "argon2id" and bid.kdf["m"] == ARGON["m"]
    stored = bid.files.get()
    assert stored.sha256 == sealed.envelope["files"][0]["sha256"]
    assert stored.blob.read() == sealed.blobs[0]  # exactly the ciphertext sent
    assert stored.original_name == "" and stored.size is None
    assert not UploadInFlight.objects.exists()


def test_three_browser_sealed_bids_open_with_their_data_keys(client, cast, lot):
    third = third_supplier()
    seals = {}
    for user, price in [(cast.supplier, "100.00"), (cast.supplier2, "200.00"), (third, "300.00")]:
        client.force_login(user)
        seals[user.pk] = sealed_bid(lot.pk, price)
        with time_machine.travel(BEFORE, tick=False):
            assert put(client, lot, seals[user.pk]).status_code == 200
    with time_machine.travel(DEADLINE, tick=False):
        sweep()
    lot.refresh_from_db()
    assert lot.state == LotState.OPENING
    later = DEADLINE + dt.timedelta(minutes=1)
    bid = Bid.objects.get(submitted_by=cast.supplier)
    with time_machine.travel(later, tick=False):
        with pytest.raises(DomainError) as wrong:
            decrypt_bid(bid=bid, data_key=b"x" * 32, acting_user=cast.supplier)
        assert wrong.value.code == "wrong_key"
        bid.refresh_from_db()
        assert bid.failed_attempts == 1
        # Through the view, as the browser sends it.
        client.force_login(cast.supplier)
        response = client.post(
            reverse("bidding:open_with_key", args=[bid.uuid]),
            {"data_key": sealing.b64(seals[cast.supplier.pk].data_key)},
        )
        assert response.status_code == 200
    bid.refresh_from_db()
    assert bid.state == BidState.DECRYPTED and str(bid.price) == "100.00"
    opened = bid.files.get()
    assert opened.original_name == "报价98万.pdf" and opened.kind == "pdf"
    assert (
        opened.plain.read()
        == sealing.open_bid(seals[cast.supplier.pk], passphrase=PASSPHRASE)["files"][0]
    )


def test_a_damaged_chunk_is_the_platforms_failure_not_a_wrong_key(client, cast, lot):
    client.force_login(cast.supplier)
    sealed = sealed_bid(lot.pk)
    with time_machine.travel(BEFORE, tick=False):
        assert put(client, lot, sealed).status_code == 200
    bid = Bid.objects.get()
    stored = bid.files.get()
    path = Path(default_storage.path(stored.blob.name))
    data = bytearray(path.read_bytes())
    data[5] ^= 1
    path.write_bytes(bytes(data))
    Bid.objects.filter(pk=bid.pk).update(state=BidState.SUBMITTED)
    with time_machine.travel(DEADLINE, tick=False):
        sweep()
    lot.refresh_from_db()
    if lot.state != LotState.OPENING:
        # One bid fails a public tender: open it by hand for this check.
        Opening.objects.filter(lot=lot).delete()
        lot.__class__.objects.filter(pk=lot.pk).update(state=LotState.OPENING)
        Opening.objects.create(
            lot=lot, started_at=DEADLINE, window_ends_at=DEADLINE + dt.timedelta(hours=1)
        )
    with (
        time_machine.travel(DEADLINE + dt.timedelta(minutes=1), tick=False),
        pytest.raises(DomainError) as broken,
    ):
        decrypt_bid(bid=bid, data_key=sealed.data_key, acting_user=cast.supplier)
    assert broken.value.code == "seal_broken"
    bid.refresh_from_db()
    assert bid.integrity_failure["parts"] == ["file:1"] and bid.failed_attempts == 0


def test_a_broken_upload_is_refused_and_leaves_nothing_in_the_store(client, cast, lot):
    client.force_login(cast.supplier)
    sealed = sealed_bid(lot.pk)
    before = set(Path(default_storage.path("")).rglob("*.bin"))
    with time_machine.travel(BEFORE, tick=False):
        # No sealed file has these lengths: under one tag, or a last chunk under one tag.
        for length in (10, sealing.CHUNK + 16 + 5):
            bad = sealing.SealedBid(sealed.envelope, [b"\0" * length])
            response = put(client, lot, bad)
            assert response.status_code == 400
            assert response.json()["code"] == "bad_envelope"
        wrong_part = sealing.SealedBid(sealed.envelope, sealed.blobs * 2)
        assert put(client, lot, wrong_part).status_code == 400
        assert client.post(reverse("bidding:upload_sealed", args=[lot.pk])).status_code == 405
    assert not Bid.objects.exists() and not UploadInFlight.objects.exists()
    assert set(Path(default_storage.path("")).rglob("*.bin")) == before


def test_only_a_supplier_uploads(client, cast, lot):
    client.force_login(cast.purchaser)
    with time_machine.travel(BEFORE, tick=False):
        assert put(client, lot, sealed_bid(lot.pk)).status_code == 403


# --------------------------------------------------------------------------------------------
# The time that counts


def test_the_arrival_counts_if_the_upload_completes_within_the_bound(cast, lot):
    arrived = DEADLINE - dt.timedelta(seconds=1)
    sealed = sealed_bid(lot.pk)
    with time_machine.travel(DEADLINE + dt.timedelta(seconds=30), tick=False):
        bid = store_client_sealed_bid(
            lot=lot,
            envelope=parse_envelope(json.dumps(sealed.envelope), lot_id=lot.pk),
            blobs=blobs_of(sealed, lot.pk),
            arrived_at=arrived,
            acting_user=cast.supplier,
        )
    assert bid.received_at == arrived


def test_an_upload_slower_than_the_bound_or_arriving_late_is_refused(cast, lot):
    sealed = sealed_bid(lot.pk)
    envelope = parse_envelope(json.dumps(sealed.envelope), lot_id=lot.pk)
    with time_machine.travel(DEADLINE + dt.timedelta(seconds=2), tick=False):
        with pytest.raises(DeadlinePassed) as slow:
            store_client_sealed_bid(
                lot=lot,
                envelope=envelope,
                blobs=blobs_of(sealed, lot.pk),
                arrived_at=DEADLINE - dt.timedelta(seconds=63),
                acting_user=cast.supplier,
            )
        assert slow.value.code == "upload_too_slow"
        with pytest.raises(DeadlinePassed):
            store_client_sealed_bid(
                lot=lot,
                envelope=envelope,
                blobs=blobs_of(sealed, lot.pk),
                arrived_at=DEADLINE,
                acting_user=cast.supplier,
            )
    assert not Bid.objects.exists()


def test_the_opening_waits_for_an_upload_that_arrived_in_time(cast, lot):
    third = third_supplier()
    with time_machine.travel(BEFORE, tick=False):
        for user in (cast.supplier, cast.supplier2):
            s = sealed_bid(lot.pk)
            store_client_sealed_bid(
                lot=lot,
                envelope=parse_envelope(json.dumps(s.envelope), lot_id=lot.pk),
                blobs=blobs_of(s, lot.pk),
                arrived_at=BEFORE,
                acting_user=user,
            )
    arrived = DEADLINE - dt.timedelta(milliseconds=300)
    with time_machine.travel(arrived, tick=False):
        flight = register_arrival(lot, arrived)
    with time_machine.travel(DEADLINE, tick=False):
        sweep()  # the lot closes; the opening waits
    lot.refresh_from_db()
    assert lot.state == LotState.CLOSED and not Opening.objects.filter(lot=lot).exists()
    s = sealed_bid(lot.pk, "90.00")
    with time_machine.travel(DEADLINE + dt.timedelta(seconds=5), tick=False):
        store_client_sealed_bid(
            lot=lot,
            envelope=parse_envelope(json.dumps(s.envelope), lot_id=lot.pk),
            blobs=blobs_of(s, lot.pk),
            arrived_at=arrived,
            acting_user=third,
        )
        upload_ended(flight)  # the last upload in flight: the opening starts
    lot.refresh_from_db()
    assert lot.state == LotState.OPENING
    assert Opening.objects.get(lot=lot).started_at == DEADLINE + dt.timedelta(seconds=5)
    assert Bid.objects.filter(lot=lot, state=BidState.SUBMITTED).count() == 3


# --------------------------------------------------------------------------------------------
# Point 5: a key file that is not one never gives a 500


def test_an_invalid_key_file_is_an_error_message_not_a_500(client, cast, lot):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .helpers import bid as server_bid

    client.force_login(cast.supplier)
    junk = SimpleUploadedFile("x.ygkey", b"\xff\xfe not a key")
    with time_machine.travel(BEFORE, tick=False):
        response = client.post(
            reverse("bidding:submit", args=[lot.pk]),
            {"price": "100", "key_method": "key_file", "key_file": junk, "understood": "on"},
        )
        assert response.status_code == 400
        old = server_bid(lot, cast.supplier)
    response = client.post(
        reverse("bidding:decrypt", args=[old.uuid]),
        {"key_file": SimpleUploadedFile("x.ygkey", b"\x00" * 10)},
    )
    assert response.status_code == 302
