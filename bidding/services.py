"""Every write about bids and openings: `verb_noun(*, ..., acting_user)`.

Submission, replacement and withdrawal check the deadline with the server's clock inside the
transaction that writes, holding the lot's row lock (O87 Art 34/35; DESIGN.md "Time"): the
sweeper that closes the lot takes the same lock, so a bid is either in before the deadline or
refused. Sealing (scrypt, AES-GCM) happens before that transaction, so the lock is held only for
a few inserts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import logging
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed

from accounts.models import Organisation, OrganisationKind
from accounts.selectors import organisation_of
from audit.services import record_event
from common.errors import DeadlinePassed, DomainError, InvalidTransition, PermissionDenied
from documents.sniffing import sniff
from documents.uses import MB
from notifications.services import notify_organisation
from procurement.models import Lot, LotState
from suppliers.sme import check_items, is_sme, items_from_data
from timers.services import cancel_clock, start_clock

from . import crypto
from .evidence import document_metadata
from .models import (
    LIVE,
    Bid,
    BiddingParameters,
    BidFile,
    BidState,
    KeyMethod,
    Opening,
    OpeningResponse,
)

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from accounts.models import User

logger = logging.getLogger(__name__)

DECRYPTION_CLOCK = "bidding.decryption_window"
OPENING_RECORD_USE = "bidding.opening_record"
RECEIPT_USE = "bidding.receipt"
BID_FILE_KINDS = {"pdf", "docx", "xlsx", "zip"}
BID_FILE_MAX_BYTES = 50 * MB
MAX_FILES = 10
MIN_PASSPHRASE = 8
ATTEMPT_PERIOD = dt.timedelta(minutes=5)


def format_moment(moment: dt.datetime) -> str:
    return date_format(timezone.localtime(moment), "Y-m-d H:i:s")


@dataclass
class Evidence:
    """What the request tells about where a bid came from (RULES.md §15.3, C-6)."""

    ip_address: str | None = None
    device_id: str = ""
    user_agent: str = ""

    @property
    def user_agent_hash(self) -> str:
        return hashlib.sha256(self.user_agent.encode()).hexdigest() if self.user_agent else ""


@dataclass
class SealedFile:
    position: int
    name: str
    kind: str
    size: int
    sha256: str
    cipher_sha256: str
    nonce: bytes
    storage_name: str


@dataclass
class Sealed:
    uuid: str
    key_method: str
    kdf: crypto.KdfParams | None
    key_nonce: bytes
    wrapped_key: bytes
    price_nonce: bytes
    price_ciphertext: bytes
    manifest_nonce: bytes = b""
    manifest_ciphertext: bytes = b""
    files: list[SealedFile] = field(default_factory=list)


@dataclass
class OpenedFile:
    bid_file: BidFile
    name: str
    kind: str
    size: int
    content: bytes


@dataclass
class Opened:
    """A bid's plaintext, in memory only, between its decryption and the write."""

    price: Decimal
    sme_items: list[dict]
    files: list[OpenedFile]


# --------------------------------------------------------------------------------------------
# Submission


def _supplier_of(user: User) -> Organisation:
    organisation = organisation_of(user)
    if organisation is None or organisation.kind != OrganisationKind.SUPPLIER:
        raise PermissionDenied(_("Only a supplier may bid."), code="not_supplier")
    return organisation


def _check_deadline(lot: Lot, now: dt.datetime) -> None:
    """Refuse when the server clock is at or past the deadline, or bidding is not open."""
    if lot.bid_deadline is None:
        raise InvalidTransition(_("This lot does not take bids."), code="not_open")
    if now >= lot.bid_deadline:
        raise DeadlinePassed(
            _(
                "Bidding on this lot closed at %(deadline)s (server time). No bid, replacement "
                "or withdrawal is accepted at or after the deadline."
            )
            % {"deadline": format_moment(lot.bid_deadline)},
            code="deadline_passed",
        )
    if lot.state != LotState.ANNOUNCED:
        raise InvalidTransition(
            _("This lot does not take bids now (%(state)s).") % {"state": lot.get_state_display()},
            code="not_open",
        )


def parse_price(text: str) -> Decimal:
    try:
        price = Decimal(str(text).replace(",", "").strip())
    except InvalidOperation:
        raise DomainError(_("Enter the price as a number of yuan."), code="price") from None
    if not price.is_finite() or price <= 0 or price != price.quantize(Decimal("0.01")):
        raise DomainError(
            _("Enter a positive price in yuan with at most two decimals."), code="price"
        )
    if price >= Decimal("1e14"):
        raise DomainError(_("The price is too large."), code="price")
    return price


def _key_encryption_key(
    *, passphrase: str | None, key_file: bytes | None, kdf: crypto.KdfParams | None
) -> bytes:
    if key_file is not None:
        try:
            return crypto.read_key_file(key_file)
        except crypto.BadKeyFile:
            raise DomainError(
                _("This is not a bid key file of this platform (a .ygkey file)."),
                code="bad_key_file",
            ) from None
    if not passphrase:
        raise DomainError(_("Enter the passphrase or choose the key file."), code="no_key")
    assert kdf is not None
    return crypto.derive_key(passphrase, kdf)


def _read_files(files: list[UploadedFile]) -> list[tuple[str, str, bytes]]:
    """(name, kind, bytes) of each upload, after the checks documents applies to uploads."""
    if not files:
        raise DomainError(_("Attach at least one bid file."), code="no_files")
    if len(files) > MAX_FILES:
        raise DomainError(
            _("Attach at most %(n)s files.") % {"n": MAX_FILES}, code="too_many_files"
        )
    result = []
    for upload in files:
        name = (upload.name or "file").rsplit("/", 1)[-1][:255]
        if upload.size and upload.size > BID_FILE_MAX_BYTES:
            raise DomainError(
                _("The file “%(name)s” is larger than %(mb)s MB.") % {"name": name, "mb": 50},
                code="too_large",
            )
        content = b"".join(upload.chunks())
        if not content:
            raise DomainError(_("The file “%(name)s” is empty.") % {"name": name}, code="empty")
        sniffed = sniff(io.BytesIO(content))
        if sniffed.kind not in BID_FILE_KINDS or not sniffed.ok:
            raise DomainError(
                _(
                    "The file “%(name)s” is not a whole PDF, Word, Excel or ZIP file; bid files "
                    "must be one of these (the type is read from the content)."
                )
                % {"name": name},
                code="wrong_type",
            )
        result.append((name, sniffed.kind, content))
    return result


def manifest_bytes(*, files: list[tuple[str, str, bytes]], sme_items: list[dict]) -> bytes:
    """The format-2 manifest: what the bidder wrote beside the price and the files' bytes."""
    return json.dumps(
        {
            "files": [
                {"position": position, "name": name, "kind": kind, "size": len(content)}
                for position, (name, kind, content) in enumerate(files, start=1)
            ],
            "sme_items": sme_items,
        },
        ensure_ascii=False,
        sort_keys=True,
    ).encode("utf-8")


def seal_bid(
    *,
    lot_id: int,
    price: Decimal,
    files: list[tuple[str, str, bytes]],
    passphrase: str | None,
    key_file: bytes | None,
    sme_items: list[dict] | None = None,
) -> Sealed:
    """Encrypt the price, files and manifest and write the sealed files to storage.

    1. A fresh data key and bid uuid; the key-encryption key from the passphrase or key file.
    2. Price, manifest (names, kinds, sizes, SME declaration) and each file encrypted under
       the data key, each bound to (uuid, lot, field).
    3. The data key wrapped; the sealed files saved under server-made names. Nothing is
       written to the database here.
    """
    import uuid

    bid_uuid = str(uuid.uuid4())
    if key_file is None and (not passphrase or len(passphrase) < MIN_PASSPHRASE):
        raise DomainError(
            _("The passphrase must have at least %(n)s characters.") % {"n": MIN_PASSPHRASE},
            code="short_passphrase",
        )
    kdf = crypto.new_kdf_params() if key_file is None else None
    kek = _key_encryption_key(passphrase=passphrase, key_file=key_file, kdf=kdf)
    data_key = crypto.new_data_key()
    key_nonce, wrapped = crypto.encrypt(kek, data_key, crypto.aad(bid_uuid, lot_id, "data_key"))
    price_nonce, price_ct = crypto.encrypt(
        data_key, f"{price:.2f}".encode(), crypto.aad(bid_uuid, lot_id, "price")
    )
    manifest_nonce, manifest_ct = crypto.encrypt(
        data_key,
        manifest_bytes(files=files, sme_items=sme_items or []),
        crypto.aad(bid_uuid, lot_id, "manifest"),
    )
    sealed = Sealed(
        uuid=bid_uuid,
        key_method=KeyMethod.KEY_FILE if key_file is not None else KeyMethod.PASSPHRASE,
        kdf=kdf,
        key_nonce=key_nonce,
        wrapped_key=wrapped,
        price_nonce=price_nonce,
        price_ciphertext=price_ct,
        manifest_nonce=manifest_nonce,
        manifest_ciphertext=manifest_ct,
    )
    try:
        for position, (name, kind, content) in enumerate(files, start=1):
            nonce, ct = crypto.encrypt(
                data_key, content, crypto.aad(bid_uuid, lot_id, f"file:{position}")
            )
            storage_name = default_storage.save(
                f"bids/{lot_id}/{uuid.uuid4().hex}.bin", ContentFile(ct)
            )
            sealed.files.append(
                SealedFile(
                    position=position,
                    name=name,
                    kind=kind,
                    size=len(content),
                    sha256=crypto.sha256(content),
                    cipher_sha256=crypto.sha256(ct),
                    nonce=nonce,
                    storage_name=storage_name,
                )
            )
    except BaseException:
        _discard(sealed)
        raise
    return sealed


def _discard(sealed: Sealed) -> None:
    for f in sealed.files:
        default_storage.delete(f.storage_name)


def submit_bid(
    *,
    lot: Lot,
    price: Decimal,
    files: list[UploadedFile],
    sme_items: list[dict],
    passphrase: str | None = None,
    key_file: bytes | None = None,
    evidence: Evidence | None = None,
    acting_user: User,
) -> Bid:
    """Seal and store a bid; a supplier's earlier live bid on the lot is marked replaced.

    Refused at and after the deadline by the server clock read under the lot's row lock.
    """
    supplier = _supplier_of(acting_user)
    price = parse_price(str(price))
    sme_items = check_items(sme_items)
    # Refuse early (no sealing work) when the deadline has plainly passed; the binding check
    # is the one under the lock below.
    _check_deadline(lot, timezone.now())
    sealed = seal_bid(
        lot_id=lot.pk,
        price=price,
        files=_read_files(files),
        passphrase=passphrase,
        key_file=key_file,
        sme_items=sme_items,
    )
    evidence = evidence or Evidence()
    try:
        with transaction.atomic():
            locked = (
                Lot.objects.select_for_update(of=("self",)).select_related("project").get(pk=lot.pk)
            )
            now = timezone.now()
            _check_deadline(locked, now)
            previous = (
                Bid.objects.select_for_update()
                .filter(lot=locked, supplier=supplier, state=BidState.SUBMITTED)
                .first()
            )
            if previous is not None:
                previous.replace()
                previous._history_user = acting_user
                previous._change_reason = "replaced"
                previous.save()
            bid = Bid(
                uuid=sealed.uuid,
                lot=locked,
                supplier=supplier,
                submitted_by=acting_user,
                replaces=previous,
                key_method=sealed.key_method,
                kdf_salt=sealed.kdf.salt if sealed.kdf else b"",
                kdf_n=sealed.kdf.n if sealed.kdf else None,
                kdf_r=sealed.kdf.r if sealed.kdf else None,
                kdf_p=sealed.kdf.p if sealed.kdf else None,
                key_nonce=sealed.key_nonce,
                wrapped_key=sealed.wrapped_key,
                price_nonce=sealed.price_nonce,
                price_ciphertext=sealed.price_ciphertext,
                format_version=crypto.FORMAT,
                manifest_nonce=sealed.manifest_nonce,
                manifest_ciphertext=sealed.manifest_ciphertext,
                ip_address=evidence.ip_address,
                device_id=evidence.device_id[:64],
                user_agent_hash=evidence.user_agent_hash,
            )
            bid.submit(at=now)
            bid._history_user = acting_user
            bid.save()
            BidFile.objects.bulk_create(
                [
                    # Name, kind and size stay in the sealed manifest until the opening.
                    BidFile(
                        bid=bid,
                        position=f.position,
                        sha256=f.sha256,
                        cipher_sha256=f.cipher_sha256,
                        nonce=f.nonce,
                        blob=f.storage_name,
                    )
                    for f in sealed.files
                ]
            )
            record_event(
                action="bidding.bid.replaced" if previous else "bidding.bid.submitted",
                actor=acting_user,
                organisation=supplier,
                subject=bid,
                data={
                    "lot": locked.pk,
                    "received_at": now.isoformat(),
                    "replaces": str(previous.uuid) if previous else None,
                    "files": [
                        {"sha256": f.sha256, "cipher_sha256": f.cipher_sha256} for f in sealed.files
                    ],
                },
            )
    except BaseException:
        _discard(sealed)
        raise
    from .tasks import render_bid_receipt_task

    # After the commit, off the deadline rush: the bidder's receipt view renders it itself if
    # it is asked for first.
    render_bid_receipt_task.delay_on_commit(bid.pk)
    return bid


def render_bid_receipt(*, bid_id: int) -> Bid | None:
    """Render the bid's receipt (投标回执) once and store it; a second call does nothing.

    The receipt holds what the bidder may show anyone: the lot, the bidder, the server time of
    receipt and each file's position and SHA-256 (plain and sealed). Never the price or a file
    name, which stay sealed until the opening; so the stored PDF is safe in the file store.
    """
    from documents.pdf import render_pdf
    from documents.services import store_bytes

    bid = (
        Bid.objects.select_related("lot", "lot__project", "supplier", "replaces")
        .filter(pk=bid_id)
        .first()
    )
    if bid is None or bid.receipt_pdf_id or bid.received_at is None:
        return bid
    with translation.override(settings.LANGUAGE_CODE):
        content = render_pdf(
            template_name="bidding/pdf/receipt.html",
            context={"bid": bid, "lot": bid.lot, "files": list(bid.files.order_by("position"))},
        )
    stored = store_bytes(
        content=content, name=f"bid-receipt-{str(bid.uuid)[:8]}.pdf", use=RECEIPT_USE
    )
    with transaction.atomic():
        locked = Bid.objects.select_for_update().get(pk=bid_id)
        if locked.receipt_pdf_id:  # another worker was first: keep one receipt
            stored.file.delete(save=False)
            stored.delete()
            return locked
        locked.receipt_pdf = stored
        locked._change_reason = "receipt stored"
        locked.save(update_fields=["receipt_pdf", "modified"])
        record_event(
            action="bidding.receipt.stored",
            actor=None,
            organisation=locked.supplier,
            subject=locked,
            data={"file": str(stored.uuid), "sha256": stored.sha256},
        )
    return locked


def withdraw_bid(*, bid: Bid, acting_user: User) -> Bid:
    """Withdraw a submitted bid before the deadline (O87 Art 34)."""
    supplier = _supplier_of(acting_user)
    with transaction.atomic():
        lot = Lot.objects.select_for_update(of=("self",)).get(pk=bid.lot_id)
        bid = Bid.objects.select_for_update().get(pk=bid.pk)
        if bid.supplier_id != supplier.pk:
            raise PermissionDenied(_("This is not your bid."), code="not_own")
        _check_deadline(lot, timezone.now())
        if not can_proceed(bid.withdraw):
            raise InvalidTransition(_("Only a submitted bid can be withdrawn."), code="state")
        now = timezone.now()
        bid.withdraw(at=now)
        bid._history_user = acting_user
        bid.save()
        record_event(
            action="bidding.bid.withdrawn",
            actor=acting_user,
            organisation=supplier,
            subject=bid,
            data={"lot": lot.pk, "withdrawn_at": now.isoformat()},
        )
    return bid


# --------------------------------------------------------------------------------------------
# The opening


def _staff_organisations(lot: Lot) -> list[Organisation]:
    project = lot.project
    return [o for o in (project.purchaser, project.agency) if o is not None]


def _live_bids(lot: Lot):
    return Bid.objects.filter(lot=lot, state__in=LIVE).select_related("supplier")


def start_opening(*, lot: Lot, at: dt.datetime) -> Opening | None:
    """Start the opening of a lot just closed (call under its row lock, in its transaction).

    Fewer bids than the method requires (O87 Art 42: three for a public tender) fail the lot
    and tell the purchaser and the bidders why; otherwise the decryption window opens.
    """
    if Opening.objects.filter(lot=lot).exists():
        return None
    bids = list(_live_bids(lot))
    params = BiddingParameters.current()
    required = params.min_bids(lot.project.method)
    bidders = [b.supplier for b in bids]
    if len(bids) < required:
        reason = _(
            "Only %(n)s bid(s) arrived by the deadline; this procurement method requires at "
            "least %(min)s, so the lot cannot be opened (O87 Art 42) and fails."
        ) % {"n": len(bids), "min": required}
        lot.fail()
        lot._change_reason = "too few bids"
        lot.save()
        opening = Opening.objects.create(
            lot=lot, started_at=at, window_ends_at=at, finished_at=at, failed_reason=reason
        )
        record_event(
            action="bidding.opening.failed",
            actor=None,
            organisation=lot.project.agency or lot.project.purchaser,
            subject=lot,
            data={"bids": len(bids), "required": required},
        )
        for organisation in [*_staff_organisations(lot), *bidders]:
            notify_organisation(
                organisation=organisation,
                kind="bidding.lot_failed",
                context={"lot": str(lot), "reason": reason},
                subject=opening,
            )
        return opening
    window = dt.timedelta(minutes=lot.decryption_window_minutes or 30)
    lot.start_opening()
    lot._change_reason = "opening"
    lot.save()
    opening = Opening.objects.create(lot=lot, started_at=at, window_ends_at=at + window)
    start_clock(
        subject=opening,
        kind=DECRYPTION_CLOCK,
        due=opening.window_ends_at,
        responsible=None,
        started=at,
    )
    record_event(
        action="bidding.opening.started",
        actor=None,
        organisation=lot.project.agency or lot.project.purchaser,
        subject=lot,
        data={"bids": len(bids), "window_ends_at": opening.window_ends_at.isoformat()},
    )
    for organisation in [*bidders, *_staff_organisations(lot)]:
        notify_organisation(
            organisation=organisation,
            kind="bidding.opening_started",
            context={"lot": str(lot), "window_ends_at": format_moment(opening.window_ends_at)},
            subject=opening,
        )
    return opening


def start_opening_on_close(sender, *, lot: Lot, at: dt.datetime, **kwargs) -> None:
    """Receiver of procurement.signals.lot_closed."""
    start_opening(lot=lot, at=at)


def _unwrap(bid: Bid, *, passphrase: str | None, key_file: bytes | None) -> bytes:
    kdf = (
        crypto.KdfParams(salt=bytes(bid.kdf_salt), n=bid.kdf_n, r=bid.kdf_r, p=bid.kdf_p)
        if bid.key_method == KeyMethod.PASSPHRASE
        else None
    )
    if bid.key_method == KeyMethod.KEY_FILE and key_file is None:
        raise DomainError(_("This bid was sealed with a key file: choose it."), code="no_key")
    if bid.key_method == KeyMethod.PASSPHRASE and not passphrase:
        raise DomainError(_("This bid was sealed with a passphrase: enter it."), code="no_key")
    kek = _key_encryption_key(
        passphrase=passphrase if kdf else None,
        key_file=key_file if kdf is None else None,
        kdf=kdf,
    )
    return crypto.decrypt(
        kek,
        bytes(bid.key_nonce),
        bytes(bid.wrapped_key),
        crypto.aad(str(bid.uuid), bid.lot_id, "data_key"),
    )


def _decrypt_field(bid: Bid, data_key: bytes, nonce, ciphertext, field_name: str) -> bytes:
    return crypto.decrypt(
        data_key, bytes(nonce), bytes(ciphertext), crypto.aad(str(bid.uuid), bid.lot_id, field_name)
    )


def open_sealed(bid: Bid, data_key: bytes) -> Opened:
    """Decrypt the price, the files and (format 2) the manifest of `bid` in memory.

    Format 1 bids carry the names, kinds, sizes and SME declaration in clear on their rows.
    Raises crypto.WrongKey when a ciphertext fails authentication (it was altered or lost
    after sealing: the data key itself was unwrapped by the bidder's key).
    """
    price = Decimal(
        _decrypt_field(bid, data_key, bid.price_nonce, bid.price_ciphertext, "price").decode()
    )
    bid_files = list(bid.files.order_by("position"))
    if bid.format_version >= crypto.FORMAT_V2:
        manifest = json.loads(
            _decrypt_field(bid, data_key, bid.manifest_nonce, bid.manifest_ciphertext, "manifest")
        )
        described = {entry["position"]: entry for entry in manifest["files"]}
        sme_items = manifest["sme_items"]
    else:
        described = {
            f.position: {"name": f.original_name, "kind": f.kind, "size": f.size} for f in bid_files
        }
        sme_items = bid.sme_items
    if sorted(described) != [f.position for f in bid_files]:
        raise crypto.WrongKey  # the rows and the sealed manifest disagree: altered after sealing
    files = []
    for bid_file in bid_files:
        with bid_file.blob.open("rb") as handle:
            ct = handle.read()
        content = _decrypt_field(bid, data_key, bid_file.nonce, ct, bid_file.field_name())
        entry = described[bid_file.position]
        files.append(
            OpenedFile(
                bid_file=bid_file,
                name=entry["name"],
                kind=entry["kind"],
                size=len(content),
                content=content,
            )
        )
    return Opened(price=price, sme_items=sme_items, files=files)


SEAL_BROKEN = gettext_lazy(
    "Your key is right, but the sealed data of this bid fails its integrity check on the "
    "platform. This is not your doing; tell the purchaser or agency at once."
)
WRONG_KEY = gettext_lazy(
    "The passphrase or key file does not open this bid. Check it (capitals, spaces, the right "
    "file) and try again; you may retry until the decryption window ends."
)


def decrypt_bid(
    *, bid: Bid, passphrase: str | None = None, key_file: bytes | None = None, acting_user: User
) -> Bid:
    """The bidder opens its own bid during the decryption window (EBID Art 30)."""
    supplier = _supplier_of(acting_user)
    if bid.supplier_id != supplier.pk:
        raise PermissionDenied(_("This is not your bid."), code="not_own")
    bid = Bid.objects.select_related("lot").get(pk=bid.pk)  # the state as stored now
    opening = Opening.objects.filter(lot_id=bid.lot_id).first()
    now = timezone.now()
    if opening is None or opening.is_finished or bid.lot.state != LotState.OPENING:
        raise InvalidTransition(_("The decryption window is not open."), code="not_open")
    if now >= opening.window_ends_at:
        raise DeadlinePassed(_("The decryption window has ended."), code="window_ended")
    if bid.state != BidState.SUBMITTED:
        raise InvalidTransition(_("This bid is already decrypted."), code="state")
    params = BiddingParameters.current()
    if (
        bid.failed_attempts >= params.max_failed_attempts
        and bid.last_failed_at is not None
        and now - bid.last_failed_at < ATTEMPT_PERIOD
    ):
        raise DomainError(
            _(
                "Too many wrong attempts; wait five minutes and try again (the window ends at "
                "%(end)s)."
            )
            % {"end": format_moment(opening.window_ends_at)},
            code="rate_limited",
        )
    try:
        data_key = _unwrap(bid, passphrase=passphrase, key_file=key_file)
    except crypto.WrongKey:
        with transaction.atomic():
            locked = Bid.objects.select_for_update().get(pk=bid.pk)
            if locked.last_failed_at is None or now - locked.last_failed_at >= ATTEMPT_PERIOD:
                locked.failed_attempts = 0
            locked.failed_attempts += 1
            locked.last_failed_at = now
            locked._history_user = acting_user
            locked.save(update_fields=["failed_attempts", "last_failed_at", "modified"])
        raise DomainError(str(WRONG_KEY), code="wrong_key") from None
    try:
        opened = open_sealed(bid, data_key)
    except (crypto.WrongKey, OSError, ValueError, KeyError):
        # The bidder's key unwrapped the data key, so the sealed data was altered or lost
        # after sealing: not the bidder's doing (EBID Art 31).
        logger.error("bid %s: sealed data fails its integrity check", bid.uuid)
        raise DomainError(str(SEAL_BROKEN), code="seal_broken") from None
    finished = False
    with transaction.atomic():
        lot = Lot.objects.select_for_update(of=("self",)).get(pk=bid.lot_id)
        bid = Bid.objects.select_for_update().get(pk=bid.pk)
        now = timezone.now()
        if lot.state != LotState.OPENING or now >= opening.window_ends_at:
            raise DeadlinePassed(_("The decryption window has ended."), code="window_ended")
        if not can_proceed(bid.mark_decrypted):
            raise InvalidTransition(_("This bid is already decrypted."), code="state")
        for f in opened.files:
            bid_file = f.bid_file
            bid_file.original_name = f.name
            bid_file.kind = f.kind
            bid_file.size = f.size
            bid_file.plain.save(f"file-{bid_file.position}", ContentFile(f.content), save=False)
            bid_file.metadata = document_metadata(f.kind, f.content)
            bid_file.save(update_fields=["original_name", "kind", "size", "plain", "metadata"])
        bid.sme_items = opened.sme_items
        bid.mark_decrypted(at=now, price=opened.price)
        bid._history_user = acting_user
        bid.save()
        record_event(
            action="bidding.bid.decrypted",
            actor=acting_user,
            organisation=supplier,
            subject=bid,
            data={"lot": lot.pk, "decrypted_at": now.isoformat()},
        )
        if not _live_bids(lot).filter(state=BidState.SUBMITTED).exists():
            finished = _finish(lot=lot, now=now)
    if finished:
        logger.info("opening of lot %s finished: every bid decrypted", lot.pk)
    return bid


def _record_data(lot: Lot, opening: Opening) -> dict:
    rows = []
    for bid in _live_bids(lot).order_by("received_at", "id"):
        items = items_from_data(bid.sme_items) if bid.sme_items else []
        rows.append(
            {
                "supplier": bid.supplier.name,
                "supplier_id": bid.supplier_id,
                "bid": str(bid.uuid),
                "state": bid.state,
                "price": f"{bid.price:.2f}" if bid.price is not None else None,
                "received_at": bid.received_at.isoformat(),
                "decrypted_at": bid.decrypted_at.isoformat() if bid.decrypted_at else None,
                "sme": is_sme(items),
                "sme_items": bid.sme_items,
            }
        )
    return {
        "lot": str(lot),
        "project": lot.project.name,
        "purchaser": lot.project.purchaser.name,
        "opened_at": opening.started_at.isoformat(),
        "bids": rows,
    }


def _finish(*, lot: Lot, now: dt.datetime) -> bool:
    """Close the decryption window (lot locked by the caller): the record is made."""
    opening = Opening.objects.select_for_update().filter(lot=lot).first()
    if opening is None or opening.is_finished or not can_proceed(lot.finish_opening):
        return False
    for bid in Bid.objects.select_for_update().filter(lot=lot, state=BidState.SUBMITTED):
        # Not decrypted in time by the bidder: deemed revoked (EBID Art 31).
        bid.mark_undecrypted()
        bid._change_reason = "decryption window ended"
        bid.save()
    lot.finish_opening()
    lot._change_reason = "opening finished"
    lot.save()
    params = BiddingParameters.current()
    opening.finished_at = now
    opening.confirmation_ends_at = now + dt.timedelta(minutes=params.confirmation_window_minutes)
    opening.record = _record_data(lot, opening)
    opening.save()
    cancel_clock(subject=opening, kind=DECRYPTION_CLOCK)
    record_event(
        action="bidding.opening.finished",
        actor=None,
        organisation=lot.project.agency or lot.project.purchaser,
        subject=lot,
        data=opening.record,
    )
    bidders = {b.supplier for b in _live_bids(lot)}
    for organisation in [*bidders, *_staff_organisations(lot)]:
        notify_organisation(
            organisation=organisation,
            kind="bidding.opening_record",
            context={
                "lot": str(lot),
                "confirmation_ends_at": format_moment(opening.confirmation_ends_at),
            },
            subject=opening,
        )
    from .tasks import render_opening_record_pdf_task

    render_opening_record_pdf_task.delay_on_commit(opening.pk)
    return True


def finish_opening(*, lot_id: int, at: dt.datetime | None = None) -> bool:
    """End the decryption window of a lot whose window has ended; idempotent."""
    now = at or timezone.now()
    with transaction.atomic():
        lot = (
            Lot.objects.select_for_update(of=("self",))
            .select_related("project", "project__purchaser", "project__agency")
            .filter(pk=lot_id)
            .first()
        )
        if lot is None or lot.state != LotState.OPENING:
            return False
        opening = Opening.objects.filter(lot=lot).first()
        if opening is None or now < opening.window_ends_at:
            return False
        return _finish(lot=lot, now=now)


def finish_opening_at_window_end(clock) -> None:
    """Due action of the "bidding.decryption_window" clock (subject: the Opening)."""
    opening = Opening.objects.filter(pk=clock.subject_id).first()
    if opening is not None:
        finish_opening(lot_id=opening.lot_id, at=max(timezone.now(), opening.window_ends_at))


def render_opening_record_pdf(*, opening_id: int) -> None:
    """Render the opening record (开标记录) PDF once; idempotent."""
    from documents.pdf import render_pdf
    from documents.services import store_bytes

    from .selectors import opening_record_context

    opening = Opening.objects.select_related("lot", "lot__project").get(pk=opening_id)
    if opening.record_pdf_id or not opening.is_finished:
        return
    content = render_pdf(
        template_name="bidding/pdf/opening_record.html",
        context=opening_record_context(opening),
    )
    stored = store_bytes(
        content=content, name=f"opening-record-{opening.lot_id}.pdf", use=OPENING_RECORD_USE
    )
    with transaction.atomic():
        locked = Opening.objects.select_for_update().get(pk=opening_id)
        if locked.record_pdf_id:
            return
        locked.record_pdf = stored
        locked.save()


def respond_to_record(*, opening: Opening, kind: str, text: str = "", acting_user: User):
    """A bidder confirms the opening record or objects to it within the confirmation window."""
    from .models import ResponseKind

    supplier = _supplier_of(acting_user)
    now = timezone.now()
    if not opening.is_finished or opening.confirmation_ends_at is None:
        raise InvalidTransition(_("The opening record is not published yet."), code="state")
    if now >= opening.confirmation_ends_at:
        raise DeadlinePassed(
            _(
                "The confirmation window ended at %(end)s; a bidder that did not respond is "
                "deemed to accept the record (O87 Art 41)."
            )
            % {"end": format_moment(opening.confirmation_ends_at)},
            code="window_ended",
        )
    if not _live_bids(opening.lot).filter(supplier=supplier).exists():
        raise PermissionDenied(_("Only the bidders respond to the record."), code="not_bidder")
    if kind not in ResponseKind.values:
        raise DomainError(_("Choose to confirm or to object."), code="kind")
    if kind == ResponseKind.OBJECT and not text.strip():
        raise DomainError(_("Say what you object to."), code="text")
    with transaction.atomic():
        if OpeningResponse.objects.filter(opening=opening, supplier=supplier).exists():
            raise InvalidTransition(_("You have already responded."), code="state")
        response = OpeningResponse.objects.create(
            opening=opening,
            supplier=supplier,
            kind=kind,
            text=text.strip(),
            by=acting_user,
            at=now,
        )
        record_event(
            action=f"bidding.opening.{'objection' if kind == ResponseKind.OBJECT else 'confirmed'}",
            actor=acting_user,
            organisation=supplier,
            subject=opening.lot,
            data={"text": response.text},
        )
        if kind == ResponseKind.OBJECT:
            for organisation in _staff_organisations(opening.lot):
                notify_organisation(
                    organisation=organisation,
                    kind="bidding.opening_objection",
                    context={
                        "lot": str(opening.lot),
                        "supplier": supplier.name,
                        "text": response.text,
                    },
                    subject=opening,
                )
    return response
