"""Performance: delivery, acceptance (履约验收, RULES.md §9) and payment (资金支付, §10)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import User
from procurement.models import money_field

from .agreement import AcceptanceStage, Contract, ContractItem, InstalmentKind, PaymentInstalment


class Delivery(models.Model):
    """The supplier declares that it delivered (a stage of) the contract, with its documents."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="deliveries"
    )
    stage = models.ForeignKey(
        AcceptanceStage,
        verbose_name=_("acceptance stage"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    declared_at = models.DateTimeField(_("declared at"))
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("declared by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The Beijing date of delivery (交付): the payment term of PAY Art 9 runs from it.
    delivered_on = models.DateField(_("delivered on"))
    note = models.TextField(_("what was delivered"), blank=True)
    documents = models.ManyToManyField(
        "documents.StoredFile", verbose_name=_("delivery documents"), blank=True, related_name="+"
    )
    history = HistoricalRecords()
    _history_user: User | None
    _change_reason: str

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["contract", "declared_at"]

    def __str__(self) -> str:
        return f"{self.contract.number} {self.delivered_on}"


class AcceptanceResult(models.TextChoices):
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")
    PARTLY = "partly", _("Partly passed")


class Acceptance(models.Model):
    """The acceptance recorded by the purchaser against the plan (验收书, RULES.md G-1–G-4)."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="acceptances"
    )
    delivery = models.OneToOneField(
        Delivery, verbose_name=_("delivery"), on_delete=models.PROTECT, related_name="acceptance"
    )
    stage = models.ForeignKey(
        AcceptanceStage,
        verbose_name=_("acceptance stage"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="acceptances",
    )
    result = models.CharField(_("result"), max_length=8, choices=AcceptanceResult.choices)
    reasons = models.TextField(_("reasons"), blank=True)
    overall = models.TextField(_("overall evaluation"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    report_pdf = models.ForeignKey(
        "documents.StoredFile",
        verbose_name=_("acceptance report PDF"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    announcement = models.OneToOneField(
        "procurement.Announcement",
        verbose_name=_("acceptance announcement"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="acceptance",
    )
    history = HistoricalRecords()
    _history_user: User | None
    _change_reason: str

    class Meta:
        verbose_name = _("acceptance")
        verbose_name_plural = _("acceptances")
        ordering = ["contract", "recorded_at"]

    def __str__(self) -> str:
        return f"{self.contract.number} {self.get_result_display()}"


class AcceptanceCheck(models.Model):
    """One item or standard checked, and what was found (IR Art 45: each standard's status)."""

    acceptance = models.ForeignKey(
        Acceptance, verbose_name=_("acceptance"), on_delete=models.CASCADE, related_name="checks"
    )
    item = models.ForeignKey(
        ContractItem,
        verbose_name=_("contract item"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    what = models.CharField(_("what was checked"), max_length=300)
    passed = models.BooleanField(_("passed"))
    finding = models.TextField(_("finding"), blank=True)

    class Meta:
        verbose_name = _("item checked")
        verbose_name_plural = _("items checked")
        ordering = ["acceptance", "id"]

    def __str__(self) -> str:
        return self.what


class ParticipantKind(models.TextChoices):
    PURCHASER = "purchaser", _("Purchaser")
    SUPPLIER = "supplier", _("Supplier")
    EXPERT = "expert", _("Expert")
    RECIPIENT = "recipient", _("Service recipient or user")
    OTHER_BIDDER = "other_bidder", _("Other bidder")
    TESTING_BODY = "testing_body", _("Quality testing body")


class AcceptanceParticipant(models.Model):
    """Who took part in the acceptance and signs the report (GPL Art 41; G-1–G-4)."""

    acceptance = models.ForeignKey(
        Acceptance,
        verbose_name=_("acceptance"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    kind = models.CharField(_("taking part as"), max_length=16, choices=ParticipantKind.choices)
    name = models.CharField(_("name"), max_length=100)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    opinion = models.TextField(_("opinion"), blank=True)

    class Meta:
        verbose_name = _("acceptance participant")
        verbose_name_plural = _("acceptance participants")
        ordering = ["acceptance", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"


class Payment(models.Model):
    """A payment the purchaser made, with its voucher; the supplier confirms receipt. A record."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="payments"
    )
    instalment = models.ForeignKey(
        PaymentInstalment,
        verbose_name=_("instalment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
    )
    kind = models.CharField(_("kind"), max_length=8, choices=InstalmentKind.choices)
    amount = money_field(_("amount (yuan)"))
    voucher_number = models.CharField(_("payment voucher number"), max_length=64)
    paid_on = models.DateField(_("paid on"))
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_by_supplier_at = models.DateTimeField(
        _("receipt confirmed by the supplier at"), null=True, blank=True
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("receipt confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # PAY Art 17: interest owed on this payment when it came after the legal due date.
    late_interest = models.DecimalField(
        _("late interest (yuan)"), max_digits=16, decimal_places=2, default=0
    )
    history = HistoricalRecords()
    _history_user: User | None
    _change_reason: str

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["contract", "paid_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "voucher_number"], name="payment_voucher_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.voucher_number} {self.amount}"
