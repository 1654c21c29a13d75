"""Bids sealed in the bidder's browser (format 3, bidding/sealing.py): receiving and timing them.

The browser sends only ciphertext, the wrapped data key, the Argon2id salt and parameters and
each file's SHA-256 (the envelope), in one multipart PUT. The view stamps the moment the request
arrived before it reads the body, registers the upload as in flight, and streams each sealed
file straight into the file store (SealedFileHandler: no temporary file, and nothing in it is
plaintext). The time that counts is the arrival, provided the upload completes within the
bureau's bound (BiddingParameters.upload_bound_seconds, 60 s by default); the transaction that
stores the bid holds the lot's row lock, as the server-sealed path does (O87 Arts 33–34).

The opening of a lot waits until every upload that arrived before the deadline has completed or
run out of its bound (start_opening_on_close defers; the last upload to end, or a task at the
latest bound, starts it), so nobody can finish a bid after seeing an opened one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, BinaryIO

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.services import record_event
from common.errors import DeadlinePassed, DomainError, InvalidTransition
from procurement.models import Lot, LotState

from .. import crypto, sealing
from ..models import Bid, BiddingParameters, BidFile, BidState, KeyMethod, Opening, UploadInFlight
from ._base import BID_FILE_MAX_BYTES, MAX_FILES, _supplier_of, format_moment, parse_price
from .submission import Evidence, bidding_closed

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

ENVELOPE_MAX_BYTES = 256 * 1024
FILE_FIELD = re.compile(r"^file:([1-9][0-9]?)$")


def upload_bound(params: BiddingParameters | None = None) -> dt.timedelta:
    return dt.timedelta(seconds=(params or BiddingParameters.current()).upload_bound_seconds)


def grace() -> dt.timedelta:
    """How long after the deadline the opening waits at least, so that an upload that arrived
    just before it has registered (settings.BIDDING_UPLOAD_GRACE_SECONDS)."""
    return dt.timedelta(seconds=getattr(settings, "BIDDING_UPLOAD_GRACE_SECONDS", 2))


# --------------------------------------------------------------------------------------------
# Arrival and the bound


def refused_at_arrival(lot: Lot, arrived_at: dt.datetime) -> DomainError | None:
    """Why an upload that arrived at `arrived_at` is refused before its body is read."""
    if lot.bid_deadline is not None and arrived_at >= lot.bid_deadline:
        return bidding_closed(lot, arrived_at)
    if lot.state == LotState.CLOSED and not Opening.objects.filter(lot=lot).exists():
        return None  # arrived in time, the opening waits for it
    return bidding_closed(lot, arrived_at)


def register_arrival(lot: Lot, arrived_at: dt.datetime) -> UploadInFlight:
    """Note the upload as in flight (its own short transaction, before the body is read)."""
    return UploadInFlight.objects.create(
        lot=lot, arrived_at=arrived_at, ends_by=arrived_at + upload_bound()
    )


def uploads_pending(lot: Lot, now: dt.datetime) -> UploadInFlight | None:
    """The in-flight upload that arrived before the deadline and may still complete, ending
    last (None when the opening need not wait)."""
    if lot.bid_deadline is None:
        return None
    return (
        UploadInFlight.objects.filter(lot=lot, arrived_at__lt=lot.bid_deadline, ends_by__gt=now)
        .order_by("-ends_by")
        .first()
    )


def _opening_may_start(lot: Lot, now: dt.datetime) -> dt.datetime | None:
    """None if the opening may start now; else when to look again."""
    assert lot.bid_deadline is not None
    if now < lot.bid_deadline + grace():
        return lot.bid_deadline + grace()
    pending = uploads_pending(lot, now)
    return pending.ends_by if pending is not None else None


def defer_or_start_opening(*, lot: Lot, at: dt.datetime) -> Opening | None:
    """At the close (under the lot's lock): start the opening, or look again when the uploads
    in flight may have ended."""
    from .opening import start_opening

    again = _opening_may_start(lot, at)
    if again is None:
        return start_opening(lot=lot, at=at)
    _schedule_start(lot.pk, again)
    logger.info("lot %s: the opening waits for uploads in flight until %s", lot.pk, again)
    return None


def _schedule_start(lot_id: int, when: dt.datetime) -> None:
    from ..tasks import start_opening_when_ready_task

    def schedule():
        start_opening_when_ready_task.apply_async(
            args=[lot_id], eta=when + dt.timedelta(milliseconds=200)
        )

    transaction.on_commit(schedule)


def start_opening_when_ready(*, lot_id: int, now: dt.datetime | None = None) -> Opening | None:
    """Start the opening of a closed lot once no upload that arrived in time is in flight."""
    from .opening import start_opening

    with transaction.atomic():
        lot = (
            Lot.objects.select_for_update(of=("self",))
            .select_related("project")
            .filter(pk=lot_id)
            .first()
        )
        if lot is None or lot.state != LotState.CLOSED or Opening.objects.filter(lot=lot).exists():
            return None
        now = now or timezone.now()
        again = _opening_may_start(lot, now)
        if again is not None:
            _schedule_start(lot.pk, again)
            return None
        return start_opening(lot=lot, at=now)


def upload_ended(flight: UploadInFlight) -> None:
    """The upload is over (stored or refused): forget it; start a waiting opening if due."""
    UploadInFlight.objects.filter(pk=flight.pk).delete()
    lot = Lot.objects.only("state", "bid_deadline").get(pk=flight.lot_id)
    if lot.state == LotState.CLOSED:
        start_opening_when_ready(lot_id=lot.pk)


# --------------------------------------------------------------------------------------------
# Streaming the sealed files into the store


@dataclass
class StoredBlob:
    position: int
    storage_name: str
    size: int = 0
    sha256: str = ""


class SealedFileHandler(FileUploadHandler):
    """Writes each part "file:N" straight into the file store, hashing it on the way.

    Only ciphertext passes here (the browser sealed it), and it is never held whole in memory
    nor in a temporary file. A part of another name, too many parts or a part larger than a
    sealed bid file can be stops the upload.
    """

    def __init__(self, lot_id: int, request=None):
        super().__init__(request)
        self.lot_id = lot_id
        self.blobs: dict[int, StoredBlob] = {}
        self.refused: str = ""
        self._current: StoredBlob | None = None
        self._handle: BinaryIO | None = None
        self._hash: Any = None
        self._max = sealing.sealed_length(BID_FILE_MAX_BYTES)

    def new_file(self, field_name, file_name, content_type, content_length, charset=None, *a):
        match = FILE_FIELD.match(field_name or "")
        if match is None or int(match.group(1)) > MAX_FILES or int(match.group(1)) in self.blobs:
            self.refused = "unexpected file part"
            raise StopUpload(connection_reset=False)
        position = int(match.group(1))
        name = f"bids/{self.lot_id}/{uuid.uuid4().hex}.bin"
        path = default_storage.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        self._current = StoredBlob(position=position, storage_name=name)
        self.blobs[position] = self._current
        self._handle = open(path, "xb")  # noqa: SIM115 - closed in file_complete or cleanup
        self._hash = hashlib.sha256()

    def receive_data_chunk(self, raw_data, start):
        assert self._current is not None and self._handle is not None and self._hash is not None
        self._current.size += len(raw_data)
        if self._current.size > self._max:
            self.refused = "too large"
            raise StopUpload(connection_reset=False)
        self._handle.write(raw_data)
        self._hash.update(raw_data)
        return None

    def file_complete(self, file_size):
        assert self._current is not None and self._handle is not None and self._hash is not None
        self._handle.close()
        self._current.sha256 = self._hash.hexdigest()
        self._handle = None
        self._current = None
        return None  # nothing goes into request.FILES: the blobs are in the store

    def upload_interrupted(self):
        self.cleanup()

    def cleanup(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        for blob in self.blobs.values():
            default_storage.delete(blob.storage_name)
        self.blobs = {}


# --------------------------------------------------------------------------------------------
# The envelope and the bid


@dataclass
class Envelope:
    uuid: str
    key_method: str
    kdf: dict
    key_nonce: bytes
    wrapped_key: bytes
    key_check: bytes
    price_nonce: bytes
    price_ciphertext: bytes
    commitment: bytes
    manifest_nonce: bytes
    manifest_ciphertext: bytes
    files: list[dict] = field(default_factory=list)


def _bad(reason: str) -> DomainError:
    return DomainError(
        _("The sealed bid is not in the expected form (%(reason)s). Reload the page and try again.")
        % {"reason": reason},
        code="bad_envelope",
    )


def parse_envelope(text: str, *, lot_id: int) -> Envelope:
    """The envelope checked for structure and sizes; DomainError if anything is off."""
    if len(text) > ENVELOPE_MAX_BYTES:
        raise _bad("too large")
    try:
        env = json.loads(text)
        if not isinstance(env, dict) or env.get("format") != sealing.FORMAT:
            raise sealing.BadFormat("format")
        if env.get("lot") != lot_id:
            raise sealing.BadFormat("lot")
        bid_uuid = str(uuid.UUID(str(env.get("uuid"))))
        key = env["key"]
        method = key["method"]
        if method == KeyMethod.PASSPHRASE:
            kdf = sealing.check_kdf(key["kdf"])
        elif method == KeyMethod.KEY_FILE and key.get("kdf") is None:
            kdf = {}
        else:
            raise sealing.BadFormat("key method")
        files = env["files"]
        if not isinstance(files, list) or not 1 <= len(files) <= MAX_FILES:
            raise sealing.BadFormat("files")
        checked = []
        for position, entry in enumerate(files, start=1):
            if entry.get("position") != position:
                raise sealing.BadFormat("file positions")
            digest = str(entry.get("sha256", ""))
            if not re.fullmatch(r"[0-9a-f]{64}", digest):
                raise sealing.BadFormat("file SHA-256")
            checked.append(
                {
                    "position": position,
                    "nonce": sealing.unb64(entry["nonce"], length=sealing.PREFIX_BYTES),
                    "sha256": digest,
                }
            )
        price_ct = sealing.unb64(env["price"]["ct"], max_length=64)
        if not sealing.TAG < len(price_ct) <= 32 + sealing.TAG:
            raise sealing.BadFormat("price")
        return Envelope(
            uuid=bid_uuid,
            key_method=method,
            kdf=kdf,
            key_nonce=sealing.unb64(key["nonce"], length=sealing.NONCE_BYTES),
            wrapped_key=sealing.unb64(key["wrapped"], length=sealing.KEY_BYTES + sealing.TAG),
            key_check=sealing.unb64(key["check"], length=sealing.KEY_BYTES),
            price_nonce=sealing.unb64(env["price"]["nonce"], length=sealing.NONCE_BYTES),
            price_ciphertext=price_ct,
            commitment=sealing.unb64(env["commitment"], length=32),
            manifest_nonce=sealing.unb64(env["manifest"]["nonce"], length=sealing.NONCE_BYTES),
            manifest_ciphertext=sealing.unb64(env["manifest"]["ct"], max_length=128 * 1024),
            files=checked,
        )
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise _bad(str(error) or type(error).__name__) from None


def _check_blobs(envelope: Envelope, blobs: dict[int, StoredBlob]) -> None:
    if sorted(blobs) != [f["position"] for f in envelope.files]:
        raise _bad("the files and the envelope disagree")
    for blob in blobs.values():
        try:
            sealing.check_sealed_length(blob.size)
        except sealing.BadFormat as error:
            raise _bad(str(error)) from None


def _check_time(lot: Lot, *, arrived_at: dt.datetime, now: dt.datetime, bound) -> None:
    """Under the lot's lock: the upload arrived before the deadline, completed within the
    bound, and the opening has not started."""
    if (error := refused_at_arrival(lot, arrived_at)) is not None:
        raise error
    if now - arrived_at > bound:
        raise DeadlinePassed(
            _(
                "Your bid reached the server at %(arrived)s but its upload took longer than the "
                "%(seconds)s seconds allowed; it is not accepted."
            )
            % {"arrived": format_moment(arrived_at), "seconds": int(bound.total_seconds())},
            code="upload_too_slow",
        )


def store_client_sealed_bid(
    *,
    lot: Lot,
    envelope: Envelope,
    blobs: dict[int, StoredBlob],
    arrived_at: dt.datetime,
    evidence: Evidence | None = None,
    acting_user: User,
) -> Bid:
    """Store a bid sealed in the browser; an earlier live bid of the supplier is replaced.

    The received time is the request's arrival (taken before its body was read)."""
    supplier = _supplier_of(acting_user)
    _check_blobs(envelope, blobs)
    evidence = evidence or Evidence()
    bound = upload_bound()
    with transaction.atomic():
        locked = (
            Lot.objects.select_for_update(of=("self",)).select_related("project").get(pk=lot.pk)
        )
        _check_time(locked, arrived_at=arrived_at, now=timezone.now(), bound=bound)
        if Bid.objects.filter(uuid=envelope.uuid).exists():
            raise _bad("the bid's id is taken")
        previous = (
            Bid.objects.select_for_update()
            .filter(lot=locked, supplier=supplier, state=BidState.SUBMITTED)
            .first()
        )
        if previous is not None:
            if previous.received_at is not None and previous.received_at > arrived_at:
                raise InvalidTransition(
                    _("A later submission of yours is already in; this one is not needed."),
                    code="superseded",
                )
            previous.replace()
            previous._history_user = acting_user
            previous._change_reason = gettext_noop("replaced")
            previous.save()
        bid = Bid(
            uuid=envelope.uuid,
            lot=locked,
            supplier=supplier,
            submitted_by=acting_user,
            replaces=previous,
            format_version=crypto.FORMAT_V3,
            key_method=envelope.key_method,
            kdf=envelope.kdf,
            key_check=envelope.key_check,
            key_nonce=envelope.key_nonce,
            wrapped_key=envelope.wrapped_key,
            price_nonce=envelope.price_nonce,
            price_ciphertext=envelope.price_ciphertext,
            manifest_nonce=envelope.manifest_nonce,
            manifest_ciphertext=envelope.manifest_ciphertext,
            price_commitment=envelope.commitment,
            ip_address=evidence.ip_address,
            device_id=evidence.device_id[:64],
            user_agent_hash=evidence.user_agent_hash,
        )
        bid.submit(at=arrived_at)
        bid._history_user = acting_user
        bid.save()
        rows = [
            BidFile(
                bid=bid,
                position=f["position"],
                sha256=f["sha256"],
                cipher_sha256=blobs[f["position"]].sha256,
                nonce=f["nonce"],
                blob=blobs[f["position"]].storage_name,
            )
            for f in envelope.files
        ]
        BidFile.objects.bulk_create(rows)
        record_event(
            action="bidding.bid.replaced" if previous else "bidding.bid.submitted",
            actor=acting_user,
            organisation=supplier,
            subject=bid,
            data={
                "lot": locked.pk,
                "received_at": arrived_at.isoformat(),
                "sealed_in": "browser",
                "replaces": str(previous.uuid) if previous else None,
                "files": [{"sha256": r.sha256, "cipher_sha256": r.cipher_sha256} for r in rows],
                "price_cipher_sha256": crypto.sha256(envelope.price_ciphertext),
                "manifest_cipher_sha256": crypto.sha256(envelope.manifest_ciphertext),
            },
        )
    from ..tasks import render_bid_receipt_task

    render_bid_receipt_task.delay_on_commit(bid.pk)
    return bid


def key_material(bid: Bid) -> dict:
    """What the bidder's browser needs at the opening to unwrap the data key (no secret)."""
    return {
        "format": bid.format_version,
        "uuid": str(bid.uuid),
        "lot": bid.lot_id,
        "key": {
            "method": bid.key_method,
            "kdf": bid.kdf or None,
            "nonce": sealing.b64(bytes(bid.key_nonce)),
            "wrapped": sealing.b64(bytes(bid.wrapped_key)),
            "check": sealing.b64(bytes(bid.key_check)),
        },
    }


def check_price_text(text: str) -> None:
    """A sealed price must read as a price (checked at the opening)."""
    parse_price(text)
