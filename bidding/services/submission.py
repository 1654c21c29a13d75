"""Submission, replacement and withdrawal of sealed bids, and their receipts.

Submission, replacement and withdrawal check the deadline with the server's clock inside the
transaction that writes, holding the lot's row lock (O87 Arts 33–34; DESIGN.md "Time"): the
sweeper that closes the lot takes the same lock, so a bid is either in before the deadline or
refused. Sealing (scrypt, AES-GCM) happens before that transaction, so the lock is held only for
a few inserts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_fsm import can_proceed

from audit.services import record_event
from common.errors import DeadlinePassed, DomainError, InvalidTransition, PermissionDenied
from procurement.models import Lot, LotState
from procurement.status import lot_status
from suppliers.sme import check_items

from .. import crypto
from ..declaration import PolicyDeclaration, check_declaration
from ..models import (
    Bid,
    BidFile,
    BidState,
    KeyMethod,
)
from ._base import (
    MIN_PASSPHRASE,
    RECEIPT_USE,
    _key_encryption_key,
    _read_files,
    _supplier_of,
    format_moment,
    parse_price,
)

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from accounts.models import User

logger = logging.getLogger(__name__)


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
    price_commitment: bytes = b""
    files: list[SealedFile] = field(default_factory=list)


def lot_state_label(lot: Lot, now: dt.datetime) -> str:
    """The lot's state as every page names it (procurement.status)."""
    return lot_status(lot, now=now).label


def bidding_closed(lot: Lot, now: dt.datetime) -> DomainError | None:
    """Why the lot takes no bid, replacement or withdrawal at `now` (None while it does).

    The bid, replace and withdraw pages show it instead of their form; the services raise it.
    """
    if lot.bid_deadline is None:
        return InvalidTransition(_("This lot does not take bids."), code="not_open")
    if now >= lot.bid_deadline:
        return DeadlinePassed(
            _(
                "Bidding on this lot closed at %(deadline)s (server time). No bid, replacement "
                "or withdrawal is accepted at or after the deadline."
            )
            % {"deadline": format_moment(lot.bid_deadline)},
            code="deadline_passed",
        )
    if lot.state != LotState.ANNOUNCED:
        return InvalidTransition(
            _("This lot does not take bids now (%(state)s).")
            % {"state": lot_state_label(lot, now)},
            code="not_open",
        )
    return None


def _check_deadline(lot: Lot, now: dt.datetime) -> None:
    """Refuse when the server clock is at or past the deadline, or bidding is not open."""
    if (error := bidding_closed(lot, now)) is not None:
        raise error


def manifest_bytes(
    *,
    files: list[tuple[str, str, bytes]],
    sme_items: list[dict],
    policy: PolicyDeclaration | None = None,
) -> bytes:
    """The format-2 manifest: what the bidder wrote beside the price and the files' bytes.

    The policy declaration (bidding.declaration) rides here rather than in a field of its own:
    it is sealed under the same data key and authenticated with the manifest, so it is opened
    exactly when the price is. A manifest without "policy" (sealed before it existed) declares
    nothing, so no format change was needed.
    """
    return json.dumps(
        {
            "files": [
                {"position": position, "name": name, "kind": kind, "size": len(content)}
                for position, (name, kind, content) in enumerate(files, start=1)
            ],
            "sme_items": sme_items,
            "policy": (policy or PolicyDeclaration()).as_dict(),
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
    policy: PolicyDeclaration | None = None,
) -> Sealed:
    """Encrypt the price, files and manifest and write the sealed files to storage.

    1. A fresh data key and bid uuid; the key-encryption key from the passphrase or key file.
    2. Price, manifest (names, kinds, sizes, SME and policy declarations) and each file under
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
        manifest_bytes(files=files, sme_items=sme_items or [], policy=policy),
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
        price_commitment=crypto.commit(
            crypto.commitment_key(data_key, bid_uuid, lot_id), f"{price:.2f}".encode()
        ),
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
    policy: PolicyDeclaration | None = None,
    passphrase: str | None = None,
    key_file: bytes | None = None,
    evidence: Evidence | None = None,
    acting_user: User,
) -> Bid:
    """Seal and store a bid; a supplier's earlier live bid on the lot is marked replaced.

    `policy` is the consortium/subcontract and domestic-product declaration (none by default).
    Refused at and after the deadline by the server clock read under the lot's row lock.
    """
    supplier = _supplier_of(acting_user)
    price = parse_price(str(price))
    sme_items = check_items(sme_items)
    policy = policy or PolicyDeclaration()
    policy = check_declaration(
        arrangement=policy.arrangement,
        small_micro_share=policy.small_micro_share,
        domestic_share=policy.domestic_share,
        sme_items=sme_items,
    )
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
        policy=policy,
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
                previous._change_reason = gettext_noop("replaced")
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
                price_commitment=sealed.price_commitment,
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
                    # Hashes of ciphertext, which tell nothing: evidence should the platform
                    # later damage the sealed data (RULES.md C-5).
                    "price_cipher_sha256": crypto.sha256(sealed.price_ciphertext),
                    "manifest_cipher_sha256": crypto.sha256(sealed.manifest_ciphertext),
                },
            )
    except BaseException:
        _discard(sealed)
        raise
    from ..tasks import render_bid_receipt_task

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
        locked._change_reason = gettext_noop("receipt stored")
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
