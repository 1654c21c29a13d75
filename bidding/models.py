"""Sealed bids, their encrypted files, the online opening and its record.

What the database holds before the opening: who bid (visible to that bidder only), when, the
SHA-256 of each plaintext file, and ciphertext — the price, the files and a manifest of the
files' names, kinds and sizes and the SME declaration, sealed under a data key that only the
bidder's passphrase or key file unwraps (bidding/crypto.py). The plaintext is written only when
the bidder decrypts at the opening, which is public to the participants. Bids sealed in format 1
(before the manifest) kept the names and the declaration in clear; they open the same way.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from accounts.models import Organisation, User
from common.models import TimeStampedModel
from procurement.models import Lot, ProcurementMethod

from . import crypto


class BidState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REPLACED = "replaced", _("Replaced")
    DECRYPTED = "decrypted", _("Decrypted")
    UNDECRYPTED = "undecrypted", _("Not decrypted (revoked)")
    VALID = "valid", _("Valid")
    INVALID = "invalid", _("Invalid")


class Arrangement(models.TextChoices):
    """How small or micro firms take part in a large or medium firm's bid (D46 Art 9 ¶2)."""

    NONE = "", _("Neither")
    CONSORTIUM = "consortium", _("Consortium with small or micro enterprises")
    SUBCONTRACT = "subcontract", _("Subcontract to small or micro enterprises")


class KeyMethod(models.TextChoices):
    PASSPHRASE = "passphrase", _("Passphrase")
    KEY_FILE = "key_file", _("Key file")


# States in which a bid takes part in the opening (the latest submission of its supplier).
LIVE = [BidState.SUBMITTED, BidState.DECRYPTED, BidState.UNDECRYPTED]
OPENED_LOT_STATES = ["opened", "evaluating", "evaluated", "awarded"]


def blob_path(instance: BidFile, filename: str) -> str:
    """A server-made name: nothing of the bidder's file name reaches the file store."""
    return f"bids/{instance.bid.lot_id}/{uuid.uuid4().hex}.bin"


def plain_path(instance: BidFile, filename: str) -> str:
    return f"opened-bids/{instance.bid.lot_id}/{uuid.uuid4().hex}"


class BidQuerySet(models.QuerySet["Bid"]):
    def sealed(self) -> BidQuerySet:
        """Bids whose lot's opening has not made its record yet: no opening, or one still in
        its decryption window. Everything about them stays out of people's reads but their
        bidder's (issue 5 §3; common.sealing).

        Until the record, a bid's trail tells more than that it exists: once its bidder decrypts,
        its recorded changes hold the price, which nobody sees before the opening ends. The
        record's time never changes once set, so a bid is never sealed again (a later failure,
        suspension or cancellation of the lot does not hide what was shown). A lot cancelled
        before its opening keeps its bids sealed: they were never opened.
        """
        # A LEFT JOIN: a lot without an opening has no finished_at either.
        return self.filter(lot__opening__finished_at__isnull=True)

    def at_opening(self) -> BidQuerySet:
        """The bids an opening lists: the live ones, and those deemed withdrawn because the
        platform could not decrypt them (EBID Art 31), whose bidders still take part."""
        return self.filter(
            models.Q(state__in=LIVE)
            | models.Q(state=BidState.WITHDRAWN, integrity_failed_at__isnull=False)
        )


class Bid(FSMModelMixin, TimeStampedModel):
    """One submission of a supplier for a lot; a replacement is a new row (the old: replaced)."""

    uuid = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    lot = models.ForeignKey(
        Lot, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="bids"
    )
    supplier = models.ForeignKey(
        Organisation, verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="bids"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = FSMField(
        _("state"), max_length=16, choices=BidState.choices, default=BidState.DRAFT, protected=True
    )
    # The server's clock inside the transaction that stored the bid (the receipt shows it).
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    # The receipt (投标回执) rendered once after the submission: times and hashes, no price and
    # no file name. It stays with the bid when a later one replaces it.
    receipt_pdf = models.ForeignKey(
        "documents.StoredFile",
        verbose_name=_("receipt PDF"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    # Sealing (bidding/crypto.py): nothing here unwraps the data key.
    format_version = models.PositiveSmallIntegerField(_("sealing format"), default=crypto.FORMAT)
    key_method = models.CharField(_("key"), max_length=16, choices=KeyMethod.choices)
    kdf_salt = models.BinaryField(_("scrypt salt"), blank=True, default=b"")
    kdf_n = models.PositiveIntegerField(_("scrypt N"), null=True, blank=True)
    kdf_r = models.PositiveSmallIntegerField(_("scrypt r"), null=True, blank=True)
    kdf_p = models.PositiveSmallIntegerField(_("scrypt p"), null=True, blank=True)
    key_nonce = models.BinaryField(_("key nonce"))
    wrapped_key = models.BinaryField(_("wrapped data key"))
    price_nonce = models.BinaryField(_("price nonce"))
    price_ciphertext = models.BinaryField(_("sealed price"))
    # Format 2: the files' names, kinds and sizes and the SME declaration, sealed (JSON).
    manifest_nonce = models.BinaryField(_("manifest nonce"), blank=True, default=b"")
    manifest_ciphertext = models.BinaryField(_("sealed manifest"), blank=True, default=b"")
    # HMAC of the price under a key derived from the data key (crypto.commitment_key): lets a
    # price lost by the platform be given again and checked (RULES.md C-5). Empty before 0004.
    price_commitment = models.BinaryField(_("price commitment"), blank=True, default=b"")

    # The SME declaration (中小企业声明函): items as structured data (suppliers.sme). Empty
    # until the opening since format 2 (it is in the sealed manifest); format 1 kept it here.
    sme_items = models.JSONField(_("SME declaration items"), default=list, blank=True)
    # The policy declaration (bidding.declaration): the consortium or subcontract share of small
    # and micro firms (D46 Art 9 ¶2) and the domestic share of the product cost (国办发〔2025〕34号).
    # They change the evaluated price as the price does, so they travel in the sealed manifest
    # and are written here only at the decryption: blank/None until the opening.
    arrangement = models.CharField(
        _("consortium or subcontract"),
        max_length=16,
        choices=Arrangement.choices,
        blank=True,
        default=Arrangement.NONE,
    )
    small_micro_share = models.DecimalField(
        _("contract share of small or micro partners (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    domestic_share = models.DecimalField(
        _("domestic products' share of the product cost (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )

    # Evidence for the collusion checks (RULES.md §15.3), gathered at submission.
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    device_id = models.CharField(_("device identifier"), max_length=64, blank=True)
    user_agent_hash = models.CharField(_("browser fingerprint"), max_length=64, blank=True)

    # Filled at the opening, by the bidder's decryption.
    price = models.DecimalField(
        _("bid price (yuan)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    decrypted_at = models.DateTimeField(_("decrypted at"), null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(_("failed decryption attempts"), default=0)
    last_failed_at = models.DateTimeField(_("last failed attempt"), null=True, blank=True)

    # Decryption failure for reasons outside the bidder (EBID Art 31, RULES.md C-5): the
    # bidder's key unwrapped the data key but a sealed part failed authentication.
    integrity_failed_at = models.DateTimeField(
        _("sealed data failed its integrity check at"), null=True, blank=True
    )
    integrity_failure = models.JSONField(_("integrity check"), default=dict, blank=True)
    platform_failure_at = models.DateTimeField(
        _("recorded as the platform's failure at"), null=True, blank=True
    )
    platform_failure_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Set when the lot's rules allow it: until then the bidder may upload the files it sealed
    # (checked by SHA-256) and give the price (checked by the commitment). The opening's clock
    # waits for it.
    remedy_until = models.DateTimeField(_("re-upload allowed until"), null=True, blank=True)
    remedied_at = models.DateTimeField(_("restored by re-upload at"), null=True, blank=True)

    objects = BidQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=[
            "kdf_salt",
            "key_nonce",
            "wrapped_key",
            "price_nonce",
            "price_ciphertext",
            "manifest_nonce",
            "manifest_ciphertext",
            "price_commitment",
        ]
    )
    # Set by services before save(); simple-history puts them on the historical row.
    _history_user: User | None
    _change_reason: str

    class Meta:
        verbose_name = _("bid")
        verbose_name_plural = _("bids")
        ordering = ["lot", "received_at", "id"]
        indexes = [models.Index(fields=["lot", "state"])]
        constraints = [
            # One live submission per supplier and lot: the latest counts (O87 Art 34).
            models.UniqueConstraint(
                fields=["lot", "supplier"],
                condition=models.Q(state__in=LIVE),
                name="bid_one_live_per_supplier",
            )
        ]

    def __str__(self) -> str:
        # Never the price: __str__ shows up in logs, the admin and history.
        return f"{_('bid')} {str(self.uuid)[:8]}"

    @property
    def is_sealed(self) -> bool:
        return self.decrypted_at is None

    # Transitions: in-memory only; bidding.services locks, guards, saves and audits.

    @transition(field=state, source=BidState.DRAFT, target=BidState.SUBMITTED)
    def submit(self, *, at) -> None:
        self.received_at = at

    @transition(field=state, source=BidState.SUBMITTED, target=BidState.WITHDRAWN)
    def withdraw(self, *, at) -> None:
        self.withdrawn_at = at

    @transition(field=state, source=BidState.SUBMITTED, target=BidState.REPLACED)
    def replace(self) -> None:
        pass

    @transition(field=state, source=BidState.SUBMITTED, target=BidState.DECRYPTED)
    def mark_decrypted(self, *, at, price) -> None:
        self.decrypted_at = at
        self.price = price

    @transition(field=state, source=BidState.SUBMITTED, target=BidState.UNDECRYPTED)
    def mark_undecrypted(self) -> None:
        pass

    @transition(field=state, source=BidState.SUBMITTED, target=BidState.WITHDRAWN)
    def deem_withdrawn(self, *, at) -> None:
        """Not decrypted for reasons outside the bidder: deemed withdrawn (EBID Art 31)."""
        self.withdrawn_at = at

    @property
    def awaits_ruling(self) -> bool:
        """Its sealed data failed the integrity check and nobody has ruled on it yet."""
        return self.integrity_failed_at is not None and self.platform_failure_at is None

    def remedy_open(self, now) -> bool:
        return (
            self.state == BidState.SUBMITTED
            and self.remedy_until is not None
            and now < self.remedy_until
        )

    @transition(field=state, source=BidState.DECRYPTED, target=BidState.VALID)
    def mark_valid(self) -> None:
        pass

    @transition(
        field=state, source=[BidState.DECRYPTED, BidState.UNDECRYPTED], target=BidState.INVALID
    )
    def mark_invalid(self) -> None:
        pass


class BidFile(models.Model):
    """One file of a bid, stored encrypted under a server-made name.

    Since format 2 the name, kind and size are blank until the bid is decrypted: they travel in
    the bid's sealed manifest. The SHA-256 of the plaintext is the receipt's proof of content.
    """

    bid = models.ForeignKey(
        Bid, verbose_name=_("bid"), on_delete=models.CASCADE, related_name="files"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=16, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, db_index=True)
    cipher_sha256 = models.CharField(_("SHA-256 of the sealed file"), max_length=64)
    nonce = models.BinaryField(_("nonce"))
    blob = models.FileField(_("sealed file"), upload_to=blob_path, max_length=255)
    # After decryption at the opening.
    plain = models.FileField(_("opened file"), upload_to=plain_path, max_length=255, blank=True)
    metadata = models.JSONField(_("document metadata"), default=dict, blank=True)

    class Meta:
        verbose_name = _("bid file")
        verbose_name_plural = _("bid files")
        ordering = ["bid", "position"]

    def __str__(self) -> str:
        # Never the name of a sealed file (__str__ reaches logs and the admin).
        return self.original_name or self.label

    @property
    def label(self) -> str:
        return str(_("File %(n)s")) % {"n": self.position}

    def field_name(self) -> str:
        return f"file:{self.position}"


def sealed_part_label(part: str) -> str:
    """A sealed part of a bid ("price", "manifest", "file:2") in words."""
    if part == "price":
        return str(_("the price"))
    if part == "manifest":
        return str(_("the files' names, the SME declaration and the policy shares"))
    return str(_("File %(n)s")) % {"n": part.removeprefix("file:")}


class Opening(TimeStampedModel):
    """The online opening of a lot (不见面开标): the decryption window and the record."""

    lot = models.OneToOneField(
        Lot, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="opening"
    )
    started_at = models.DateTimeField(_("started at"))
    # Swept by the timers Clock "bidding.decryption_window".
    window_ends_at = models.DateTimeField(_("decryption window ends"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    confirmation_ends_at = models.DateTimeField(
        _("confirmation window ends"), null=True, blank=True
    )
    record = models.JSONField(_("opening record"), default=dict, blank=True)
    record_pdf = models.ForeignKey(
        "documents.StoredFile",
        verbose_name=_("opening record PDF"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    failed_reason = models.TextField(_("reason the lot failed"), blank=True)
    history = HistoricalRecords()
    # Set by services before save(); simple-history puts them on the historical row.
    _history_user: User | None
    _change_reason: str

    class Meta:
        verbose_name = _("opening")
        verbose_name_plural = _("openings")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return str(self.lot)

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("bidding:opening", args=[self.lot_id])


class OpeningRules(TimeStampedModel):
    """What the tender documents add to the opening of a lot.

    EBID Art 31 (RULES.md C-5): a bid not decrypted for reasons outside the bidder is deemed
    withdrawn, and the documents may define a remedy. Here: when the purchaser or agency records
    a failure as the platform's, the bidder may upload again the files it sealed (accepted only
    if their SHA-256 equals the receipt's) and give its price (accepted only if it matches the
    commitment sealed with the bid) within a window. No key is held by the platform for this.
    """

    lot = models.OneToOneField(
        Lot, verbose_name=_("lot"), on_delete=models.CASCADE, related_name="opening_rules"
    )
    reupload_on_platform_failure = models.BooleanField(
        _("re-upload after a platform failure"),
        default=False,
        help_text=_(
            "When a bid cannot be decrypted because the platform damaged or lost its sealed "
            "data, the bidder may upload the same files again (checked against the SHA-256 on "
            "its receipt) and give its price (checked against the commitment sealed with it)."
        ),
    )
    reupload_window_minutes = models.PositiveSmallIntegerField(
        _("re-upload window (minutes)"), default=60
    )
    history = HistoricalRecords()
    # Set by services before save(); simple-history puts them on the historical row.
    _history_user: User | None
    _change_reason: str

    class Meta:
        verbose_name = _("opening rules")
        verbose_name_plural = _("opening rules")

    def __str__(self) -> str:
        return str(self.lot)

    @classmethod
    def of(cls, lot: Lot) -> OpeningRules:
        """The lot's rules, or the defaults (no remedy) when none were set."""
        return cls.objects.filter(lot=lot).first() or cls(lot=lot)


class ResponseKind(models.TextChoices):
    CONFIRM = "confirm", _("Confirmed")
    OBJECT = "object", _("Objection")


class OpeningResponse(models.Model):
    """A bidder's confirmation of the opening record, or its objection (O87 Art 42)."""

    opening = models.ForeignKey(
        Opening, verbose_name=_("opening"), on_delete=models.CASCADE, related_name="responses"
    )
    supplier = models.ForeignKey(
        Organisation, verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("response"), max_length=8, choices=ResponseKind.choices)
    text = models.TextField(_("objection"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("opening record response")
        verbose_name_plural = _("opening record responses")
        ordering = ["at"]
        constraints = [
            models.UniqueConstraint(fields=["opening", "supplier"], name="opening_one_response")
        ]

    def __str__(self) -> str:
        return f"{self.supplier} {self.get_kind_display()}"


class BiddingParameters(models.Model):
    """Opening rules the bureau may change in the admin (one row)."""

    min_bids_public_tender = models.PositiveSmallIntegerField(
        _("public tender: minimum bids for an opening"),
        default=3,
        help_text="《政府采购货物和服务招标投标管理办法》（财政部令第87号）第四十一条",
    )
    min_bids_other = models.PositiveSmallIntegerField(
        _("other competitive methods: minimum bids"),
        default=3,
        # Citations of Chinese regulations: proper names, the same in either language.
        help_text=(
            "《政府采购非招标采购方式管理办法》（财政部令第74号）第三十七条、第五十条；"
            "《政府采购竞争性磋商采购方式管理暂行办法》（财库〔2014〕214号）"
        ),
    )
    min_bids_single_source = models.PositiveSmallIntegerField(
        _("single source: minimum bids"), default=1
    )
    confirmation_window_minutes = models.PositiveSmallIntegerField(
        _("confirmation window (minutes)"),
        default=30,
        help_text=_("How long bidders have to confirm the opening record or object to it."),
    )
    max_failed_attempts = models.PositiveSmallIntegerField(
        _("wrong passphrases allowed per 5 minutes"), default=10
    )
    history = HistoricalRecords()
    # Set by services before save(); simple-history puts them on the historical row.
    _history_user: User | None
    _change_reason: str

    class Meta:
        verbose_name = _("bidding parameters")
        verbose_name_plural = _("bidding parameters")

    def __str__(self) -> str:
        return str(_("bidding parameters"))

    @classmethod
    def current(cls) -> BiddingParameters:
        return cls.objects.order_by("pk").first() or cls()

    def min_bids(self, method: str) -> int:
        if method == ProcurementMethod.PUBLIC_TENDER:
            return self.min_bids_public_tender
        if method == ProcurementMethod.SINGLE_SOURCE:
            return self.min_bids_single_source
        return self.min_bids_other
