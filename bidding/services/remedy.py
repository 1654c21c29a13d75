"""The remedy for a decryption failure for reasons outside the bidder (EBID Art 31, RULES.md C-5).

A bid not decrypted because of the bidder is deemed revoked; one not decrypted for reasons
outside the bidder is deemed withdrawn, and the tender documents may define a remedy. The
platform tells the two apart without holding any key: when the bidder's passphrase or key file
unwraps the data key (so it is the right one) but a sealed part then fails authentication, the
platform's store changed after sealing (bidding.services.opening records it, with evidence).

1. Before the bid deadline the purchaser or agency sets the lot's rules (OpeningRules): whether
   such a failure may be remedied by re-uploading, and within how many minutes.
2. During the opening it records the failure as the platform's. Where the rules allow, the
   bidder then has the window to upload again the files it sealed and, if the price was lost,
   give it again; the opening waits for it. Otherwise the bid is deemed withdrawn at the end.
3. The re-upload is accepted only as what was sealed: each file by the SHA-256 on the receipt,
   the price by the commitment sealed with the bid (crypto.commit under a key derived from the
   data key, which only the bidder's key reaches, so nobody could test price guesses against
   it before the opening). Nothing else of the bid can change.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_fsm import can_proceed

from audit.services import record_event
from common.errors import DeadlinePassed, DomainError, InvalidTransition, PermissionDenied
from notifications.services import close_notifications, notify_organisation
from procurement.models import Lot, LotState
from timers.services import start_clock

from .. import crypto
from ..declaration import PolicyDeclaration
from ..models import Bid, BidState, Opening, OpeningRules
from ._base import (
    DECRYPTION_CLOCK,
    _read_files,
    _staff_organisations,
    _supplier_of,
    format_moment,
    parse_price,
)
from .opening import (
    INTEGRITY_FAILED,
    OpenedFile,
    _check_attempts,
    _finish,
    _unwrap_counting,
    _write_opened,
    finish_if_all_opened,
    open_sealed,
)

PLATFORM_FAILURE = "bidding.platform_failure"  # the bidder: upload its files again

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from accounts.models import User

MIN_WINDOW = 10
MAX_WINDOW = 24 * 60


def set_opening_rules(
    *, lot: Lot, reupload: bool, window_minutes: int, acting_user: User
) -> OpeningRules:
    """The purchaser or agency sets the lot's remedy rules, until the bid deadline."""
    if not acting_user.has_perm("bidding.change_openingrules", lot):
        raise PermissionDenied(
            _("Only the purchaser or agency of the project sets its opening rules."),
            code="not_staff",
        )
    if not MIN_WINDOW <= window_minutes <= MAX_WINDOW:
        raise DomainError(
            _("The re-upload window is between %(min)s and %(max)s minutes.")
            % {"min": MIN_WINDOW, "max": MAX_WINDOW},
            code="window",
        )
    with transaction.atomic():
        locked = Lot.objects.select_for_update(of=("self",)).get(pk=lot.pk)
        now = timezone.now()
        if locked.state not in (LotState.DRAFT, LotState.ANNOUNCED) or (
            locked.bid_deadline is not None and now >= locked.bid_deadline
        ):
            raise InvalidTransition(
                _("The opening rules can be changed only until the bid deadline."),
                code="state",
            )
        rules = OpeningRules.objects.select_for_update().filter(lot=locked).first()
        rules = rules or OpeningRules(lot=locked)
        if rules.pk and (rules.reupload_on_platform_failure, rules.reupload_window_minutes) == (
            reupload,
            window_minutes,
        ):
            return rules
        rules.reupload_on_platform_failure = reupload
        rules.reupload_window_minutes = window_minutes
        rules._history_user = acting_user
        rules.save()
        record_event(
            action="bidding.opening_rules.changed",
            actor=acting_user,
            organisation=locked.project.agency or locked.project.purchaser,
            subject=locked,
            data={"reupload": reupload, "window_minutes": window_minutes},
        )
    return rules


def record_platform_failure(*, bid: Bid, acting_user: User) -> Bid:
    """The purchaser or agency records a bid's failed integrity check as the platform's.

    Where the lot's rules allow it, the bidder may re-upload until `remedy_until`, and the
    opening's clock moves to wait for it; otherwise the bid is deemed withdrawn at the end of
    the window (not revoked: the bidder keeps its bid security and may claim its losses).
    """
    with transaction.atomic():
        lot = (
            Lot.objects.select_for_update(of=("self",))
            .select_related("project", "project__purchaser", "project__agency")
            .get(pk=bid.lot_id)
        )
        opening = Opening.objects.select_for_update().get(lot=lot)
        if not acting_user.has_perm("bidding.rule_on_failure", opening):
            raise PermissionDenied(
                _("Only the purchaser or agency of the project rules on a failed decryption."),
                code="not_staff",
            )
        bid = Bid.objects.select_for_update(of=("self",)).select_related("supplier").get(pk=bid.pk)
        if lot.state != LotState.OPENING or bid.state != BidState.SUBMITTED:
            raise InvalidTransition(_("The opening of this bid is over."), code="state")
        if bid.integrity_failed_at is None:
            raise InvalidTransition(
                _(
                    "Only a bid whose sealed data failed its integrity check with the bidder's "
                    "right key can be recorded as the platform's failure."
                ),
                code="no_failure",
            )
        if bid.platform_failure_at is not None:
            raise InvalidTransition(_("This failure is already recorded."), code="state")
        now = timezone.now()
        rules = OpeningRules.of(lot)
        bid.platform_failure_at = now
        bid.platform_failure_by = acting_user
        if rules.reupload_on_platform_failure:
            bid.remedy_until = now + dt.timedelta(minutes=rules.reupload_window_minutes)
        bid._history_user = acting_user
        bid._change_reason = gettext_noop("recorded as the platform's failure")
        bid.save()
        if bid.remedy_until is not None:
            # The record waits for the re-upload: the window's clock ends with it.
            ends = [opening.window_ends_at]
            for until in Bid.objects.filter(
                lot=lot, state=BidState.SUBMITTED, remedy_until__isnull=False
            ).values_list("remedy_until", flat=True):
                if until is not None:
                    ends.append(until)
            start_clock(subject=opening, kind=DECRYPTION_CLOCK, due=max(ends), responsible=None)
        record_event(
            action="bidding.bid.platform_failure_recorded",
            actor=acting_user,
            organisation=bid.supplier,
            subject=bid,
            data={
                "lot": lot.pk,
                "parts": bid.integrity_failure.get("parts", []),
                "remedy_until": bid.remedy_until.isoformat() if bid.remedy_until else None,
            },
        )
        if not Bid.objects.filter(
            lot=lot,
            state=BidState.SUBMITTED,
            integrity_failed_at__isnull=False,
            platform_failure_at__isnull=True,
        ).exists():
            # Every failure of the opening is ruled on: the staff's requests are closed.
            for organisation in _staff_organisations(lot):
                close_notifications(
                    kinds=[INTEGRITY_FAILED], subject=opening, organisation=organisation, at=now
                )
        notify_organisation(
            organisation=bid.supplier,
            kind=PLATFORM_FAILURE,
            context={
                "lot": str(lot),
                "remedy_until": format_moment(bid.remedy_until) if bid.remedy_until else "",
            },
            subject=opening,
        )
    return bid


def _match_uploads(
    bid: Bid, *, broken_files: list[str], uploads: list[tuple[str, str, bytes]]
) -> list[OpenedFile]:
    """The uploads that restore the broken files, each matched by its receipt's SHA-256."""
    rows = {f.field_name(): f for f in bid.files.all()}
    by_hash = {crypto.sha256(content): (name, kind, content) for name, kind, content in uploads}
    known = {f.sha256 for f in rows.values()}
    strangers = [name for h, (name, _kind, _c) in by_hash.items() if h not in known]
    if strangers:
        raise DomainError(
            _(
                "“%(name)s” is not a file of this bid: its SHA-256 matches none on your receipt. "
                "Upload exactly the files you sealed."
            )
            % {"name": strangers[0]},
            code="not_sealed_file",
        )
    restored, missing = [], []
    for part in broken_files:
        row = rows[part]
        upload = by_hash.get(row.sha256)
        if upload is None:
            missing.append(f"{row.label} (SHA-256 {row.sha256[:16]}…)")
            continue
        name, kind, content = upload
        restored.append(
            OpenedFile(bid_file=row, name=name, kind=kind, size=len(content), content=content)
        )
    if missing:
        raise DomainError(
            _(
                "Upload again, exactly as sealed, the files the platform lost: %(files)s. Your "
                "receipt lists each one with its SHA-256."
            )
            % {"files": "、".join(missing)},
            code="files_missing",
        )
    return restored


def remedy_bid(
    *,
    bid: Bid,
    passphrase: str | None = None,
    key_file: bytes | None = None,
    files: list[UploadedFile],
    price: str | None = None,
    acting_user: User,
) -> Bid:
    """The bidder restores, within its window, what the platform lost of its sealed bid.

    1. The bidder's key unwraps the data key again (a wrong one counts for the rate limit).
    2. The parts that still open are taken as sealed; each lost file must be uploaded again
       with the SHA-256 recorded at submission; a lost price must match its commitment.
    3. The bid is then decrypted like any other, marked restored, and the opening finishes
       if nothing else is waiting.
    """
    supplier = _supplier_of(acting_user)
    if bid.supplier_id != supplier.pk:
        raise PermissionDenied(_("This is not your bid."), code="not_own")
    bid = Bid.objects.select_related("lot").get(pk=bid.pk)
    now = timezone.now()
    if bid.remedy_until is None or bid.state != BidState.SUBMITTED:
        raise InvalidTransition(_("No re-upload is open for this bid."), code="state")
    if now >= bid.remedy_until:
        raise DeadlinePassed(
            _("The re-upload window ended at %(end)s.") % {"end": format_moment(bid.remedy_until)},
            code="window_ended",
        )
    _check_attempts(bid, now=now, ends_at=bid.remedy_until)
    data_key = _unwrap_counting(
        bid, passphrase=passphrase, key_file=key_file, now=now, acting_user=acting_user
    )
    opened = open_sealed(bid, data_key)
    broken_files = [part for part in opened.broken if part.startswith("file:")]
    restored = (
        _match_uploads(bid, broken_files=broken_files, uploads=_read_files(files))
        if broken_files
        else []
    )
    value = opened.price
    if "price" in opened.broken:
        if not bid.price_commitment:
            raise DomainError(
                _(
                    "This bid was sealed before prices carried a commitment, so its lost price "
                    "cannot be checked; it is deemed withdrawn at the end of the opening."
                ),
                code="no_commitment",
            )
        if not price:
            raise DomainError(_("Enter the price you sealed."), code="price")
        value = parse_price(price)
        key = crypto.commitment_key(data_key, str(bid.uuid), bid.lot_id)
        if not crypto.same_commitment(
            crypto.commit(key, f"{value:.2f}".encode()), bytes(bid.price_commitment)
        ):
            raise DomainError(
                _(
                    "This is not the price sealed with the bid: it does not match the commitment "
                    "made at submission. Enter the price exactly as you sealed it."
                ),
                code="price_mismatch",
            )
    assert value is not None
    # A lost manifest loses the names (the uploads give them again) and the SME declaration,
    # which cannot be checked against anything: the bid opens without it, as recorded.
    sme_items = opened.sme_items if opened.sme_items is not None else []
    # The policy declaration is lost with it: the bid is evaluated without its shares.
    policy = opened.policy if opened.policy is not None else PolicyDeclaration()
    with transaction.atomic():
        lot = Lot.objects.select_for_update(of=("self",)).get(pk=bid.lot_id)
        bid = Bid.objects.select_for_update(of=("self",)).select_related("supplier").get(pk=bid.pk)
        now = timezone.now()
        if lot.state != LotState.OPENING or bid.remedy_until is None or now >= bid.remedy_until:
            raise DeadlinePassed(_("The re-upload window has ended."), code="window_ended")
        if not can_proceed(bid.mark_decrypted):
            raise InvalidTransition(_("This bid is already decrypted."), code="state")
        bid.remedied_at = now
        _write_opened(
            bid,
            files=[*opened.files, *restored],
            sme_items=sme_items,
            policy=policy,
            price=value,
            now=now,
            acting_user=acting_user,
        )
        record_event(
            action="bidding.bid.remedied",
            actor=acting_user,
            organisation=supplier,
            subject=bid,
            data={
                "lot": lot.pk,
                "restored": opened.broken,
                "files": [f.bid_file.sha256 for f in restored],
                "sme_declaration_lost": opened.sme_items is None,
            },
        )
        close_notifications(
            kinds=[PLATFORM_FAILURE],
            subject=Opening.objects.get(lot=lot),
            organisation=supplier,
            at=now,
        )
        waiting = Bid.objects.filter(lot=lot, state=BidState.SUBMITTED, remedy_until__gt=now)
        if now >= Opening.objects.get(lot=lot).window_ends_at and not waiting.exists():
            _finish(lot=lot, now=now)  # the window is over and no other re-upload is due
        else:
            finish_if_all_opened(lot=lot, now=now)
    return bid
