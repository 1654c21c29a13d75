"""The contract and what it agrees: template, parties, items, acceptance plan, payment schedule.

RULES.md §8 (F-1–F-9): the contract is drafted by the purchaser from the award and the tender's
terms on the bureau's model text (IR Art 47), commented on or accepted by the supplier, signed by
both (in either order, each signature a row of `Signature`), announced (IR Art 50) and filed
(GPL Art 47). Its amount is the winning price (O87 Art 71: no substantive change).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from accounts.models import Organisation, User
from common.models import TimeStampedModel
from procurement.models import Lot, ProcurementKind, money_field, percent_field

# D46 Art 14: "应当明确标注本合同为中小企业预留合同" — the words a contract won through an SME
# measure (a reserved project or lot, a consortium or a subcontract) carries.
SME_CLAUSE = "本合同为中小企业预留合同"


class ContractTemplate(TimeStampedModel):
    """A model contract text (合同范本) of the bureau, one version of it per row (IR Art 47).

    A contract keeps the version it was drafted on; a new version is a new row, so a contract
    drafted before the change still reads the text both parties saw.
    """

    kind = models.CharField(
        _("kind of procurement"), max_length=16, choices=ProcurementKind.choices
    )
    version = models.PositiveSmallIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    # Clauses in plain text; the contract page and PDF put the agreed data (parties, items,
    # amount, delivery, acceptance, payment) before them.
    body = models.TextField(_("general terms"))
    effective_from = models.DateField(_("in use from"))
    is_active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()
    _history_user: User | None
    _change_reason: str

    class Meta:
        verbose_name = _("model contract text")
        verbose_name_plural = _("model contract texts")
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="template_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class ContractState(models.TextChoices):
    DRAFTED = "drafted", _("Drafted")
    PURCHASER_SIGNED = "purchaser_signed", _("Signed by the purchaser")
    SUPPLIER_SIGNED = "supplier_signed", _("Signed by the supplier")
    SIGNED = "signed", pgettext_lazy("contract state", "Signed")
    DELIVERED = "delivered", _("Delivered")
    ACCEPTED = "accepted", pgettext_lazy("contract state", "Accepted")
    REJECTED = "rejected", _("Acceptance failed")
    PAID = "paid", _("Paid")
    CLOSED = "closed", pgettext_lazy("contract state", "Closed")
    TERMINATED = "terminated", _("Terminated")


UNSIGNED_STATES = (
    ContractState.DRAFTED,
    ContractState.PURCHASER_SIGNED,
    ContractState.SUPPLIER_SIGNED,
)
IN_FORCE_STATES = (
    ContractState.SIGNED,
    ContractState.DELIVERED,
    ContractState.ACCEPTED,
    ContractState.REJECTED,
    ContractState.PAID,
    ContractState.CLOSED,
)


class Party(models.TextChoices):
    PURCHASER = "purchaser", _("Purchaser")
    SUPPLIER = "supplier", _("Supplier")


class ContractQuerySet(models.QuerySet["Contract"]):
    def of_organisation(self, organisation_id: int) -> ContractQuerySet:
        return self.filter(
            models.Q(purchaser_id=organisation_id) | models.Q(supplier_id=organisation_id)
        )

    def in_force(self) -> ContractQuerySet:
        return self.filter(state__in=IN_FORCE_STATES)


class Contract(FSMModelMixin, TimeStampedModel):
    """A government procurement contract (政府采购合同) made from one award."""

    award = models.OneToOneField(
        "evaluation.Award",
        verbose_name=_("award"),
        on_delete=models.PROTECT,
        related_name="contract",
    )
    lot = models.ForeignKey(
        Lot, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="contracts"
    )
    number = models.CharField(_("contract number"), max_length=40, unique=True)
    title = models.CharField(_("contract title"), max_length=300)
    purchaser = models.ForeignKey(
        Organisation,
        verbose_name=_("purchaser"),
        on_delete=models.PROTECT,
        related_name="purchase_contracts",
    )
    supplier = models.ForeignKey(
        Organisation,
        verbose_name=_("supplier"),
        on_delete=models.PROTECT,
        related_name="supply_contracts",
    )
    template = models.ForeignKey(
        ContractTemplate,
        verbose_name=_("model contract text"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    # The winning price (the award's quoted price; the SME deductions were for evaluation only).
    amount = money_field(_("contract amount (yuan)"))
    # Delivery (F-2: term, place and manner of performance).
    delivery_place = models.CharField(_("place of delivery"), max_length=300)
    delivery_days = models.PositiveSmallIntegerField(
        _("delivery within (days after signing)"), validators=[MinValueValidator(1)]
    )
    delivery_terms = models.TextField(_("manner of delivery"), blank=True)
    # Acceptance as a payment condition, and its agreed period (PAY Art 9, RULES.md H-2): both
    # read by contracts.terms.payment_due.
    acceptance_condition = models.BooleanField(
        _("acceptance is a condition of payment"), default=True
    )
    acceptance_days = models.PositiveSmallIntegerField(
        _("agreed acceptance period (days after delivery)"),
        default=5,
        validators=[MinValueValidator(1)],
    )
    # The payment term agreed, days; None: the statutory 30 days (PAY Art 9, at most 60).
    term_days = models.PositiveSmallIntegerField(
        _("payment term (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Empty: 30 days. At most 60 days for an SME (保障中小企业款项支付条例 Art 9)."),
    )
    # PAY Art 17: an agreed rate (not below the 1-year LPR); None: 0.05 % a day.
    late_interest_daily_rate = models.DecimalField(
        _("agreed late-payment interest a day"),
        max_digits=7,
        decimal_places=6,
        null=True,
        blank=True,
    )
    # RULES.md §8.1: a per-project share, the bureau's "advance_payment_default" when drafted.
    advance_share = percent_field(
        # xgettext:no-python-format ("% o" would read as a conversion and break msgfmt)
        _("advance payment (% of the amount)"),
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    # Where the purchaser pays (the sole payee account once a bank finances it, RULES.md §8.2).
    supplier_bank_name = models.CharField(_("supplier's bank"), max_length=200)
    supplier_account_name = models.CharField(_("account name"), max_length=200)
    supplier_account_number = models.CharField(_("account number"), max_length=40)
    # D46 Art 14: won through an SME measure, the contract says SME_CLAUSE.
    sme_clause = models.BooleanField(_("reserved for SMEs (D46 Art 14)"), default=False)
    # The supplier declared itself an SME at signing (PAY Art 3): the payment clock of H-1 runs.
    supplier_is_sme = models.BooleanField(_("supplier is an SME"), default=False)
    # IR Art 50: state or trade secrets are left out of the contract announcement.
    secret_parts = models.TextField(
        _("parts left out of the announcement (state or trade secrets)"), blank=True
    )
    special_terms = models.TextField(_("special terms"), blank=True)
    state = FSMField(
        _("state"),
        max_length=20,
        choices=ContractState.choices,
        default=ContractState.DRAFTED,
        protected=True,
    )
    drafted_at = models.DateTimeField(_("drafted at"))
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The supplier's word on the draft; cleared when the purchaser changes the draft.
    supplier_accepted_at = models.DateTimeField(
        _("draft accepted by the supplier at"), null=True, blank=True
    )
    signed_at = models.DateTimeField(_("signed by both at"), null=True, blank=True)
    # The PDF both parties sign: rendered once when the first party signs, then only extended
    # by incremental updates (each a PAdES signature); the newest revision.
    pdf = models.ForeignKey(
        "documents.StoredFile",
        verbose_name=_("contract PDF"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    announcement = models.OneToOneField(
        "procurement.Announcement",
        verbose_name=_("contract announcement"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contract",
    )
    filed_at = models.DateTimeField(_("filed with the bureau at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("acceptance passed at"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid in full at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    terminated_at = models.DateTimeField(_("terminated at"), null=True, blank=True)
    termination_reason = models.TextField(_("reason for termination"), blank=True)
    history = HistoricalRecords()
    _history_user: User | None
    _change_reason: str

    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-drafted_at", "-id"]
        indexes = [models.Index(fields=["state", "signed_at"], name="contract_state_signed")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_signed(self) -> bool:
        return self.state in IN_FORCE_STATES

    def party_of(self, organisation_id: int | None) -> str | None:
        """Which party the organisation is, or None."""
        if organisation_id == self.purchaser_id:
            return Party.PURCHASER
        if organisation_id == self.supplier_id:
            return Party.SUPPLIER
        return None

    # Transitions: in-memory changes only (STYLE.md); contracts.services saves and logs them.

    @transition(field=state, source=ContractState.DRAFTED, target=ContractState.PURCHASER_SIGNED)
    def sign_first_as_purchaser(self) -> None:
        pass

    @transition(field=state, source=ContractState.DRAFTED, target=ContractState.SUPPLIER_SIGNED)
    def sign_first_as_supplier(self) -> None:
        pass

    @transition(
        field=state,
        source=[ContractState.PURCHASER_SIGNED, ContractState.SUPPLIER_SIGNED],
        target=ContractState.SIGNED,
    )
    def complete_signing(self, *, at) -> None:
        self.signed_at = at

    @transition(field=state, source=ContractState.SIGNED, target=ContractState.DELIVERED)
    def declare_delivery(self, *, at) -> None:
        self.delivered_at = at

    @transition(
        field=state,
        source=[ContractState.DELIVERED, ContractState.REJECTED],
        target=ContractState.ACCEPTED,
    )
    def pass_acceptance(self, *, at) -> None:
        self.accepted_at = at

    @transition(field=state, source=ContractState.DELIVERED, target=ContractState.REJECTED)
    def fail_acceptance(self) -> None:
        pass

    @transition(field=state, source=ContractState.REJECTED, target=ContractState.DELIVERED)
    def redeliver(self, *, at) -> None:
        self.delivered_at = at

    @transition(field=state, source=ContractState.ACCEPTED, target=ContractState.PAID)
    def pay_in_full(self, *, at) -> None:
        self.paid_at = at

    @transition(field=state, source=ContractState.PAID, target=ContractState.CLOSED)
    def close(self, *, at) -> None:
        self.closed_at = at

    @transition(
        field=state,
        source=[
            ContractState.SIGNED,
            ContractState.DELIVERED,
            ContractState.ACCEPTED,
            ContractState.REJECTED,
        ],
        target=ContractState.TERMINATED,
    )
    def terminate(self, *, at, reason: str) -> None:
        self.terminated_at = at
        self.termination_reason = reason


class ContractItem(models.Model):
    """One line of the contract's subject (标的): what, to which specification, how many, at what."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveSmallIntegerField(_("line"))
    name = models.CharField(_("item"), max_length=200)
    spec = models.TextField(_("specification and quality"), blank=True)
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=14,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0.001"))],
    )
    unit = models.CharField(_("unit"), max_length=20)
    unit_price = money_field(_("unit price (yuan)"))

    class Meta:
        verbose_name = _("contract item")
        verbose_name_plural = _("contract items")
        ordering = ["contract", "position"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "position"], name="contract_item_line")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def amount(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(Decimal("0.01"))


class AcceptancePlan(models.Model):
    """How the contract will be accepted (F-2 acceptance requirements; RULES.md G-1–G-4)."""

    contract = models.OneToOneField(
        Contract,
        verbose_name=_("contract"),
        on_delete=models.CASCADE,
        related_name="acceptance_plan",
    )
    method = models.TextField(_("acceptance method and standards"))
    # Who takes part beside the purchaser (and the supplier, who signs the report, G-4).
    with_experts = models.BooleanField(_("experts take part"), default=False)
    # G-2 (IR Art 45): a public service for the public invites its recipients and the result
    # is announced; G-4 (D205): users other than the purchaser are invited.
    with_recipients = models.BooleanField(_("service recipients or users take part"), default=False)
    # G-3 (O87 Art 74): other bidders of the project may be invited, their opinions on file.
    with_other_bidders = models.BooleanField(_("other bidders are invited"), default=False)
    # G-1 (GPL Art 41): large or complex projects invite a state-recognised testing body.
    with_testing_body = models.BooleanField(_("a quality testing body takes part"), default=False)
    testing_body = models.CharField(_("testing body"), max_length=200, blank=True)
    public_service = models.BooleanField(
        _("public service to the public (the result is announced, IR Art 45)"), default=False
    )

    class Meta:
        verbose_name = _("acceptance plan")
        verbose_name_plural = _("acceptance plans")

    def __str__(self) -> str:
        return str(self.contract)


class AcceptanceStage(models.Model):
    """A stage of acceptance where the contract is performed in stages (one stage otherwise)."""

    plan = models.ForeignKey(
        AcceptancePlan,
        verbose_name=_("acceptance plan"),
        on_delete=models.CASCADE,
        related_name="stages",
    )
    number = models.PositiveSmallIntegerField(_("stage"))
    name = models.CharField(_("name"), max_length=200)
    checks = models.TextField(_("what is checked"))

    class Meta:
        verbose_name = _("acceptance stage")
        verbose_name_plural = _("acceptance stages")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="acceptance_stage_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class InstalmentKind(models.TextChoices):
    ADVANCE = "advance", _("Advance payment")
    STAGE = "stage", _("Stage payment")
    FINAL = "final", _("Final payment")


class PaymentCondition(models.TextChoices):
    SIGNING = "signing", _("When the contract is signed")
    STAGE_ACCEPTED = "stage_accepted", _("When the stage is accepted")
    ACCEPTED = "accepted", _("When acceptance is passed")
    DELIVERED = "delivered", _("When delivered")


class PaymentInstalment(models.Model):
    """One payment of the schedule: advance, stage or final, its amount and its condition."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="instalments"
    )
    position = models.PositiveSmallIntegerField(_("instalment"))
    kind = models.CharField(_("kind"), max_length=8, choices=InstalmentKind.choices)
    share = percent_field(_("share of the amount (%)"))
    amount = money_field(_("amount (yuan)"))
    condition = models.CharField(_("condition"), max_length=16, choices=PaymentCondition.choices)
    stage = models.ForeignKey(
        AcceptanceStage,
        verbose_name=_("acceptance stage"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instalments",
    )
    # When its condition was met and the money became owed (signing for an advance, acceptance
    # for the rest): the one-day payment clock starts then (contracts.services.payment).
    owed_since = models.DateTimeField(_("owed since"), null=True, blank=True)
    # The last day of the legal term (保障中小企业款项支付条例 Art 9, contracts.terms.payment_due);
    # only for an SME supplier, and not for an advance (the term runs from delivery).
    legal_due_on = models.DateField(_("legal due date"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment instalment")
        verbose_name_plural = _("payment schedule")
        ordering = ["contract", "position"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "position"], name="instalment_position")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


class DraftComment(models.Model):
    """A word on the draft from either party (the supplier comments, the purchaser answers)."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("comment"))
    created = models.DateTimeField(_("written at"))

    class Meta:
        verbose_name = _("comment on the draft")
        verbose_name_plural = _("comments on the draft")
        ordering = ["contract", "created", "id"]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.text[:40]}"
