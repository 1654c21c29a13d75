"""Issue 16 points 1–2 in Chromium: a bid sealed by the bid page opens in Python (the same
format, bidding/sealing.py), a bid sealed in Python opens in the browser, and at the opening the
browser unwraps the data key so that the server opens the bid. Nothing readable reaches the
server before the opening, not the passphrase either."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json

import pytest
import time_machine
from django.utils import timezone

from bidding import sealing
from bidding.models import Bid, BiddingParameters, BidState
from bidding.services.client_sealed import StoredBlob, parse_envelope, store_client_sealed_bid
from procurement.models import LotState
from tests.bidding.helpers import announced_lot, pdf_file, third_supplier
from tests.browser.conftest import shot, sign_in
from timers.services import sweep

SECRET = "SEALED-IN-BROWSER-9Z"
FILE_NAME = "报价77万-方案.pdf"
PASSPHRASE = "浏览器封标口令-2026"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def envelope_of(bid: Bid) -> tuple[dict, list[bytes]]:
    """The envelope and blobs of a stored format-3 bid, rebuilt from its rows and files."""
    from bidding.services.client_sealed import key_material

    envelope = key_material(bid)
    envelope["price"] = {
        "nonce": sealing.b64(bytes(bid.price_nonce)),
        "ct": sealing.b64(bytes(bid.price_ciphertext)),
    }
    envelope["manifest"] = {
        "nonce": sealing.b64(bytes(bid.manifest_nonce)),
        "ct": sealing.b64(bytes(bid.manifest_ciphertext)),
    }
    files = list(bid.files.order_by("position"))
    envelope["files"] = [
        {"position": f.position, "nonce": sealing.b64(bytes(f.nonce)), "sha256": f.sha256}
        for f in files
    ]
    return envelope, [f.blob.read() for f in files]


def test_sealed_in_chromium_opens_in_python_and_sealed_in_python_opens_in_chromium(
    live_server, cast, page, browser, media
):
    BiddingParameters.objects.create(min_bids_public_tender=2)
    deadline = (timezone.now() + dt.timedelta(hours=2)).replace(microsecond=0)
    lot = announced_lot(cast, deadline=deadline)
    content = pdf_file(marker=SECRET).read()
    big = content + b"%" + b"x" * (sealing.CHUNK + 1000)  # two chunks: a PDF with a long tail

    # 1. The bid page seals in Chromium; the request carries no plaintext.
    sign_in(page, live_server, "supplier")
    page.goto(f"{live_server.url}/bidding/lots/{lot.pk}/bid/")
    assert "需要 JavaScript" in page.inner_text("[data-testid=sealed-here]")
    sent: list[bytes] = []
    page.on(
        "request",
        lambda r: sent.append(r.post_data_buffer or b"") if r.method in ("PUT", "POST") else None,
    )
    page.fill("#id_price", "770000.5")
    page.set_input_files(
        "#id_files",
        [
            {"name": FILE_NAME, "mimeType": "application/pdf", "buffer": content},
            {"name": "大文件.pdf", "mimeType": "application/pdf", "buffer": big},
        ],
    )
    page.fill("#id_passphrase", PASSPHRASE)
    page.fill("#id_passphrase_again", "a different one")
    page.check("#id_understood")
    page.click("[data-testid=submit-bid]")
    page.wait_for_selector("[data-testid=seal-status].alert-danger")
    assert "两次输入的口令不一致" in page.inner_text("[data-testid=seal-status]")
    page.fill("#id_passphrase_again", PASSPHRASE)
    shot(page, "sealing-bid-form")
    page.click("[data-testid=submit-bid]")
    page.wait_for_selector("[data-testid=receipt]", timeout=30_000)
    shot(page, "sealing-receipt")
    body = b"".join(sent)
    for plain in [b"770000", SECRET.encode(), FILE_NAME.encode(), PASSPHRASE.encode(), b"%PDF"]:
        assert plain not in body, plain
    bid = Bid.objects.get(submitted_by=cast.supplier)
    assert bid.format_version == 3 and bid.kdf["alg"] == "argon2id"
    envelope, blobs = envelope_of(bid)
    opened = sealing.open_bid(sealing.SealedBid(envelope, blobs), passphrase=PASSPHRASE)
    assert opened["price"] == "770000.50"
    assert opened["files"] == [content, big]
    assert [f["name"] for f in opened["manifest"]["files"]] == [FILE_NAME, "大文件.pdf"]
    assert len(blobs[1]) == sealing.sealed_length(len(big))

    # 2. Sealed in Python, opened in Chromium (the page's own code, seal.js).
    python_sealed = sealing.seal_bid(
        lot_id=lot.pk,
        price="810000.00",
        files=[("乙方案.pdf", "pdf", big)],
        passphrase="python-sealed-pass",
        argon2={"m": 19456, "t": 1, "p": 1},
    )
    page.goto(f"{live_server.url}/bidding/lots/{lot.pk}/bid/")  # the page with seal.js
    result = page.evaluate(
        """async ([envelope, blobs, passphrase]) => {
            const parts = blobs.map(b => new Blob([YangguangSeal.unb64(b)]));
            return YangguangSeal.openBid(envelope, parts, {passphrase});
        }""",
        [
            python_sealed.envelope,
            [base64.b64encode(b).decode() for b in python_sealed.blobs],
            "python-sealed-pass",
        ],
    )
    assert result["price"] == "810000.00"
    assert result["sha256"] == [python_sealed.envelope["files"][0]["sha256"]]
    assert result["manifest"]["files"][0]["name"] == "乙方案.pdf"
    assert base64.b64decode(result["dataKey"]) == python_sealed.data_key

    # 3. The Python-sealed bid is stored for a second supplier; at the opening each browser
    # unwraps its data key and the server opens the bid with it.
    blob_rows = {}
    for n, blob in enumerate(python_sealed.blobs, start=1):
        import hashlib

        from django.core.files.storage import default_storage

        name = default_storage.save(f"bids/{lot.pk}/py-{n}.bin", io.BytesIO(blob))
        blob_rows[n] = StoredBlob(n, name, len(blob), hashlib.sha256(blob).hexdigest())
    store_client_sealed_bid(
        lot=lot,
        envelope=parse_envelope(json.dumps(python_sealed.envelope), lot_id=lot.pk),
        blobs=blob_rows,
        arrived_at=timezone.now(),
        acting_user=cast.supplier2,
    )
    third_supplier()
    with time_machine.travel(deadline + dt.timedelta(seconds=3), tick=True):
        sweep()
        lot.refresh_from_db()
        assert lot.state == LotState.OPENING
        page.goto(f"{live_server.url}/bidding/lots/{lot.pk}/opening/")
        page.fill("[data-testid=decrypt-passphrase]", "wrong passphrase")
        page.click("[data-testid=decrypt]")
        page.wait_for_selector("[data-testid=open-status].alert-danger", timeout=30_000)
        page.fill("[data-testid=decrypt-passphrase]", PASSPHRASE)
        page.click("[data-testid=decrypt]")
        page.wait_for_selector("[data-testid=decrypted]", timeout=30_000)
        shot(page, "sealing-opening")
        bid.refresh_from_db()
        assert bid.state == BidState.DECRYPTED and str(bid.price) == "770000.50"
        assert [f.original_name for f in bid.files.order_by("position")] == [
            FILE_NAME,
            "大文件.pdf",
        ]

        other_context = browser.new_context(locale="zh-CN")
        other = other_context.new_page()
        sign_in(other, live_server, "supplier2")
        other.goto(f"{live_server.url}/bidding/lots/{lot.pk}/opening/")
        other.fill("[data-testid=decrypt-passphrase]", "python-sealed-pass")
        other.click("[data-testid=decrypt]")
        other.wait_for_selector("[data-testid=opening-record]", timeout=30_000)
        shot(other, "sealing-opening-record")
        other_context.close()
    second = Bid.objects.get(submitted_by=cast.supplier2)
    assert second.state == BidState.DECRYPTED and str(second.price) == "810000.00"
    assert second.files.get().plain.read() == big


def test_a_key_file_seals_in_the_browser_and_never_leaves_it(live_server, cast, page, media):
    lot = announced_lot(cast)
    key = b"K" * 32
    text = sealing.key_file_text(key)
    sign_in(page, live_server, "supplier")
    page.goto(f"{live_server.url}/bidding/lots/{lot.pk}/bid/")
    sent: list[bytes] = []
    page.on(
        "request", lambda r: sent.append(r.post_data_buffer or b"") if r.method == "PUT" else None
    )
    page.fill("#id_price", "1234")
    page.set_input_files(
        "#id_files",
        [{"name": "a.pdf", "mimeType": "application/pdf", "buffer": pdf_file().read()}],
    )
    page.check("input[name=key_method][value=key_file]")
    page.set_input_files(
        "#id_key_file", [{"name": "x.ygkey", "mimeType": "text/plain", "buffer": b"junk"}]
    )
    page.check("#id_understood")
    page.click("[data-testid=submit-bid]")
    page.wait_for_selector("[data-testid=seal-status].alert-danger")  # not a key file: a message
    page.set_input_files(
        "#id_key_file",
        [{"name": "bid.ygkey", "mimeType": "text/plain", "buffer": text.encode()}],
    )
    page.click("[data-testid=submit-bid]")
    page.wait_for_selector("[data-testid=receipt]", timeout=30_000)
    assert sent and all(text.split()[1].encode() not in body for body in sent)
    bid = Bid.objects.get()
    envelope, blobs = envelope_of(bid)
    assert sealing.open_bid(sealing.SealedBid(envelope, blobs), key=key)["price"] == "1234.00"
