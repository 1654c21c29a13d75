"""A decryption failure for reasons outside the bidder (EBID Art 31, RULES.md C-5): the bidder's
key is right but the platform's sealed data is not. It is told apart from a wrong key, never
counted as the bidder's revocation, and, where the lot's rules allow, remedied by re-uploading
exactly what was sealed (files by SHA-256, the price by its commitment)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from audit.models import Event
from bidding import crypto
from bidding.models import Bid, BidState, Opening, OpeningRules
from bidding.services import (
    decrypt_bid,
    record_platform_failure,
    remedy_bid,
    set_opening_rules,
)
from common.errors import DomainError, InvalidTransition, PermissionDenied
from notifications.models import Notification
from procurement.models import LotState
from suppliers.sme import check_items
from timers.models import Clock
from timers.services import sweep

from .helpers import PASSPHRASE, SME, announced_lot, bid, docx_file, pdf_file, third_supplier

pytestmark = pytest.mark.django_db

DEADLINE = dt.datetime(2026, 3, 24, 1, 30, tzinfo=dt.UTC)
BEFORE = DEADLINE - dt.timedelta(days=1)
WINDOW_END = DEADLINE + dt.timedelta(minutes=30)
PRICE = "100000.00"


def at(moment):
    return time_machine.travel(moment, tick=False)


@contextmanager
def refused(code: str) -> Iterator[None]:
    """The block raises a DomainError with this code (and not one for another reason)."""
    with pytest.raises(DomainError) as excinfo:
        yield
    assert excinfo.value.code == code, str(excinfo.value)


@pytest.fixture
def lot(cast):
    agency = cast.agency.memberships.get().organisation
    with at(DEADLINE - dt.timedelta(days=20)):
        return announced_lot(cast, deadline=DEADLINE, agency=agency)


def allow_reupload(cast, lot, minutes=60):
    with at(BEFORE):
        return set_opening_rules(
            lot=lot, reupload=True, window_minutes=minutes, acting_user=cast.purchaser
        )


@pytest.fixture
def uploads():
    """The files as the bidder keeps them on its computer (to upload them again)."""
    first, second = pdf_file("商务文件.pdf"), docx_file("技术方案.docx")
    data = [(first.name, first.read()), (second.name, second.read())]
    first.seek(0)
    second.seek(0)
    return [first, second], data


@pytest.fixture
def bids(cast, lot, uploads):
    files, _data = uploads
    third = third_supplier()
    with at(BEFORE):
        made = [
            bid(lot, cast.supplier, PRICE, files=files),
            bid(lot, cast.supplier2, "110000.00"),
            bid(lot, third, "120000.00"),
        ]
    with at(DEADLINE):
        sweep()  # the lot closes, the opening starts
    return made, third


def damage_file(b: Bid, position: int) -> None:
    """The platform's store changes a sealed file after sealing (one bit)."""
    f = b.files.get(position=position)
    path = Path(settings.MEDIA_ROOT) / f.blob.name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 1
    path.write_bytes(bytes(data))


def damage_price(b: Bid) -> None:
    ciphertext = bytearray(bytes(b.price_ciphertext))
    ciphertext[0] ^= 1
    Bid.objects.filter(pk=b.pk).update(price_ciphertext=bytes(ciphertext))


def upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_a_right_key_on_damaged_data_is_told_apart_from_a_wrong_key(cast, lot, bids):
    (mine, *_others), _third = bids
    damage_file(mine, 2)
    with at(DEADLINE + dt.timedelta(minutes=2)):
        with pytest.raises(DomainError) as wrong:
            decrypt_bid(bid=mine, passphrase="not the passphrase", acting_user=cast.supplier)
        assert wrong.value.code == "wrong_key"
        mine.refresh_from_db()
        assert mine.integrity_failed_at is None and mine.failed_attempts == 1
        with pytest.raises(DomainError) as broken:
            decrypt_bid(bid=mine, passphrase=PASSPHRASE, acting_user=cast.supplier)
    assert broken.value.code == "seal_broken" and "并非您的原因" in str(broken.value)
    mine.refresh_from_db()
    assert mine.state == BidState.SUBMITTED and mine.integrity_failed_at is not None
    assert mine.integrity_failure["parts"] == ["file:2"]
    assert mine.integrity_failure["evidence"] == [{"part": "file:2", "as_sealed": False}]
    assert mine.price is None and not mine.files.filter(plain="").exclude(plain="").exists()
    assert Event.objects.filter(action="bidding.bid.integrity_failed").count() == 1
    told = set(
        Notification.objects.filter(kind="bidding.integrity_failed").values_list(
            "recipient__username", flat=True
        )
    )
    assert {"purchaser", "agency", "supplier"} <= told
    bidder = Notification.objects.get(kind="bidding.integrity_failed", recipient=cast.supplier)
    assert "并非您的原因" in bidder.body and "请在开标页面" not in bidder.body
    staff = Notification.objects.get(kind="bidding.integrity_failed", recipient=cast.agency)
    assert "请在开标页面将其记录为平台原因" in staff.body


def test_a_lost_file_is_evidence_too(cast, lot, bids):
    (mine, *_others), _third = bids
    f = mine.files.get(position=1)
    (Path(settings.MEDIA_ROOT) / f.blob.name).unlink()
    with at(DEADLINE + dt.timedelta(minutes=2)), refused("seal_broken"):
        decrypt_bid(bid=mine, passphrase=PASSPHRASE, acting_user=cast.supplier)
    mine.refresh_from_db()
    assert mine.integrity_failure["evidence"] == [
        {"part": "file:1", "as_sealed": False, "missing": True}
    ]


def test_without_the_remedy_a_platform_failure_is_deemed_withdrawn_not_revoked(
    cast, lot, bids, client
):
    (mine, theirs, _thirds), third = bids
    damage_price(mine)
    with at(DEADLINE + dt.timedelta(minutes=2)):
        with refused("seal_broken"):
            decrypt_bid(bid=mine, passphrase=PASSPHRASE, acting_user=cast.supplier)
        decrypt_bid(bid=theirs, passphrase=PASSPHRASE, acting_user=cast.supplier2)
        client.force_login(cast.purchaser)
        page = client.get(reverse("bidding:opening", args=[lot.pk])).content.decode()
        assert 'data-testid="failures"' in page and f"rule-{mine.uuid}" in page
        response = client.post(reverse("bidding:platform_failure", args=[lot.pk, mine.uuid]))
        assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.platform_failure_by == cast.purchaser and mine.remedy_until is None
    assert Event.objects.filter(action="bidding.bid.platform_failure_recorded").exists()
    with at(WINDOW_END):
        sweep()
    lot.refresh_from_db()
    mine.refresh_from_db()
    assert lot.state == LotState.OPENED
    assert mine.state == BidState.WITHDRAWN and mine.withdrawn_at == WINDOW_END
    states = dict(Bid.objects.filter(lot=lot).values_list("supplier__name", "state"))
    assert states[third.memberships.get().organisation.name] == BidState.UNDECRYPTED
    record = {row["supplier"]: row for row in Opening.objects.get(lot=lot).record["bids"]}
    row = record[mine.supplier.name]
    assert row["state"] == "withdrawn" and row["platform_failure"] and row["price"] is None
    assert Event.objects.filter(action="bidding.bid.deemed_withdrawn").count() == 1
    # The bidder still takes part in the opening: it reads the record and may object.
    client.force_login(cast.supplier)
    with at(WINDOW_END + dt.timedelta(minutes=1)):
        page = client.get(reverse("bidding:opening", args=[lot.pk]))
    assert page.status_code == 200 and "平台原因" in page.content.decode()
    assert 'data-testid="object-record"' in page.content.decode()


def test_a_failure_nobody_ruled_on_is_still_not_the_bidders(cast, lot, bids):
    (mine, *_others), _third = bids
    damage_file(mine, 1)
    with at(DEADLINE + dt.timedelta(minutes=2)), refused("seal_broken"):
        decrypt_bid(bid=mine, passphrase=PASSPHRASE, acting_user=cast.supplier)
    with at(WINDOW_END):
        sweep()
    mine.refresh_from_db()
    assert mine.state == BidState.WITHDRAWN and mine.platform_failure_at is None


def test_with_the_remedy_the_bidder_restores_exactly_what_it_sealed(
    cast, lot, uploads, django_capture_on_commit_callbacks
):
    allow_reupload(cast, lot, minutes=60)
    files, data = uploads
    third = third_supplier()
    with at(BEFORE):
        mine = bid(lot, cast.supplier, PRICE, files=files)
        theirs = bid(lot, cast.supplier2, "110000.00")
        thirds = bid(lot, third, "120000.00")
    with at(DEADLINE):
        sweep()
    damage_file(mine, 2)
    damage_price(mine)
    ruled = DEADLINE + dt.timedelta(minutes=20)
    with at(DEADLINE + dt.timedelta(minutes=2)):
        with refused("seal_broken"):
            decrypt_bid(bid=mine, passphrase=PASSPHRASE, acting_user=cast.supplier)
        decrypt_bid(bid=theirs, passphrase=PASSPHRASE, acting_user=cast.supplier2)
        decrypt_bid(bid=thirds, passphrase=PASSPHRASE, acting_user=third)
    with at(ruled):
        record_platform_failure(bid=mine, acting_user=cast.agency)
    mine.refresh_from_db()
    assert mine.remedy_until == ruled + dt.timedelta(minutes=60)
    clock = Clock.objects.get(kind="bidding.decryption_window")
    assert clock.due == mine.remedy_until  # the record waits for the re-upload
    with at(WINDOW_END + dt.timedelta(minutes=1)):
        sweep()
        lot.refresh_from_db()
        assert lot.state == LotState.OPENING
        # Normal decryption is over; only the re-upload is open.
        with refused("window_ended"):
            decrypt_bid(bid=mine, passphrase=PASSPHRASE, acting_user=cast.supplier)
        (first_name, first_bytes), (second_name, second_bytes) = data
        attempts = [
            # a file that is not one of the bid's
            ([upload("技术方案.docx", second_bytes + b"changed")], PRICE, "not_sealed_file"),
            # only an intact file: the lost one is missing
            ([upload(first_name, first_bytes)], PRICE, "files_missing"),
            # the right file but another price than the sealed one
            ([upload(second_name, second_bytes)], "99999.00", "price_mismatch"),
            ([upload(second_name, second_bytes)], None, "price"),
        ]
        for uploaded, price, code in attempts:
            with pytest.raises(DomainError) as error:
                remedy_bid(
                    bid=mine,
                    passphrase=PASSPHRASE,
                    files=uploaded,
                    price=price,
                    acting_user=cast.supplier,
                )
            assert error.value.code == code, code
        with pytest.raises(DomainError) as error:
            remedy_bid(
                bid=mine,
                passphrase="wrong passphrase",
                files=[upload(second_name, second_bytes)],
                price=PRICE,
                acting_user=cast.supplier,
            )
        assert error.value.code == "wrong_key"
        with django_capture_on_commit_callbacks(execute=True):
            restored = remedy_bid(
                bid=mine,
                passphrase=PASSPHRASE,
                files=[upload(first_name, first_bytes), upload("改名了.docx", second_bytes)],
                price="100000",
                acting_user=cast.supplier,
            )
    assert restored.state == BidState.DECRYPTED and restored.price == Decimal(PRICE)
    assert restored.remedied_at is not None
    names = dict(restored.files.values_list("position", "original_name"))
    assert names == {1: "商务文件.pdf", 2: "改名了.docx"}
    second = restored.files.get(position=2)
    assert hashlib.sha256(second.plain.read()).hexdigest() == second.sha256
    # The manifest was intact: the SME declaration stands as sealed.
    assert restored.sme_items == check_items(SME)
    lot.refresh_from_db()
    assert lot.state == LotState.OPENED  # nothing else was waiting: the record is made
    row = Opening.objects.get(lot=lot).record["bids"][0]
    assert row["price"] == PRICE and row["remedied"] is True
    event = Event.objects.get(action="bidding.bid.remedied")
    assert event.data["restored"] == ["price", "file:2"]


def test_the_reupload_window_ends_and_the_bid_is_deemed_withdrawn(cast, lot):
    allow_reupload(cast, lot, minutes=15)
    third = third_supplier()
    with at(BEFORE):
        mine = bid(lot, cast.supplier, PRICE)
        bid(lot, cast.supplier2, "110000.00")
        bid(lot, third, "120000.00")
    with at(DEADLINE):
        sweep()
    damage_file(mine, 1)
    with at(DEADLINE + dt.timedelta(minutes=25)):
        with refused("seal_broken"):
            decrypt_bid(bid=mine, passphrase=PASSPHRASE, acting_user=cast.supplier)
        record_platform_failure(bid=mine, acting_user=cast.purchaser)
    end = DEADLINE + dt.timedelta(minutes=40)
    with at(WINDOW_END):
        sweep()
    lot.refresh_from_db()
    assert lot.state == LotState.OPENING
    with at(end), refused("window_ended"):
        remedy_bid(bid=mine, passphrase=PASSPHRASE, files=[], acting_user=cast.supplier)
    with at(end):
        sweep()
    lot.refresh_from_db()
    mine.refresh_from_db()
    assert lot.state == LotState.OPENED and mine.state == BidState.WITHDRAWN


def test_a_price_sealed_without_commitment_cannot_be_given_again(cast, lot):
    allow_reupload(cast, lot)
    third = third_supplier()
    with at(BEFORE):
        mine = bid(lot, cast.supplier, PRICE)
        bid(lot, cast.supplier2, "110000.00")
        bid(lot, third, "120000.00")
    Bid.objects.filter(pk=mine.pk).update(price_commitment=b"")  # as before migration 0004
    with at(DEADLINE):
        sweep()
    damage_price(mine)
    with at(DEADLINE + dt.timedelta(minutes=2)):
        with refused("seal_broken"):
            decrypt_bid(bid=mine, passphrase=PASSPHRASE, acting_user=cast.supplier)
        record_platform_failure(bid=mine, acting_user=cast.purchaser)
        with pytest.raises(DomainError) as error:
            remedy_bid(
                bid=mine, passphrase=PASSPHRASE, files=[], price=PRICE, acting_user=cast.supplier
            )
    assert error.value.code == "no_commitment"


def test_the_commitment_binds_the_price_without_showing_it(cast, lot):
    with at(BEFORE):
        b = bid(lot, cast.supplier, PRICE)
    commitment = bytes(b.price_commitment)
    assert len(commitment) == 32
    # Not a plain hash of the price: without the data key nobody can test guesses.
    for guess in [PRICE, "100000", "100000.0"]:
        assert commitment != hashlib.sha256(guess.encode()).digest()
        assert commitment != crypto.commit(b"", guess.encode())
    kdf = crypto.KdfParams(salt=bytes(b.kdf_salt), n=b.kdf_n, r=b.kdf_r, p=b.kdf_p)
    data_key = crypto.decrypt(
        crypto.derive_key(PASSPHRASE, kdf),
        bytes(b.key_nonce),
        bytes(b.wrapped_key),
        crypto.aad(str(b.uuid), lot.pk, "data_key"),
    )
    key = crypto.commitment_key(data_key, str(b.uuid), lot.pk)
    assert crypto.same_commitment(crypto.commit(key, PRICE.encode()), commitment)
    assert not crypto.same_commitment(crypto.commit(key, b"100000.01"), commitment)


def test_only_the_project_staff_rule_and_only_on_a_failed_check(cast, lot, bids, client):
    (mine, theirs, _thirds), _third = bids
    with at(DEADLINE + dt.timedelta(minutes=2)):
        with pytest.raises(InvalidTransition):
            record_platform_failure(bid=theirs, acting_user=cast.purchaser)  # nothing failed
        damage_file(mine, 1)
        with refused("seal_broken"):
            decrypt_bid(bid=mine, passphrase=PASSPHRASE, acting_user=cast.supplier)
        for user in [cast.supplier, cast.supplier2, cast.bureau, cast.purchaser2, cast.expert]:
            with pytest.raises(PermissionDenied):
                record_platform_failure(bid=mine, acting_user=user)
        url = reverse("bidding:platform_failure", args=[lot.pk, mine.uuid])
        # (role, GET, POST): the bureau and the bidders see the opening but may not rule.
        for role, get_status, post_status in [
            ("bureau", 403, 403),
            ("supplier", 403, 403),
            ("supplier2", 403, 403),
            ("purchaser2", 404, 404),
            ("expert", 404, 404),
            ("outsider", 404, 404),
            ("bank", 404, 404),
            ("agency", 200, 302),
            ("purchaser", 200, 302),  # recorded already by the agency: told so, nothing new
        ]:
            client.force_login(getattr(cast, role))
            assert client.get(url).status_code == get_status, role
            assert client.post(url).status_code == post_status, role
        client.logout()
        assert client.get(url).status_code == 302  # to sign in
        # The re-upload is the bidder's own.
        client.force_login(cast.supplier2)
        assert client.post(reverse("bidding:reupload", args=[mine.uuid])).status_code == 404
    mine.refresh_from_db()
    assert mine.platform_failure_by == cast.agency
    assert Event.objects.filter(action="bidding.bid.platform_failure_recorded").count() == 1
    with pytest.raises(InvalidTransition):
        record_platform_failure(bid=mine, acting_user=cast.purchaser)  # already recorded


def test_the_rules_are_set_by_the_staff_until_the_deadline(cast, lot, client):
    url = reverse("bidding:opening_rules", args=[lot.pk])
    with at(BEFORE):
        client.force_login(cast.purchaser)
        assert client.get(url).status_code == 200
        response = client.post(url, {"reupload": "on", "window_minutes": "45"})
        assert response.status_code == 302
        assert client.post(url, {"reupload": "on", "window_minutes": "5"}).status_code == 400
        rules = OpeningRules.objects.get(lot=lot)
        assert rules.reupload_on_platform_failure and rules.reupload_window_minutes == 45
        assert Event.objects.filter(action="bidding.opening_rules.changed").count() == 1
        client.force_login(cast.supplier)
        page = client.get(reverse("bidding:submit", args=[lot.pk])).content.decode()
        assert "45 分钟" in page
        for role, get_status, post_status in [
            ("agency", 200, 302),
            ("bureau", 200, 403),
            ("supplier", 404, 404),
            ("purchaser2", 404, 404),
            ("expert", 404, 404),
        ]:
            client.force_login(getattr(cast, role))
            assert client.get(url).status_code == get_status, role
            data = {"window_minutes": "30"}
            assert client.post(url, data).status_code == post_status, role
        client.logout()
        assert client.get(url).status_code == 302
    with at(DEADLINE):
        client.force_login(cast.purchaser)
        response = client.post(url, {"window_minutes": "30"})
        assert response.status_code == 400
        assert "开标规则只能在投标截止时间前修改。" in response.content.decode()
    rules.refresh_from_db()
    assert not rules.reupload_on_platform_failure  # the agency's change before the deadline


def test_the_staff_home_lists_lots_and_failures_waiting(cast, lot, bids, client):
    (mine, *_others), _third = bids
    damage_file(mine, 1)
    with at(DEADLINE + dt.timedelta(minutes=2)):
        with refused("seal_broken"):
            decrypt_bid(bid=mine, passphrase=PASSPHRASE, acting_user=cast.supplier)
        client.force_login(cast.agency)
        page = client.get(reverse("accounts:home")).content.decode()
    assert 'data-testid="home-failures"' in page and mine.supplier.name in page


def test_a_lost_manifest_loses_only_the_names_and_the_declaration(cast, lot):
    allow_reupload(cast, lot)
    third = third_supplier()
    with at(BEFORE):
        mine = bid(lot, cast.supplier, PRICE, files=[pdf_file("商务文件.pdf")])
        bid(lot, cast.supplier2, "110000.00")
        bid(lot, third, "120000.00")
    manifest = bytearray(bytes(mine.manifest_ciphertext))
    manifest[-1] ^= 1
    Bid.objects.filter(pk=mine.pk).update(manifest_ciphertext=bytes(manifest))
    with at(DEADLINE):
        sweep()
    with at(DEADLINE + dt.timedelta(minutes=2)):
        with refused("seal_broken"):
            decrypt_bid(bid=mine, passphrase=PASSPHRASE, acting_user=cast.supplier)
        mine.refresh_from_db()
        assert mine.integrity_failure["parts"] == ["manifest"]
        assert mine.integrity_failure["evidence"] == [{"part": "manifest", "as_sealed": False}]
        record_platform_failure(bid=mine, acting_user=cast.purchaser)
        restored = remedy_bid(bid=mine, passphrase=PASSPHRASE, files=[], acting_user=cast.supplier)
    assert restored.state == BidState.DECRYPTED and restored.price == Decimal(PRICE)
    f = restored.files.get()
    assert f.original_name == "" and f.kind == "pdf" and str(f) == "文件1"
    assert restored.sme_items == []
    assert Event.objects.get(action="bidding.bid.remedied").data["sme_declaration_lost"] is True


def test_the_bureau_reads_the_rules_and_an_opened_bid_in_the_admin_but_changes_nothing(
    cast, lot, bids, client
):
    (mine, theirs, thirds), third = bids
    allow = OpeningRules.objects.create(lot=lot, reupload_on_platform_failure=True)
    with at(DEADLINE + dt.timedelta(minutes=2)):
        decrypt_bid(bid=mine, passphrase=PASSPHRASE, acting_user=cast.supplier)
        decrypt_bid(bid=theirs, passphrase=PASSPHRASE, acting_user=cast.supplier2)
        decrypt_bid(bid=thirds, passphrase=PASSPHRASE, acting_user=third)
    client.force_login(cast.bureau)
    for url in [
        reverse("admin:bidding_openingrules_changelist"),
        reverse("admin:bidding_openingrules_change", args=[allow.pk]),
        reverse("admin:bidding_bid_change", args=[mine.pk]),
    ]:
        assert client.get(url).status_code == 200, url
    page = client.get(reverse("admin:bidding_bid_change", args=[mine.pk])).content.decode()
    assert "商务文件.pdf" in page  # decrypted: the names are back
    change = reverse("admin:bidding_openingrules_change", args=[allow.pk])
    assert client.post(change, {"reupload_window_minutes": "10"}).status_code == 403
    allow.refresh_from_db()
    assert allow.reupload_window_minutes == 60
