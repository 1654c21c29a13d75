"""What the bidding services share: limits, messages, the supplier check, reading uploads."""

from __future__ import annotations

import datetime as dt
import io
import logging
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organisation, OrganisationKind
from accounts.selectors import organisation_of
from common.errors import DomainError, PermissionDenied
from documents.sniffing import sniff
from documents.uses import MB
from procurement.models import Lot

from .. import crypto
from ..models import (
    LIVE,
    Bid,
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


def _supplier_of(user: User) -> Organisation:
    organisation = organisation_of(user)
    if organisation is None or organisation.kind != OrganisationKind.SUPPLIER:
        raise PermissionDenied(_("Only a supplier may bid."), code="not_supplier")
    return organisation


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


def _staff_organisations(lot: Lot) -> list[Organisation]:
    project = lot.project
    return [o for o in (project.purchaser, project.agency) if o is not None]


def _live_bids(lot: Lot):
    return Bid.objects.filter(lot=lot, state__in=LIVE).select_related("supplier")


SEAL_BROKEN = gettext_lazy(
    "Your key is right, but the sealed data of this bid fails its integrity check on the "
    "platform. This is not your doing; tell the purchaser or agency at once."
)


WRONG_KEY = gettext_lazy(
    "The passphrase or key file does not open this bid. Check it (capitals, spaces, the right "
    "file) and try again; you may retry until the decryption window ends."
)
