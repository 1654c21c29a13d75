"""Signatures and supplementary contracts (GPL Art 49), signed the way the contract is."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from accounts.models import Organisation, User
from common.models import TimeStampedModel

from .agreement import Contract, ContractItem, Party


class Signature(models.Model):
    """One party's signature of a document: who, for whom, when, and the exact PDF it signed.

    `signed_sha256` is the SHA-256 of the PDF the signer was shown and signed (the document as it
    stood before this signature); `signed_pdf` is the PDF with this party's PAdES signature added
    as an incremental update. A record: never changed once written.
    """

    contract = models.ForeignKey(
        Contract,
        verbose_name=_("contract"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signatures",
    )
    supplementary = models.ForeignKey(
        "contracts.SupplementaryContract",
        verbose_name=_("supplementary contract"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signatures",
    )
    acceptance = models.ForeignKey(
        "contracts.Acceptance",
        verbose_name=_("acceptance report"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signatures",
    )
    party = models.CharField(_("party"), max_length=12, choices=Party.choices)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed at"))
    signed_sha256 = models.CharField(_("SHA-256 of the PDF signed"), max_length=64)
    signed_pdf = models.ForeignKey(
        "documents.StoredFile",
        verbose_name=_("signed PDF"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    certificate_subject = models.CharField(_("certificate"), max_length=300)
    certificate_serial = models.CharField(_("certificate serial number"), max_length=64)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["signed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(contract__isnull=False, supplementary__isnull=True, acceptance__isnull=True)
                    | Q(contract__isnull=True, supplementary__isnull=False, acceptance__isnull=True)
                    | Q(contract__isnull=True, supplementary__isnull=True, acceptance__isnull=False)
                ),
                name="signature_of_one_document",
            ),
            models.UniqueConstraint(
                fields=["contract", "party"],
                condition=Q(contract__isnull=False),
                name="signature_one_per_party_contract",
            ),
            models.UniqueConstraint(
                fields=["supplementary", "party"],
                condition=Q(supplementary__isnull=False),
                name="signature_one_per_party_supplementary",
            ),
            models.UniqueConstraint(
                fields=["acceptance", "party"],
                condition=Q(acceptance__isnull=False),
                name="signature_one_per_party_acceptance",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.signed_at:%Y-%m-%d %H:%M}"


class SupplementaryState(models.TextChoices):
    DRAFTED = "drafted", _("Drafted")
    PURCHASER_SIGNED = "purchaser_signed", _("Signed by the purchaser")
    SUPPLIER_SIGNED = "supplier_signed", _("Signed by the supplier")
    SIGNED = "signed", pgettext_lazy("contract state", "Signed")


class SupplementaryContract(FSMModelMixin, TimeStampedModel):
    """An additional purchase of the contract's items on its terms (GPL Art 49, RULES.md F-8).

    "所有补充合同的采购金额不得超过原合同采购金额的百分之十": all of a contract's supplementary
    contracts together stay within 10 % of its amount (parameter "add_on_purchase_max").
    """

    contract = models.ForeignKey(
        Contract,
        verbose_name=_("contract"),
        on_delete=models.PROTECT,
        related_name="supplementaries",
    )
    number = models.PositiveSmallIntegerField(_("supplementary contract number"))
    reason = models.TextField(_("why more is needed"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=16, decimal_places=2)
    state = FSMField(
        _("state"),
        max_length=20,
        choices=SupplementaryState.choices,
        default=SupplementaryState.DRAFTED,
        protected=True,
    )
    drafted_at = models.DateTimeField(_("drafted at"))
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("signed by both at"), null=True, blank=True)
    pdf = models.ForeignKey(
        "documents.StoredFile",
        verbose_name=_("PDF"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()
    _history_user: User | None
    _change_reason: str

    class Meta:
        verbose_name = _("supplementary contract")
        verbose_name_plural = _("supplementary contracts")
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "number"], name="supplementary_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contract.number}-补{self.number}"

    @property
    def is_signed(self) -> bool:
        return self.state == SupplementaryState.SIGNED

    @transition(
        field=state, source=SupplementaryState.DRAFTED, target=SupplementaryState.PURCHASER_SIGNED
    )
    def sign_first_as_purchaser(self) -> None:
        pass

    @transition(
        field=state, source=SupplementaryState.DRAFTED, target=SupplementaryState.SUPPLIER_SIGNED
    )
    def sign_first_as_supplier(self) -> None:
        pass

    @transition(
        field=state,
        source=[SupplementaryState.PURCHASER_SIGNED, SupplementaryState.SUPPLIER_SIGNED],
        target=SupplementaryState.SIGNED,
    )
    def complete_signing(self, *, at) -> None:
        self.signed_at = at


class SupplementaryItem(models.Model):
    """More of a contract item, at its unit price (GPL Art 49: the other terms unchanged)."""

    supplementary = models.ForeignKey(
        SupplementaryContract,
        verbose_name=_("supplementary contract"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    item = models.ForeignKey(
        ContractItem, verbose_name=_("contract item"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(
        _("additional quantity"),
        max_digits=14,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0.001"))],
    )

    class Meta:
        verbose_name = _("supplementary item")
        verbose_name_plural = _("supplementary items")
        ordering = ["supplementary", "item__position"]

    def __str__(self) -> str:
        return f"{self.item.name} +{self.quantity}"

    @property
    def amount(self) -> Decimal:
        return (self.quantity * self.item.unit_price).quantize(Decimal("0.01"))
