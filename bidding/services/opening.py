"""The online opening (不见面开标): started when the lot closes, bidders decrypt within the
window (EBID Arts 30–31), the record is made when all have decrypted or the window ends."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_fsm import can_proceed

from audit.models import Event
from audit.services import record_event
from common.errors import DeadlinePassed, DomainError, InvalidTransition, PermissionDenied
from documents.sniffing import sniff
from experts.services import recheck_after_opening
from notifications.services import close_notifications, notify_organisation
from procurement.legal import failure_basis
from procurement.models import Lot, LotState
from procurement.services.announcements import publish_failure_notice
from suppliers.sme import is_sme, items_from_data
from timers.services import cancel_clock, start_clock

from .. import crypto
from ..declaration import PolicyDeclaration
from ..evidence import document_metadata
from ..models import (
    LIVE,
    Bid,
    BiddingParameters,
    BidFile,
    BidState,
    KeyMethod,
    Opening,
    OpeningResponse,
)
from ._base import (
    ATTEMPT_PERIOD,
    DECRYPTION_CLOCK,
    OPENING_RECORD_USE,
    SEAL_BROKEN,
    WRONG_KEY,
    _key_encryption_key,
    _live_bids,
    _staff_organisations,
    _supplier_of,
    format_moment,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from accounts.models import Organisation, User

logger = logging.getLogger(__name__)

# Notification kinds that ask a step of their recipient, closed when it is done.
OPENING_STARTED = "bidding.opening_started"  # bidders: decrypt
OPENING_RECORD = "bidding.opening_record"  # bidders: confirm the record or object
INTEGRITY_FAILED = "bidding.integrity_failed"  # purchaser or agency: rule on the failure


@dataclass
class OpenedFile:
    bid_file: BidFile
    name: str
    kind: str
    size: int
    content: bytes


@dataclass
class Opened:
    """A bid's plaintext, in memory only, between its decryption and the write.

    `broken` names the sealed parts that failed authentication ("price", "manifest",
    "file:2"); their values are None or missing.
    """

    price: Decimal | None
    sme_items: list[dict] | None
    files: list[OpenedFile]
    broken: list[str] = field(default_factory=list)
    # None when the manifest is broken; an empty declaration for format 1 and for manifests
    # sealed before the declaration existed.
    policy: PolicyDeclaration | None = None


def _recipients(lot: Lot, bidders: Iterable[Organisation]) -> list[tuple[Organisation, bool]]:
    """Who is told of an opening, each with whether it is told as a bidder.

    The purchaser and agency are told as organisers, never asked to decrypt "their" bid; an
    organisation that is both (it cannot bid on its own lot) would be told once, as organiser.
    """
    staff = _staff_organisations(lot)
    return [(o, False) for o in staff] + [
        (o, True) for o in dict.fromkeys(bidders) if o not in staff
    ]


def start_opening(*, lot: Lot, at: dt.datetime) -> Opening | None:
    """Start the opening of a lot just closed (call under its row lock, in its transaction).

    Fewer bids than the method requires (three for a public tender: "投标人不足3家的，不得开标",
    O87 Art 41) fail the lot: the failure notice (废标公告) is published with the reason and the
    purchaser and every bidder are told why (GPL Art 36); otherwise the decryption window opens.
    """
    if Opening.objects.filter(lot=lot).exists():
        return None
    bids = list(_live_bids(lot))
    params = BiddingParameters.current()
    required = params.min_bids(lot.project.method)
    bidders = [b.supplier for b in bids]
    if len(bids) < required:
        basis = failure_basis(lot.project.method)
        with translation.override(settings.LANGUAGE_CODE):  # stored for every reader
            reason = _(
                "Only %(n)s bid(s) arrived by the deadline; this procurement method requires at "
                "least %(min)s, so the lot cannot be opened and fails (%(basis)s)."
            ) % {"n": len(bids), "min": required, "basis": basis}
        lot.fail()
        lot._change_reason = gettext_noop("too few bids")
        lot.save()
        notice = publish_failure_notice(lot=lot, reason=reason, basis=basis, at=at)
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
        # Each is told in its own words: a bidder of its sealed bid, the purchaser or agency
        # of what comes next.
        for organisation, to_bidder in _recipients(lot, bidders):
            notify_organisation(
                organisation=organisation,
                kind="bidding.lot_failed",
                event=f"bidding.lot_failed:{opening.pk}",
                context={
                    "lot": str(lot),
                    "reason": reason,
                    "to_bidder": to_bidder,
                    "url": notice.get_absolute_url(),
                },
                subject=opening,
            )
        return opening
    window = dt.timedelta(minutes=lot.decryption_window_minutes or 30)
    lot.start_opening()
    lot._change_reason = gettext_noop("opening")
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
    # The bidders are asked to decrypt; the purchaser and agency, who have no bid, are told that
    # the opening runs and when it ends.
    for organisation, to_bidder in _recipients(lot, bidders):
        notify_organisation(
            organisation=organisation,
            kind=OPENING_STARTED,
            event=f"{OPENING_STARTED}:{opening.pk}",
            context={
                "lot": str(lot),
                "window_ends_at": format_moment(opening.window_ends_at),
                "bids": len(bids),
                "to_bidder": to_bidder,
            },
            subject=opening,
        )
    return opening


def start_opening_on_close(sender, *, lot: Lot, at: dt.datetime, **kwargs) -> None:
    """Receiver of procurement.signals.lot_closed."""
    start_opening(lot=lot, at=at)


def tell_bidders_of_cancellation(
    sender, *, lots: list[Lot], announcement, context: dict, told: frozenset[int], **kwargs
) -> None:
    """Receiver of procurement.signals.procurement_cancelled: every bidder on a cancelled lot
    not already told (as a taker of the documents) learns the reason (GPL Art 36; O87 Art 29).

    Each is told about its own bid, the notification's subject, so that before the opening the
    notification is sealed with the bid (notifications.selectors.visible_notifications).
    """
    bids = (
        Bid.objects.filter(lot__in=lots, state__in=LIVE)
        .exclude(supplier_id__in=told)
        .select_related("supplier")
        .order_by("supplier_id", "id")
    )
    for bid in bids:
        notify_organisation(
            organisation=bid.supplier,
            kind="procurement.procurement_cancelled",
            context={**context, "audience": "bidder"},
            subject=bid,
        )


def _kdf_params(bid: Bid) -> crypto.KdfParams | None:
    """The scrypt parameters a passphrase bid was sealed with (None for a key-file bid)."""
    if bid.key_method != KeyMethod.PASSPHRASE:
        return None
    if bid.kdf_n is None or bid.kdf_r is None or bid.kdf_p is None:
        raise ValueError(
            f"bid {bid.uuid} was sealed with a passphrase but has no scrypt parameters"
        )
    return crypto.KdfParams(salt=bytes(bid.kdf_salt), n=bid.kdf_n, r=bid.kdf_r, p=bid.kdf_p)


def _unwrap(bid: Bid, *, passphrase: str | None, key_file: bytes | None) -> bytes:
    kdf = _kdf_params(bid)
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
    A part that fails authentication, is missing from the store or no longer matches its
    recorded SHA-256 is listed in `broken`: the data key came from the bidder's key, so the
    sealed data was altered or lost after sealing, not by the bidder (EBID Art 31).
    """
    broken: list[str] = []
    price: Decimal | None = None
    try:
        price = Decimal(
            _decrypt_field(bid, data_key, bid.price_nonce, bid.price_ciphertext, "price").decode()
        )
    except (crypto.WrongKey, InvalidOperation, UnicodeDecodeError):
        broken.append("price")
    bid_files = list(bid.files.order_by("position"))
    described: dict[int, dict] = {}
    sme_items: list[dict] | None = None
    policy: PolicyDeclaration | None = PolicyDeclaration()
    if bid.format_version >= crypto.FORMAT_V2:
        try:
            manifest = json.loads(
                _decrypt_field(
                    bid, data_key, bid.manifest_nonce, bid.manifest_ciphertext, "manifest"
                )
            )
            described = {entry["position"]: entry for entry in manifest["files"]}
            sme_items = manifest["sme_items"]
            policy = PolicyDeclaration.from_dict(manifest.get("policy"))
            if sorted(described) != [f.position for f in bid_files]:
                raise ValueError("the rows and the sealed manifest disagree")
        except (crypto.WrongKey, ValueError, KeyError, TypeError, ArithmeticError):
            broken.append("manifest")
            described, sme_items, policy = {}, None, None
    else:
        described = {
            f.position: {"name": f.original_name, "kind": f.kind, "size": f.size} for f in bid_files
        }
        sme_items = bid.sme_items
    files = []
    for bid_file in bid_files:
        try:
            with bid_file.blob.open("rb") as handle:
                ct = handle.read()
            content = _decrypt_field(bid, data_key, bid_file.nonce, ct, bid_file.field_name())
            if crypto.sha256(content) != bid_file.sha256:
                raise ValueError("the file no longer matches its receipt")
        except (crypto.WrongKey, OSError, ValueError):
            broken.append(bid_file.field_name())
            continue
        entry = described.get(bid_file.position, {})
        files.append(
            OpenedFile(
                bid_file=bid_file,
                name=entry.get("name", ""),
                kind=entry.get("kind") or sniff(io.BytesIO(content)).kind,
                size=len(content),
                content=content,
            )
        )
    return Opened(price=price, sme_items=sme_items, files=files, broken=broken, policy=policy)


def integrity_evidence(bid: Bid, broken: list[str]) -> list[dict]:
    """For each broken part, whether its stored ciphertext is still what was sealed.

    The submission's audit event holds the SHA-256 of the sealed price and manifest, and each
    file row the SHA-256 of its sealed blob: a different hash, or a missing blob, shows the
    platform's store changed after sealing.
    """
    submitted = (
        Event.objects.for_subject(bid)
        .filter(action__in=["bidding.bid.submitted", "bidding.bid.replaced"])
        .order_by("seq")
        .first()
    )
    recorded = submitted.data if submitted else {}
    rows = {f.field_name(): f for f in bid.files.all()}
    evidence = []
    for part in broken:
        entry: dict = {"part": part}
        if part in ("price", "manifest"):
            sealed = recorded.get(f"{part}_cipher_sha256")
            ciphertext = bytes(getattr(bid, f"{part}_ciphertext"))
            entry["as_sealed"] = None if sealed is None else crypto.sha256(ciphertext) == sealed
        else:
            bid_file = rows[part]
            try:
                with bid_file.blob.open("rb") as handle:
                    entry["as_sealed"] = crypto.sha256(handle.read()) == bid_file.cipher_sha256
            except OSError:
                entry["as_sealed"] = False
                entry["missing"] = True
        evidence.append(entry)
    return evidence


def _record_integrity_failure(*, bid: Bid, broken: list[str], acting_user: User) -> None:
    """Write down that the bid's sealed data failed authentication; tell the staff once."""
    evidence = integrity_evidence(bid, broken)
    logger.error("bid %s: sealed data fails its integrity check (%s)", bid.uuid, broken)
    with transaction.atomic():
        locked = (
            Bid.objects.select_for_update(of=("self",))
            .select_related("lot", "lot__project", "supplier")
            .get(pk=bid.pk)
        )
        first = locked.integrity_failed_at is None
        now = timezone.now()
        if first:
            locked.integrity_failed_at = now
        locked.integrity_failure = {
            "parts": broken,
            "evidence": evidence,
            "checked_at": now.isoformat(),
        }
        locked._history_user = acting_user
        locked._change_reason = gettext_noop("sealed data failed its integrity check")
        locked.save()
        record_event(
            action="bidding.bid.integrity_failed",
            actor=acting_user,
            organisation=locked.supplier,
            subject=locked,
            data={"lot": locked.lot_id, **locked.integrity_failure},
        )
        if first:
            for organisation, to_bidder in _recipients(locked.lot, [locked.supplier]):
                notify_organisation(
                    organisation=organisation,
                    kind=INTEGRITY_FAILED,
                    context={
                        "lot": str(locked.lot),
                        "supplier": locked.supplier.name,
                        "to_bidder": to_bidder,
                    },
                    subject=locked.lot.opening,
                )


def _check_attempts(bid: Bid, *, now: dt.datetime, ends_at: dt.datetime) -> None:
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
            % {"end": format_moment(ends_at)},
            code="rate_limited",
        )


def _unwrap_counting(
    bid: Bid, *, passphrase: str | None, key_file: bytes | None, now: dt.datetime, acting_user
) -> bytes:
    """The data key; a wrong passphrase or key file is counted for the rate limit."""
    try:
        return _unwrap(bid, passphrase=passphrase, key_file=key_file)
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


def _write_opened(
    bid: Bid,
    *,
    files: list[OpenedFile],
    sme_items: list[dict],
    policy: PolicyDeclaration,
    price: Decimal,
    now,
    acting_user,
) -> None:
    """Store the plaintext of a decrypted bid (lot and bid locked by the caller)."""
    for f in files:
        bid_file = f.bid_file
        bid_file.original_name = f.name
        bid_file.kind = f.kind
        bid_file.size = f.size
        bid_file.plain.save(f"file-{bid_file.position}", ContentFile(f.content), save=False)
        bid_file.metadata = document_metadata(f.kind, f.content)
        bid_file.save(update_fields=["original_name", "kind", "size", "plain", "metadata"])
    bid.sme_items = sme_items
    bid.arrangement = policy.arrangement
    bid.small_micro_share = policy.small_micro_share
    bid.domestic_share = policy.domestic_share
    bid.mark_decrypted(at=now, price=price)
    bid._history_user = acting_user
    bid.save()


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
    _check_attempts(bid, now=now, ends_at=opening.window_ends_at)
    data_key = _unwrap_counting(
        bid, passphrase=passphrase, key_file=key_file, now=now, acting_user=acting_user
    )
    opened = open_sealed(bid, data_key)
    if opened.broken:
        _record_integrity_failure(bid=bid, broken=opened.broken, acting_user=acting_user)
        raise DomainError(str(SEAL_BROKEN), code="seal_broken")
    assert opened.price is not None and opened.sme_items is not None
    assert opened.policy is not None
    finished = False
    with transaction.atomic():
        lot = Lot.objects.select_for_update(of=("self",)).get(pk=bid.lot_id)
        bid = Bid.objects.select_for_update().get(pk=bid.pk)
        now = timezone.now()
        if lot.state != LotState.OPENING or now >= opening.window_ends_at:
            raise DeadlinePassed(_("The decryption window has ended."), code="window_ended")
        if not can_proceed(bid.mark_decrypted):
            raise InvalidTransition(_("This bid is already decrypted."), code="state")
        _write_opened(
            bid,
            files=opened.files,
            sme_items=opened.sme_items,
            policy=opened.policy,
            price=opened.price,
            now=now,
            acting_user=acting_user,
        )
        record_event(
            action="bidding.bid.decrypted",
            actor=acting_user,
            organisation=supplier,
            subject=bid,
            data={"lot": lot.pk, "decrypted_at": now.isoformat()},
        )
        # The bidder's step is done: the request to decrypt is closed for its staff.
        close_notifications(kinds=[OPENING_STARTED], subject=opening, organisation=supplier, at=now)
        finished = finish_if_all_opened(lot=lot, now=now)
    if finished:
        logger.info("opening of lot %s finished: every bid decrypted", lot.pk)
    return bid


def finish_if_all_opened(*, lot: Lot, now: dt.datetime) -> bool:
    """Make the record at once when no bid is left sealed (lot locked by the caller)."""
    if _live_bids(lot).filter(state=BidState.SUBMITTED).exists():
        return False
    return _finish(lot=lot, now=now)


def _share(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _record_data(lot: Lot, opening: Opening) -> dict:
    rows = []
    for bid in (
        Bid.objects.filter(lot=lot)
        .at_opening()
        .select_related("supplier")
        .order_by("received_at", "id")
    ):
        items = items_from_data(bid.sme_items) if bid.sme_items else []
        rows.append(
            {
                "supplier": bid.supplier.name,
                "supplier_id": bid.supplier_id,
                "bid": str(bid.uuid),
                "state": bid.state,
                "price": f"{bid.price:.2f}" if bid.price is not None else None,
                # Every bid at an opening was received (submit() sets it).
                "received_at": bid.received_at.isoformat() if bid.received_at else None,
                "decrypted_at": bid.decrypted_at.isoformat() if bid.decrypted_at else None,
                "sme": is_sme(items),
                "sme_items": bid.sme_items,
                # The policy declaration, read out beside the price (bidding.declaration).
                "arrangement": bid.arrangement,
                "small_micro_share": _share(bid.small_micro_share),
                "domestic_share": _share(bid.domestic_share),
                # EBID Art 31: not decrypted for reasons outside the bidder (deemed withdrawn),
                # or restored by the re-upload the lot's rules allow.
                "platform_failure": bid.integrity_failed_at is not None,
                "remedied": bid.remedied_at is not None,
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
        if bid.integrity_failed_at is not None:
            # The bidder's key was right but the platform's sealed data was not: not decrypted
            # for reasons outside the bidder, deemed withdrawn (EBID Art 31), not revoked.
            bid.deem_withdrawn(at=now)
            bid._change_reason = gettext_noop("decryption window ended: platform failure")
            bid.save()
            record_event(
                action="bidding.bid.deemed_withdrawn",
                actor=None,
                organisation=bid.supplier,
                subject=bid,
                data={"lot": lot.pk, "parts": bid.integrity_failure.get("parts", [])},
            )
            continue
        # Not decrypted in time by the bidder: deemed revoked (EBID Art 31).
        bid.mark_undecrypted()
        bid._change_reason = gettext_noop("decryption window ended")
        bid.save()
    lot.finish_opening()
    lot._change_reason = gettext_noop("opening finished")
    lot.save()
    params = BiddingParameters.current()
    opening.finished_at = now
    opening.confirmation_ends_at = now + dt.timedelta(minutes=params.confirmation_window_minutes)
    opening.record = _record_data(lot, opening)
    opening.save()
    # The bidders are known now: the experts drawn before the opening are checked against them
    # and any tied to a bidder is replaced (experts, RULES.md D-5).
    recheck_after_opening(lot=lot, at=now)
    cancel_clock(subject=opening, kind=DECRYPTION_CLOCK)
    # Nobody can decrypt or rule any more: the requests of the window are closed.
    close_notifications(kinds=[OPENING_STARTED, INTEGRITY_FAILED], subject=opening, at=now)
    record_event(
        action="bidding.opening.finished",
        actor=None,
        organisation=lot.project.agency or lot.project.purchaser,
        subject=lot,
        data=opening.record,
    )
    bidders = {
        b.supplier for b in Bid.objects.filter(lot=lot).at_opening().select_related("supplier")
    }
    for organisation, to_bidder in _recipients(lot, bidders):
        notify_organisation(
            organisation=organisation,
            kind=OPENING_RECORD,
            event=f"{OPENING_RECORD}:{opening.pk}",
            context={
                "lot": str(lot),
                "confirmation_ends_at": format_moment(opening.confirmation_ends_at),
                "to_bidder": to_bidder,
            },
            subject=opening,
        )
    from ..tasks import render_opening_record_pdf_task

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
        # A re-upload granted after a platform failure keeps the opening open (its clock was
        # moved to the re-upload's end).
        if Bid.objects.filter(lot=lot, state=BidState.SUBMITTED, remedy_until__gt=now).exists():
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

    from ..selectors import opening_record_context

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
    from ..models import ResponseKind

    supplier = _supplier_of(acting_user)
    now = timezone.now()
    if not opening.is_finished or opening.confirmation_ends_at is None:
        raise InvalidTransition(_("The opening record is not published yet."), code="state")
    if now >= opening.confirmation_ends_at:
        raise DeadlinePassed(
            _(
                "The confirmation window ended at %(end)s; a bidder that did not respond is "
                "deemed to accept the record (O87 Art 42)."
            )
            % {"end": format_moment(opening.confirmation_ends_at)},
            code="window_ended",
        )
    if not Bid.objects.filter(lot=opening.lot, supplier=supplier).at_opening().exists():
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
            action=(
                "bidding.opening.objection"
                if kind == ResponseKind.OBJECT
                else "bidding.opening.confirmed"
            ),
            actor=acting_user,
            organisation=supplier,
            subject=opening.lot,
            data={"text": response.text},
        )
        close_notifications(kinds=[OPENING_RECORD], subject=opening, organisation=supplier, at=now)
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
