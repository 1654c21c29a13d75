"""Contract financing (政府采购合同融资, "政采贷"): RULES.md §8.2, D46 Art 15.

A bank publishes products; a supplier with an award notice or a contract applies to one or more
banks; a bank's own rules approve at once, the rest wait for its officer on a clock. Approval
fixes the collection account (回款账户) the purchaser pays into: written into the contract before
signing, or by a published account-change supplement (合同账户变更补充协议) after it.
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
from procurement.models import money_field, percent_field

from .grades import GRADES

GRADE_CHOICES = [("", _("no minimum"))] + [(g, g) for g in GRADES]


class Product(TimeStampedModel):
    """A bank's financing product, published on the portal (RULES.md §8.2 workflow step 1)."""

    bank = models.ForeignKey(
        Organisation,
        verbose_name=_("bank"),
        on_delete=models.PROTECT,
        related_name="financing_products",
        limit_choices_to={"kind": "bank"},
    )
    name = models.CharField(_("product name"), max_length=120)
    # "Some banks lend 70–80 % of the contract value" (RULES.md §8.2, service levels).
    lend_share = percent_field(
        # xgettext:no-python-format
        _("lends at most (% of the contract)"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("100"))],
    )
    rate_min = models.DecimalField(_("lowest annual rate (%)"), max_digits=5, decimal_places=2)
    rate_max = models.DecimalField(_("highest annual rate (%)"), max_digits=5, decimal_places=2)
    term_months = models.PositiveSmallIntegerField(_("longest term (months)"))
    conditions = models.TextField(_("conditions"))
    # The bank's account the purchaser pays into once the bank lends (回款账户); an officer may
    # name another one when approving.
    collection_bank_name = models.CharField(_("collection account bank"), max_length=200)
    collection_account_name = models.CharField(_("collection account name"), max_length=200)
    collection_account_number = models.CharField(_("collection account number"), max_length=40)
    # The bank's automatic approval rule (issue 15 §2): all three must hold.
    auto_approve = models.BooleanField(_("approve by rule"), default=False)
    auto_max_share = percent_field(
        # xgettext:no-python-format
        _("rule: amount at most (% of the contract)"),
        default=Decimal("50"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    auto_min_grade = models.CharField(
        _("rule: credit grade at least"), max_length=1, choices=GRADE_CHOICES, blank=True
    )
    auto_min_on_time = percent_field(
        # xgettext:no-python-format
        _("rule: purchaser's on-time payment share at least (%)"),
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    is_published = models.BooleanField(_("published"), default=True)
    history = HistoricalRecords()
    _history_user: User | None
    _change_reason: str

    class Meta:
        verbose_name = _("financing product")
        verbose_name_plural = _("financing products")
        ordering = ["bank__name", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.bank.name} · {self.name}"


class ApplicationState(models.TextChoices):
    APPLIED = "applied", _("Applied")
    APPROVED = "approved", pgettext_lazy("financing", "Approved")
    DECLINED = "declined", pgettext_lazy("financing", "Declined")
    DISBURSED = "disbursed", _("Disbursed")
    REPAID = "repaid", _("Repaid")


# While the bank's money is out, its collection account is the contract's only payee account.
LOCKING_STATES = (ApplicationState.APPROVED, ApplicationState.DISBURSED)
# Approved once: the purchaser has the financing notice and sees the application.
NOTICE_STATES = (*LOCKING_STATES, ApplicationState.REPAID)


class ApplicationQuerySet(models.QuerySet["Application"]):
    def locking(self) -> ApplicationQuerySet:
        return self.filter(state__in=LOCKING_STATES)

    def granted(self) -> ApplicationQuerySet:
        return self.filter(state__in=(ApplicationState.DISBURSED, ApplicationState.REPAID))


class Application(FSMModelMixin, TimeStampedModel):
    """One supplier's application to one bank against one award (and its contract)."""

    number = models.CharField(_("application number"), max_length=30, unique=True)
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="applications"
    )
    bank = models.ForeignKey(
        Organisation,
        verbose_name=_("bank"),
        on_delete=models.PROTECT,
        related_name="financing_applications",
    )
    supplier = models.ForeignKey(
        Organisation,
        verbose_name=_("supplier"),
        on_delete=models.PROTECT,
        related_name="financing_requests",
    )
    purchaser = models.ForeignKey(
        Organisation,
        verbose_name=_("purchaser"),
        on_delete=models.PROTECT,
        related_name="financed_purchases",
    )
    award = models.ForeignKey(
        "evaluation.Award",
        verbose_name=_("award"),
        on_delete=models.PROTECT,
        related_name="financing_applications",
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="financing_applications",
    )
    amount = money_field(_("amount applied for (yuan)"))
    term_months = models.PositiveSmallIntegerField(_("term (months)"))
    # What the bank read when it decided (issue 15 §2), kept as it was then.
    contract_amount = money_field(_("contract (award) amount (yuan)"))
    supplier_grade = models.CharField(_("supplier's credit grade"), max_length=1, blank=True)
    purchaser_on_time = percent_field(
        _("purchaser's on-time payment share (%)"), null=True, blank=True
    )
    state = FSMField(
        _("state"),
        max_length=12,
        choices=ApplicationState.choices,
        default=ApplicationState.APPLIED,
        protected=True,
    )
    applied_at = models.DateTimeField(_("applied at"))
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applied by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # None with a decision: the bank's rule decided (approved by itself).
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    by_rule = models.BooleanField(_("approved by the bank's rule"), default=False)
    decision_note = models.TextField(_("decision note"), blank=True)
    approved_amount = money_field(_("approved amount (yuan)"), null=True, blank=True)
    rate = models.DecimalField(
        _("annual rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    collection_bank_name = models.CharField(
        _("collection account bank"), max_length=200, blank=True
    )
    collection_account_name = models.CharField(
        _("collection account name"), max_length=200, blank=True
    )
    collection_account_number = models.CharField(
        _("collection account number"), max_length=40, blank=True
    )
    disbursed_on = models.DateField(_("disbursed on"), null=True, blank=True)
    disbursed_amount = money_field(_("disbursed amount (yuan)"), null=True, blank=True)
    repaid_on = models.DateField(_("repaid on"), null=True, blank=True)
    repaid_amount = money_field(_("repaid amount (yuan)"), null=True, blank=True)
    history = HistoricalRecords()
    _history_user: User | None
    _change_reason: str

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("financing application")
        verbose_name_plural = _("financing applications")
        ordering = ["-applied_at", "-pk"]
        indexes = [models.Index(fields=["bank", "state"]), models.Index(fields=["award", "state"])]

    def __str__(self) -> str:
        return self.number

    @property
    def is_locking(self) -> bool:
        return self.state in LOCKING_STATES

    @property
    def current_contract(self):
        """The contract now: the one it applied with, or the one drafted from the award since."""
        return self.contract or getattr(self.award, "contract", None)

    @property
    def has_notice(self) -> bool:
        return self.state in NOTICE_STATES

    @property
    def may_decide(self) -> bool:
        return self.state == ApplicationState.APPLIED

    @property
    def may_disburse(self) -> bool:
        return self.state == ApplicationState.APPROVED

    @property
    def may_repay(self) -> bool:
        return self.state == ApplicationState.DISBURSED

    @transition(field=state, source=ApplicationState.APPLIED, target=ApplicationState.APPROVED)
    def approve(self) -> None:
        pass

    @transition(field=state, source=ApplicationState.APPLIED, target=ApplicationState.DECLINED)
    def decline(self) -> None:
        pass

    @transition(field=state, source=ApplicationState.APPROVED, target=ApplicationState.DISBURSED)
    def disburse(self) -> None:
        pass

    @transition(field=state, source=ApplicationState.DISBURSED, target=ApplicationState.REPAID)
    def repay(self) -> None:
        pass


class AccountChange(TimeStampedModel):
    """合同账户变更补充协议: after signing, the parties move the payee account to the bank's
    collection account by a supplement, which is published (RULES.md §8.2 step 3, 深圳)."""

    application = models.OneToOneField(
        Application,
        verbose_name=_("financing application"),
        on_delete=models.PROTECT,
        related_name="account_change",
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("contract"),
        on_delete=models.PROTECT,
        related_name="account_changes",
    )
    old_bank_name = models.CharField(_("former bank"), max_length=200)
    old_account_name = models.CharField(_("former account name"), max_length=200)
    old_account_number = models.CharField(_("former account number"), max_length=40)
    drafted_at = models.DateTimeField(_("drafted at"))
    purchaser_signed_at = models.DateTimeField(
        _("signed by the purchaser at"), null=True, blank=True
    )
    purchaser_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed for the purchaser by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    supplier_signed_at = models.DateTimeField(_("signed by the supplier at"), null=True, blank=True)
    supplier_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed for the supplier by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    history = HistoricalRecords()
    _history_user: User | None
    _change_reason: str

    class Meta:
        verbose_name = _("account-change supplement")
        verbose_name_plural = _("account-change supplements")
        ordering = ["-drafted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.application.number} · {self.contract.number}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None
