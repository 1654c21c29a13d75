"""Planning and disclosure: intentions, implementation plans, projects, lots and announcements.

The chain is intention (采购意向) → implementation plan (实施计划备案) → project with lots (分包)
→ announcements (公告). The Lot carries the procurement lifecycle of DESIGN.md; later apps
(bidding, evaluation, contracts, complaints) drive its later transitions.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import RETURN_VALUE, FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from accounts.models import Organisation, User
from common.links import link
from common.models import TimeStampedModel


def money_field(verbose_name, **kwargs) -> models.DecimalField:
    """Money is yuan in DecimalField(16, 2) (STYLE habit 8)."""
    return models.DecimalField(
        verbose_name,
        max_digits=16,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        **kwargs,
    )


def percent_field(verbose_name, **kwargs) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=5, decimal_places=2, **kwargs)


class ProcurementMethod(models.TextChoices):
    PUBLIC_TENDER = "public_tender", _("Public tender")
    COMPETITIVE_NEGOTIATION = "competitive_negotiation", _("Competitive negotiation")
    COMPETITIVE_CONSULTATION = "competitive_consultation", _("Competitive consultation")
    REQUEST_FOR_QUOTATION = "request_for_quotation", _("Request for quotation")
    SINGLE_SOURCE = "single_source", _("Single source")


class MethodGround(models.TextChoices):
    """The statutory grounds for a method other than public tender (GPL Arts 30–32, D214 Art 3)."""

    NEGOTIATION_TENDER_FAILED = (
        "negotiation_tender_failed",
        _("No supplier bid, no bid qualified, or the re-tender failed (GPL Art 30(1))"),
    )
    NEGOTIATION_COMPLEX = (
        "negotiation_complex",
        _("Technically complex or special: the specifications cannot be fixed (GPL Art 30(2))"),
    )
    NEGOTIATION_URGENT = (
        "negotiation_urgent",
        _("A tender would take too long for the user's urgent need (GPL Art 30(3))"),
    )
    NEGOTIATION_PRICE_UNKNOWN = (
        "negotiation_price_unknown",
        _("The total price cannot be calculated in advance (GPL Art 30(4))"),
    )
    CONSULTATION_SERVICES = (
        "consultation_services",
        _("Government purchase of services (财库〔2014〕214号 Art 3(1))"),
    )
    CONSULTATION_COMPLEX = (
        "consultation_complex",
        _(
            "Technically complex or special: the specifications cannot be fixed "
            "(财库〔2014〕214号 Art 3(2))"
        ),
    )
    CONSULTATION_PRICE_UNKNOWN = (
        "consultation_price_unknown",
        _(
            "Works of art, patents, proprietary technology, or service time or quantity unknown: "
            "the total price cannot be calculated in advance (财库〔2014〕214号 Art 3(3))"
        ),
    )
    CONSULTATION_RESEARCH = (
        "consultation_research",
        _(
            "Research with insufficient market competition, or the transfer of scientific "
            "results that needs support (财库〔2014〕214号 Art 3(4))"
        ),
    )
    CONSULTATION_WORKS = (
        "consultation_works",
        _(
            "Construction works that need not be tendered under the Bidding Law "
            "(财库〔2014〕214号 Art 3(5))"
        ),
    )
    QUOTATION_STANDARD_GOODS = (
        "quotation_standard_goods",
        _(
            "Goods of uniform specifications and standards, in ample stock, with little price "
            "change (GPL Art 32)"
        ),
    )
    SINGLE_SOURCE_ONLY_SUPPLIER = (
        "single_source_only_supplier",
        _("Only one supplier can provide it (GPL Art 31(1))"),
    )
    SINGLE_SOURCE_EMERGENCY = (
        "single_source_emergency",
        _("An unforeseeable emergency: it cannot be bought from another supplier (GPL Art 31(2))"),
    )
    SINGLE_SOURCE_FOLLOW_ON = (
        "single_source_follow_on",
        _(
            "A follow-on purchase from the original supplier for consistency or matching "
            "service, within ten percent of the original contract (GPL Art 31(3))"
        ),
    )


# Which grounds each method may rest on; public tender needs none (GPL Art 26).
METHOD_GROUNDS: dict[str, list[MethodGround]] = {
    ProcurementMethod.COMPETITIVE_NEGOTIATION: [
        MethodGround.NEGOTIATION_TENDER_FAILED,
        MethodGround.NEGOTIATION_COMPLEX,
        MethodGround.NEGOTIATION_URGENT,
        MethodGround.NEGOTIATION_PRICE_UNKNOWN,
    ],
    ProcurementMethod.COMPETITIVE_CONSULTATION: [
        MethodGround.CONSULTATION_SERVICES,
        MethodGround.CONSULTATION_COMPLEX,
        MethodGround.CONSULTATION_PRICE_UNKNOWN,
        MethodGround.CONSULTATION_RESEARCH,
        MethodGround.CONSULTATION_WORKS,
    ],
    ProcurementMethod.REQUEST_FOR_QUOTATION: [MethodGround.QUOTATION_STANDARD_GOODS],
    ProcurementMethod.SINGLE_SOURCE: [
        MethodGround.SINGLE_SOURCE_ONLY_SUPPLIER,
        MethodGround.SINGLE_SOURCE_EMERGENCY,
        MethodGround.SINGLE_SOURCE_FOLLOW_ON,
    ],
}


class ProcurementKind(models.TextChoices):
    """Goods, services or works: the legal ranges (price weight, SME deduction) depend on it."""

    GOODS = "goods", _("Goods")
    SERVICES = "services", _("Services")
    WORKS = "works", _("Works")


# --------------------------------------------------------------------------------------------
# Legal parameters


class LegalParameterUnit(models.TextChoices):
    CALENDAR_DAYS = "calendar_days", _("calendar days")
    WORKING_DAYS = "working_days", _("working days")
    PERCENT = "percent", _("percent")
    YUAN = "yuan", _("yuan")
    MINUTES = "minutes", _("minutes")


class LegalParameter(TimeStampedModel):
    """A legal number with its source and effective range (RULES.md §18), editable by the bureau.

    A key without a row in force falls back to the default in procurement/parameters.py, which
    holds the RULES.md value; a row overrides it from `effective_from` (inclusive) to
    `effective_to` (exclusive).
    """

    key = models.CharField(_("key"), max_length=64, db_index=True)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=16, choices=LegalParameterUnit.choices)
    label = models.CharField(_("label"), max_length=200)
    source = models.CharField(
        _("source"),
        max_length=200,
        help_text=_(
            "Regulation and article, cited in Chinese as in the messages that quote it, e.g. "
            "《中华人民共和国政府采购法》第三十五条."
        ),
    )
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective until"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()
    # Set by services before save(); simple-history puts them on the historical row.
    _history_user: User | None
    _change_reason: str

    class Meta:
        verbose_name = _("legal parameter")
        verbose_name_plural = _("legal parameters")
        ordering = ["key", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "effective_from"], name="legalparameter_unique_key_from"
            )
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.value} ({self.effective_from}–{self.effective_to or ''})"


# --------------------------------------------------------------------------------------------
# Intentions


class IntentionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", pgettext_lazy("status", "Published")


class IntentionQuerySet(models.QuerySet["ProcurementIntention"]):
    def published(self) -> IntentionQuerySet:
        return self.filter(status=IntentionStatus.PUBLISHED, published_at__isnull=False)


class ProcurementIntention(FSMModelMixin, TimeStampedModel):
    """A procurement intention (采购意向, 财库〔2020〕10号): public at least 30 days ahead."""

    purchaser = models.ForeignKey(
        Organisation,
        verbose_name=_("purchaser"),
        on_delete=models.PROTECT,
        related_name="procurement_intentions",
    )
    project_name = models.CharField(_("project name"), max_length=200)
    summary = models.TextField(_("requirement summary"))
    budget = money_field(_("budget (yuan)"))
    expected_month = models.DateField(
        _("expected month"), help_text=_("First day of the month the procurement should start.")
    )
    sme_reserved = models.BooleanField(_("reserved for small and medium enterprises"))
    contact_name = models.CharField(_("contact person"), max_length=100)
    contact_phone = models.CharField(_("contact phone"), max_length=32)
    remarks = models.TextField(_("remarks"), blank=True)
    status = FSMField(
        _("status"),
        max_length=16,
        choices=IntentionStatus.choices,
        default=IntentionStatus.DRAFT,
        protected=True,
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    # Copied from the purchaser at publication, so the public lists filter without a join.
    region_code = models.CharField(_("region code"), max_length=6, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()
    # Set by services before save(); simple-history puts them on the historical row.
    _history_user: User | None
    _change_reason: str

    objects = IntentionQuerySet.as_manager()

    class Meta:
        verbose_name = _("procurement intention")
        verbose_name_plural = _("procurement intentions")
        ordering = ["-published_at", "-id"]
        indexes = [
            # The public intention list: keyset pagination on (published_at, id).
            models.Index(fields=["-published_at", "-id"], name="intention_pub_idx"),
            models.Index(
                fields=["region_code", "-published_at", "-id"], name="intention_region_pub_idx"
            ),
            models.Index(
                fields=["purchaser", "-published_at", "-id"], name="intention_purch_pub_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.project_name

    @property
    def is_published(self) -> bool:
        return self.status == IntentionStatus.PUBLISHED

    def public_url(self) -> str:
        """The published intention's public page (served by the portal, common.links)."""
        return link("public_intention", self.pk)

    @transition(field=status, source=IntentionStatus.DRAFT, target=IntentionStatus.PUBLISHED)
    def publish(self, *, at) -> None:
        self.published_at = at
        self.region_code = self.purchaser.region_code


# --------------------------------------------------------------------------------------------
# Implementation plans


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for filing")
    FILED = "filed", _("Filed")
    RETURNED = "returned", _("Returned")


class SmeMode(models.TextChoices):
    """The SME decision of D46 Arts 6–8."""

    WHOLE = "whole", _("Whole project reserved for SMEs")
    SHARE = "share", _("A share reserved for SMEs")
    NONE = "none", _("Not reserved")


class ImplementationPlan(FSMModelMixin, TimeStampedModel):
    """An implementation plan (政府采购实施计划) filed with the finance bureau (IR Art 29)."""

    purchaser = models.ForeignKey(
        Organisation,
        verbose_name=_("purchaser"),
        on_delete=models.PROTECT,
        related_name="implementation_plans",
    )
    intention = models.ForeignKey(
        ProcurementIntention,
        verbose_name=_("procurement intention"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
    )
    # D10 lets urgent projects caused by unforeseeable reasons skip the intention notice.
    intention_exempt = models.BooleanField(
        _("exempt from intention disclosure (urgent, unforeseeable)"), default=False
    )
    exemption_reason = models.TextField(_("reason for the exemption"), blank=True)
    project_name = models.CharField(_("project name"), max_length=200)
    kind = models.CharField(
        _("kind of procurement"), max_length=16, choices=ProcurementKind.choices
    )
    method = models.CharField(
        _("procurement method"), max_length=32, choices=ProcurementMethod.choices
    )
    budget = money_field(_("budget (yuan)"))
    sme_mode = models.CharField(_("SME decision"), max_length=8, choices=SmeMode.choices)
    sme_share = percent_field(
        _("share reserved for SMEs (%)"),
        null=True,
        blank=True,
        help_text=_("Required when a share is reserved."),
    )
    sme_reasons = models.TextField(
        _("reasons for the SME decision"),
        blank=True,
        help_text=_("Required when the project is not wholly reserved."),
    )
    agency = models.ForeignKey(
        Organisation,
        verbose_name=_("entrusted agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entrusted_plans",
        limit_choices_to={"kind": "agency"},
    )
    # A method other than public tender rests on a statutory ground (GPL Arts 30–32, D214 Art 3);
    # at or above the public-tender threshold the bureau approves it first (GPL Art 27).
    method_ground = models.CharField(
        _("legal ground for the method"),
        max_length=40,
        choices=MethodGround.choices,
        blank=True,
    )
    method_reason = models.TextField(
        _("reasons for the method"),
        blank=True,
        help_text=_("Why the project meets the ground: the facts the bureau decides on."),
    )
    # Single source, follow-on purchase (GPL Art 31(3)): at most 10% of the original contract.
    original_contract_reference = models.CharField(
        _("original contract number"), max_length=100, blank=True
    )
    original_contract_amount = money_field(
        _("original contract amount (yuan)"), null=True, blank=True
    )
    status = FSMField(
        _("status"),
        max_length=16,
        choices=PlanStatus.choices,
        default=PlanStatus.DRAFT,
        protected=True,
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_reasons = models.TextField(_("reasons for returning"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()
    # Set by services before save(); simple-history puts them on the historical row.
    _history_user: User | None
    _change_reason: str

    class Meta:
        verbose_name = _("implementation plan")
        verbose_name_plural = _("implementation plans")
        ordering = ["-modified", "-id"]
        indexes = [models.Index(fields=["status", "submitted_at"], name="plan_status_idx")]

    def __str__(self) -> str:
        return self.project_name

    @property
    def is_editable(self) -> bool:
        return self.status in (PlanStatus.DRAFT, PlanStatus.RETURNED)

    @transition(
        field=status, source=[PlanStatus.DRAFT, PlanStatus.RETURNED], target=PlanStatus.SUBMITTED
    )
    def submit(self, *, at) -> None:
        self.submitted_at = at

    @transition(field=status, source=PlanStatus.SUBMITTED, target=PlanStatus.FILED)
    def file(self, *, at, by) -> None:
        self.filed_at = at
        self.filed_by = by
        self.return_reasons = ""

    @transition(field=status, source=PlanStatus.SUBMITTED, target=PlanStatus.RETURNED)
    def return_for_correction(self, *, at, reasons: str) -> None:
        self.returned_at = at
        self.return_reasons = reasons


class PlanLot(models.Model):
    """A lot (分包) as planned; the project's Lot is made from it."""

    plan = models.ForeignKey(
        ImplementationPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="lots"
    )
    number = models.PositiveSmallIntegerField(_("lot number"))
    name = models.CharField(_("lot name"), max_length=200)
    kind = models.CharField(
        _("kind of procurement"), max_length=16, choices=ProcurementKind.choices
    )
    budget = money_field(_("budget (yuan)"))
    sme_reserved = models.BooleanField(_("reserved for SMEs"), default=False)
    history = HistoricalRecords()
    # Set by services before save(); simple-history puts them on the historical row.
    _history_user: User | None
    _change_reason: str

    class Meta:
        verbose_name = _("planned lot")
        verbose_name_plural = _("planned lots")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="planlot_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class PlanDocument(TimeStampedModel):
    """A supporting document of a plan's method: expert opinions, the original contract, …"""

    plan = models.ForeignKey(
        ImplementationPlan,
        verbose_name=_("plan"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.ForeignKey(
        "documents.StoredFile", verbose_name=_("file"), on_delete=models.PROTECT, related_name="+"
    )
    # A request for approval keeps the documents it was made with; removing one from the plan
    # only stops offering it.
    is_current = models.BooleanField(_("current"), default=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()
    # Set by services before save(); simple-history puts them on the historical row.
    _history_user: User | None
    _change_reason: str

    class Meta:
        verbose_name = _("plan supporting document")
        verbose_name_plural = _("plan supporting documents")
        ordering = ["plan", "created", "id"]

    def __str__(self) -> str:
        return self.title


class MethodApprovalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the bureau's decision")
    APPROVED = "approved", pgettext_lazy("method approval", "Approved")
    REJECTED = "rejected", pgettext_lazy("method approval", "Not approved")
    RETURNED = "returned", _("Returned with the plan, undecided")


class MethodApprovalQuerySet(models.QuerySet["MethodApproval"]):
    def pending(self) -> MethodApprovalQuerySet:
        return self.filter(status=MethodApprovalStatus.PENDING)


class MethodApproval(FSMModelMixin, TimeStampedModel):
    """A request for the bureau's prior approval of a method other than public tender.

    变更政府采购方式审批 (GPL Art 27): one row each time a plan that needs it is submitted. What
    the purchaser asked for is copied from the plan, so a decision stays tied to the method,
    budget and ground it was made on; a decided row is never changed again.
    """

    plan = models.ForeignKey(
        ImplementationPlan,
        verbose_name=_("implementation plan"),
        on_delete=models.PROTECT,
        related_name="method_approvals",
    )
    method = models.CharField(
        _("procurement method"), max_length=32, choices=ProcurementMethod.choices
    )
    kind = models.CharField(
        _("kind of procurement"), max_length=16, choices=ProcurementKind.choices
    )
    budget = money_field(_("budget (yuan)"))
    threshold = money_field(_("public tender threshold in force (yuan)"))
    ground = models.CharField(
        _("legal ground for the method"), max_length=40, choices=MethodGround.choices
    )
    reason = models.TextField(_("reasons for the method"))
    original_contract_reference = models.CharField(
        _("original contract number"), max_length=100, blank=True
    )
    original_contract_amount = money_field(
        _("original contract amount (yuan)"), null=True, blank=True
    )
    documents = models.ManyToManyField(
        PlanDocument,
        verbose_name=_("supporting documents"),
        blank=True,
        related_name="method_approvals",
    )
    # Single source because only one supplier can provide it: the notice the request is made
    # with (O74 Art 38: 将公示情况一并报财政部门), so the bureau decides on notice, objections and
    # review together.
    single_source_notice = models.ForeignKey(
        "SingleSourceNotice",
        verbose_name=_("single source notice"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="method_approvals",
    )
    status = FSMField(
        _("status"),
        max_length=16,
        choices=MethodApprovalStatus.choices,
        default=MethodApprovalStatus.PENDING,
        protected=True,
    )
    requested_at = models.DateTimeField(_("requested at"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_reasons = models.TextField(_("bureau's opinion or reasons"), blank=True)
    history = HistoricalRecords()
    # Set by services before save(); simple-history puts them on the historical row.
    _history_user: User | None
    _change_reason: str

    objects = MethodApprovalQuerySet.as_manager()

    class Meta:
        verbose_name = _("method change approval")
        verbose_name_plural = _("method change approvals")
        ordering = ["-requested_at", "-id"]
        indexes = [
            # The bureau's list of requests waiting for a decision, oldest first.
            models.Index(fields=["status", "requested_at"], name="methodapproval_status_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["plan"],
                condition=models.Q(status="pending"),
                name="methodapproval_one_pending_per_plan",
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan} · {self.get_method_display()}"

    @property
    def is_decided(self) -> bool:
        return self.status in (MethodApprovalStatus.APPROVED, MethodApprovalStatus.REJECTED)

    def covers(self, plan: ImplementationPlan) -> bool:
        """An approval stands for the plan while method and ground are those approved and the
        budget is not higher."""
        return (
            self.status == MethodApprovalStatus.APPROVED
            and self.method == plan.method
            and self.ground == plan.method_ground
            and plan.budget <= self.budget
        )

    @transition(
        field=status, source=MethodApprovalStatus.PENDING, target=MethodApprovalStatus.APPROVED
    )
    def approve(self, *, at, by, opinion: str) -> None:
        self.decided_at = at
        self.decided_by = by
        self.decision_reasons = opinion

    @transition(
        field=status, source=MethodApprovalStatus.PENDING, target=MethodApprovalStatus.REJECTED
    )
    def reject(self, *, at, by, reasons: str) -> None:
        self.decided_at = at
        self.decided_by = by
        self.decision_reasons = reasons

    @transition(
        field=status, source=MethodApprovalStatus.PENDING, target=MethodApprovalStatus.RETURNED
    )
    def return_undecided(self) -> None:
        pass


# --------------------------------------------------------------------------------------------
# Projects and lots


class Project(TimeStampedModel):
    """A procurement project made from a filed plan; its status is derived from its lots."""

    plan = models.OneToOneField(
        ImplementationPlan,
        verbose_name=_("implementation plan"),
        on_delete=models.PROTECT,
        related_name="project",
    )
    code = models.CharField(_("project code"), max_length=32, unique=True)
    name = models.CharField(_("project name"), max_length=200)
    purchaser = models.ForeignKey(
        Organisation,
        verbose_name=_("purchaser"),
        on_delete=models.PROTECT,
        related_name="procurement_projects",
    )
    agency = models.ForeignKey(
        Organisation,
        verbose_name=_("entrusted agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entrusted_projects",
    )
    kind = models.CharField(
        _("kind of procurement"), max_length=16, choices=ProcurementKind.choices
    )
    method = models.CharField(
        _("procurement method"), max_length=32, choices=ProcurementMethod.choices
    )
    budget = money_field(_("budget (yuan)"))
    sme_mode = models.CharField(_("SME decision"), max_length=8, choices=SmeMode.choices)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()
    # Set by services before save(); simple-history puts them on the historical row.
    _history_user: User | None
    _change_reason: str

    class Meta:
        verbose_name = _("procurement project")
        verbose_name_plural = _("procurement projects")
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def intention(self) -> ProcurementIntention | None:
        return self.plan.intention


class CatalogueCategory(models.Model):
    """A category of the government procurement catalogue (政府采购品目分类目录, 财库〔2022〕31号),
    e.g. A02010104 台式计算机. A lot names one; an expert's specialties are such categories, and
    the expert draw matches a lot's category or any of its ancestors (experts.services.draw)."""

    code = models.CharField(_("catalogue code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    class Meta:
        verbose_name = _("catalogue category")
        verbose_name_plural = _("catalogue categories")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def lineage(self) -> list[CatalogueCategory]:
        """This category and its ancestors, nearest first."""
        out: list[CatalogueCategory] = []
        node: CatalogueCategory | None = self
        while node is not None and node not in out:
            out.append(node)
            node = node.parent
        return out


class LotState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ANNOUNCED = "announced", _("Announced")
    CLOSED = "closed", _("Bidding closed")
    OPENING = "opening", _("Opening")
    OPENED = "opened", _("Opened")
    EVALUATING = "evaluating", _("Evaluating")
    EVALUATED = "evaluated", _("Evaluated")
    AWARDED = "awarded", _("Awarded")
    FAILED = "failed", pgettext_lazy("lot state", "Failed")
    SUSPENDED = "suspended", _("Suspended")
    CANCELLED = "cancelled", pgettext_lazy("lot state", "Cancelled")


class EvaluationMethod(models.TextChoices):
    LOWEST_PRICE = "lowest_price", _("Lowest evaluated price")
    COMPREHENSIVE = "comprehensive", _("Comprehensive scoring")


# States from which a lot may be suspended (by a complaint) and to which it resumes.
SUSPENDABLE = [
    LotState.ANNOUNCED,
    LotState.CLOSED,
    LotState.OPENING,
    LotState.OPENED,
    LotState.EVALUATING,
    LotState.EVALUATED,
]
FAILABLE = [
    LotState.CLOSED,
    LotState.OPENING,
    LotState.OPENED,
    LotState.EVALUATING,
    LotState.EVALUATED,
]
CANCELLABLE = [LotState.DRAFT, LotState.SUSPENDED, *SUSPENDABLE]


class LotQuerySet(models.QuerySet["Lot"]):
    def open_for_bidding(self) -> LotQuerySet:
        return self.filter(state=LotState.ANNOUNCED)


class Lot(FSMModelMixin, TimeStampedModel):
    """A lot (分包): the unit that is bid, opened, evaluated and awarded (DESIGN.md lifecycle)."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="lots"
    )
    number = models.PositiveSmallIntegerField(_("lot number"))
    name = models.CharField(_("lot name"), max_length=200)
    kind = models.CharField(
        _("kind of procurement"), max_length=16, choices=ProcurementKind.choices
    )
    budget = money_field(_("budget (yuan)"))
    max_price = money_field(
        _("maximum price (yuan)"),
        null=True,
        blank=True,
        help_text=_("Optional; within the budget. A minimum price may not be set (O87 Art 12)."),
    )
    sme_reserved = models.BooleanField(_("reserved for SMEs"), default=False)
    category = models.ForeignKey(
        CatalogueCategory,
        verbose_name=_("catalogue category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lots",
        help_text=_("The procurement catalogue's category: the experts drawn specialise in it."),
    )
    qualification_requirements = models.TextField(_("qualification requirements"), blank=True)
    evaluation_method = models.CharField(
        _("evaluation method"),
        max_length=16,
        choices=EvaluationMethod.choices,
        default=EvaluationMethod.LOWEST_PRICE,
    )
    price_weight = percent_field(
        _("price weight (%)"),
        null=True,
        blank=True,
        help_text=_("Comprehensive scoring only: the points of the price score out of 100."),
    )
    sme_deduction = percent_field(
        _("small and micro enterprise price deduction (%)"),
        null=True,
        blank=True,
        help_text=_("For lots not reserved for SMEs (财库〔2022〕19号)."),
    )
    # Deadline: swept by the timers Clock "procurement.bid_deadline"; indexed for the lists.
    bid_deadline = models.DateTimeField(_("bid deadline"), null=True, blank=True, db_index=True)
    decryption_window_minutes = models.PositiveSmallIntegerField(
        _("decryption window (minutes)"), default=30
    )
    documents_issued_at = models.DateTimeField(
        _("tender documents issued at"), null=True, blank=True
    )
    # The end of the period the documents are provided (IR Art 31, O87 Art 18): set when the
    # lot is announced, extended by a correction; swept by the "procurement.documents_provision"
    # clock, which tells the staff when fewer than three suppliers obtained the documents.
    documents_until = models.DateTimeField(
        _("tender documents provided until"), null=True, blank=True
    )
    state = FSMField(
        _("state"), max_length=16, choices=LotState.choices, default=LotState.DRAFT, protected=True
    )
    state_before_suspension = models.CharField(
        _("state before suspension"), max_length=16, choices=LotState.choices, blank=True
    )
    announced_at = models.DateTimeField(_("announced at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("procurement cancelled at"), null=True, blank=True)
    history = HistoricalRecords()
    # Set by services before save(); simple-history puts them on the historical row.
    _history_user: User | None
    _change_reason: str

    objects = LotQuerySet.as_manager()

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="lot_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.project.code} / {self.number}. {self.name}"

    @property
    def opening_at(self):
        """The opening happens at the bid deadline (O87 Art 39)."""
        return self.bid_deadline

    # An announced lot (and any later state) has both moments: announce() sets the issue time,
    # announcing refuses a lot without a deadline (services.projects.lot_problems), and only a
    # draft lot's settings are edited. Code that works on such lots reads them through these.

    def announced_deadline(self) -> dt.datetime:
        """The bid deadline of a lot that has been announced."""
        if self.bid_deadline is None:
            raise ValueError(f"Lot {self.pk} ({self.state}) has no bid deadline.")
        return self.bid_deadline

    def accepts_bids(self, now: dt.datetime) -> bool:
        """Open for bids: announced and before its deadline (the clock closes it a moment
        later). The one rule for "open for bids" (procurement.status reads it)."""
        return (
            self.state == LotState.ANNOUNCED
            and self.bid_deadline is not None
            and now < (self.bid_deadline)
        )

    @property
    def is_cancellable(self) -> bool:
        """Whether the procurement of this lot can still be terminated (O87 Art 29)."""
        return self.state in CANCELLABLE

    def documents_provided(self, now: dt.datetime) -> bool:
        """Whether the documents are offered to suppliers now: announced and within the period."""
        return (
            self.state == LotState.ANNOUNCED
            and self.documents_until is not None
            and now < self.documents_until
        )

    def announced_issue_time(self) -> dt.datetime:
        """When the tender documents of a lot that has been announced were issued."""
        if self.documents_issued_at is None:
            raise ValueError(f"Lot {self.pk} ({self.state}) has no issue time of its documents.")
        return self.documents_issued_at

    # Transitions: in-memory changes only; services lock, guard, save and audit.

    @transition(field=state, source=LotState.DRAFT, target=LotState.ANNOUNCED)
    def announce(self, *, at) -> None:
        self.announced_at = at
        self.documents_issued_at = at

    @transition(field=state, source=LotState.ANNOUNCED, target=LotState.CLOSED)
    def close(self, *, at) -> None:
        self.closed_at = at

    @transition(field=state, source=LotState.CLOSED, target=LotState.OPENING)
    def start_opening(self) -> None:
        pass

    @transition(field=state, source=LotState.OPENING, target=LotState.OPENED)
    def finish_opening(self) -> None:
        pass

    @transition(field=state, source=LotState.OPENED, target=LotState.EVALUATING)
    def start_evaluation(self) -> None:
        pass

    @transition(field=state, source=LotState.EVALUATING, target=LotState.EVALUATED)
    def finish_evaluation(self) -> None:
        pass

    @transition(field=state, source=LotState.EVALUATED, target=LotState.AWARDED)
    def award(self) -> None:
        pass

    # evaluation.Award's one-to-one to the lot is named "award" too, and its reverse accessor
    # replaces the method above on the class: the transition is called by this name.
    mark_awarded = award

    @transition(field=state, source=FAILABLE, target=LotState.FAILED)
    def fail(self) -> None:
        pass

    @transition(field=state, source=SUSPENDABLE, target=LotState.SUSPENDED)
    def suspend(self) -> None:
        self.state_before_suspension = self.state

    @transition(field=state, source=LotState.SUSPENDED, target=RETURN_VALUE(*SUSPENDABLE))
    def resume(self) -> str:
        previous = self.state_before_suspension
        self.state_before_suspension = ""
        return previous

    @transition(field=state, source=CANCELLABLE, target=LotState.CANCELLED)
    def cancel(self, *, at) -> None:
        self.cancelled_at = at


class EvaluationCriterion(models.Model):
    """A non-price scoring factor of a comprehensively scored lot; with the price weight, 100."""

    lot = models.ForeignKey(
        Lot, verbose_name=_("lot"), on_delete=models.CASCADE, related_name="criteria"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("factor"), max_length=200)
    points = models.DecimalField(
        _("points"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    description = models.TextField(_("how it is scored"), blank=True)

    class Meta:
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")
        ordering = ["lot", "position", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.points})"


class TenderDocument(TimeStampedModel):
    """A file of the tender documents (招标文件), for one lot or (lot empty) the whole project."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="documents"
    )
    lot = models.ForeignKey(
        Lot,
        verbose_name=_("lot"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        help_text=_("Empty: the document applies to every lot."),
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.ForeignKey(
        "documents.StoredFile", verbose_name=_("file"), on_delete=models.PROTECT, related_name="+"
    )
    # A correction may replace a document: the old one stays on record, no longer offered.
    is_current = models.BooleanField(_("current"), default=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()
    # Set by services before save(); simple-history puts them on the historical row.
    _history_user: User | None
    _change_reason: str

    class Meta:
        verbose_name = _("tender document")
        verbose_name_plural = _("tender documents")
        ordering = ["project", "lot__number", "created", "id"]

    def __str__(self) -> str:
        return self.title


# --------------------------------------------------------------------------------------------
# Announcements


class AnnouncementKind(models.TextChoices):
    TENDER = "tender", _("Tender announcement")
    CORRECTION = "correction", _("Correction announcement")
    CANCELLATION = "cancellation", _("Cancellation announcement")
    FAILURE = "failure", _("Failure announcement")
    CLARIFICATION = "clarification", _("Clarification announcement")
    RESULT = "result", _("Result announcement")
    CONTRACT = "contract", _("Contract announcement")
    # 验收结果公告 (IR Art 45; 财库〔2021〕22号 Art 24): a public service's acceptance result.
    ACCEPTANCE = "acceptance", _("Acceptance announcement")
    # 单一来源采购方式公示 (IR Art 38; O74 Art 38): published at plan stage, before a project.
    SINGLE_SOURCE_NOTICE = "single_source", _("Single source notice")
    # 投诉处理结果公告 (O94 Art 34; IR Art 58): the finance bureau's decision on a complaint.
    COMPLAINT_DECISION = "complaint", _("Complaint decision announcement")
    # 暂停政府采购活动公告 (O94 Art 28; GPL Art 57): the bureau suspends a procurement.
    SUSPENSION = "suspension", _("Suspension announcement")


class AnnouncementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", pgettext_lazy("status", "Published")


class AnnouncementQuerySet(models.QuerySet["Announcement"]):
    def published(self) -> AnnouncementQuerySet:
        return self.filter(status=AnnouncementStatus.PUBLISHED, published_at__isnull=False)


class Announcement(TimeStampedModel):
    """A public notice (公告), rendered from `data` (never free text that disagrees with it)."""

    kind = models.CharField(
        _("kind of announcement"), max_length=16, choices=AnnouncementKind.choices
    )
    # Empty only for a notice published at plan stage, before any project exists (the single
    # source notice); such a notice names its plan instead (constraint below).
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="announcements",
    )
    plan = models.ForeignKey(
        ImplementationPlan,
        verbose_name=_("implementation plan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="announcements",
    )
    lot = models.ForeignKey(
        Lot,
        verbose_name=_("lot"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="announcements",
    )
    title = models.CharField(_("title"), max_length=300)
    # Denormalised from the project so the public lists filter and sort on one table.
    purchaser = models.ForeignKey(
        Organisation, verbose_name=_("purchaser"), on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        Organisation,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    region_code = models.CharField(_("region code"), max_length=6)
    method = models.CharField(
        _("procurement method"), max_length=32, choices=ProcurementMethod.choices
    )
    budget = models.DecimalField(
        _("budget (yuan)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    # The lots the notice is about (a project's notice may concern some of its lots only): the
    # public lot page lists the notices of its lot.
    lots = models.ManyToManyField(
        Lot, verbose_name=_("lots concerned"), related_name="notices", blank=True
    )
    data = models.JSONField(_("structured content"), default=dict)
    pdf = models.ForeignKey(
        "documents.StoredFile",
        verbose_name=_("PDF"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    search_text = models.TextField(_("search text"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AnnouncementStatus.choices,
        default=AnnouncementStatus.DRAFT,
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()
    # Set by services before save(); simple-history puts them on the historical row.
    _history_user: User | None
    _change_reason: str

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-published_at", "-id"]
        indexes = [
            # The portal's keyset-paginated lists (portal/pagination.py) walk these.
            models.Index(fields=["-published_at", "-id"], name="announcement_pub_idx"),
            models.Index(fields=["kind", "-published_at", "-id"], name="announcement_kind_pub_idx"),
            models.Index(
                fields=["region_code", "-published_at", "-id"],
                name="announcement_region_pub_idx",
            ),
            models.Index(
                fields=["purchaser", "-published_at", "-id"], name="announcement_purch_pub_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(project__isnull=False) | models.Q(plan__isnull=False),
                name="announcement_project_or_plan",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """The notice's public page (served by the portal, common.links)."""
        return link("public_announcement", self.pk)

    @property
    def body_template(self) -> str:
        """The include-able fragment that renders this notice from `data`."""
        return f"procurement/announcements/{self.kind}.html"


# --------------------------------------------------------------------------------------------
# Clarification questions and document downloads


class ClarificationStatus(models.TextChoices):
    OPEN = "open", _("Waiting for an answer")
    ANSWERED = "answered", _("Answered and published")


class Clarification(TimeStampedModel):
    """A supplier's question about a lot; the answer is published to all, the asker to none."""

    lot = models.ForeignKey(
        Lot, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="clarifications"
    )
    supplier = models.ForeignKey(
        Organisation,
        verbose_name=_("supplier"),
        on_delete=models.PROTECT,
        related_name="procurement_questions",
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    question = models.TextField(_("question"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ClarificationStatus.choices,
        default=ClarificationStatus.OPEN,
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    announcement = models.ForeignKey(
        Announcement,
        verbose_name=_("clarification announcement"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clarifications",
    )
    history = HistoricalRecords()
    # Set by services before save(); simple-history puts them on the historical row.
    _history_user: User | None
    _change_reason: str

    class Meta:
        verbose_name = _("clarification question")
        verbose_name_plural = _("clarification questions")
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return self.question[:60]


class DocumentDownload(models.Model):
    """A supplier downloaded the tender documents: the list of potential bidders."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="downloads"
    )
    lot = models.ForeignKey(
        Lot,
        verbose_name=_("lot"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="downloads",
    )
    supplier = models.ForeignKey(
        Organisation,
        verbose_name=_("supplier"),
        on_delete=models.PROTECT,
        related_name="procurement_downloads",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    document = models.ForeignKey(
        TenderDocument,
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="downloads",
    )
    downloaded_at = models.DateTimeField(_("downloaded at"), db_index=True)

    class Meta:
        verbose_name = _("tender documents download")
        verbose_name_plural = _("tender documents downloads")
        ordering = ["-downloaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.supplier} @ {self.downloaded_at:%Y-%m-%d %H:%M}"


# --------------------------------------------------------------------------------------------
# Single source notices (单一来源采购方式公示) and the objections to them


class ReviewConclusion(models.TextChoices):
    """The purchaser's supplementary review of the objections (补充论证, O74 Art 40)."""

    UPHELD = "upheld", _("Objections upheld: another method must be used")
    NOT_UPHELD = "not_upheld", _("Objections not upheld")


class SingleSourceNotice(TimeStampedModel):
    """The public notice that single source is proposed because only one supplier can provide
    it (IR Art 38; O74 Arts 38–40), published from the plan before the bureau approves.

    What the notice says is its announcement's `data`, built once at publication from the
    purchaser's structured input; this row keeps the facts the rules ask: the period, the
    budget it was published for, and the purchaser's review of the objections. Its stage is
    derived from the moments and the conclusion (a fact is a date, DESIGN.md "Time").
    """

    plan = models.ForeignKey(
        ImplementationPlan,
        verbose_name=_("implementation plan"),
        on_delete=models.PROTECT,
        related_name="single_source_notices",
    )
    announcement = models.OneToOneField(
        Announcement,
        verbose_name=_("announcement"),
        on_delete=models.PROTECT,
        related_name="single_source_notice",
    )
    budget = money_field(_("budget noticed (yuan)"))
    supplier_name = models.CharField(_("proposed sole supplier"), max_length=200)
    period_start = models.DateTimeField(_("notice period starts"))
    # Objections are taken before this moment and the bureau approves from it on (read per
    # notice by the objection and approval services; no sweep reads it).
    period_end = models.DateTimeField(_("notice period ends"))
    # The review of objections is due by then (O74 Art 40); the timers Clock
    # "procurement.single_source_review" holds the deadline once an objection is filed.
    review_due = models.DateTimeField(_("review of objections due"))
    review_conclusion = models.CharField(
        _("review conclusion"), max_length=16, choices=ReviewConclusion.choices, blank=True
    )
    review_opinion = models.TextField(_("review opinion"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()
    # Set by services before save(); simple-history puts them on the historical row.
    _history_user: User | None
    _change_reason: str

    class Meta:
        verbose_name = _("single source notice")
        verbose_name_plural = _("single source notices")
        ordering = ["-period_start", "-id"]

    def __str__(self) -> str:
        return self.announcement.title

    def is_open(self, at: dt.datetime) -> bool:
        """Objections are taken until 24:00 of the period's last day (O74 Art 39)."""
        return at < self.period_end

    @property
    def is_reviewed(self) -> bool:
        return bool(self.review_conclusion)

    @property
    def is_upheld(self) -> bool:
        return self.review_conclusion == ReviewConclusion.UPHELD

    def covers(self, plan: ImplementationPlan) -> bool:
        """The notice stands for the plan while its objections were not upheld and the plan's
        budget is not higher than the budget noticed."""
        return self.plan_id == plan.pk and not self.is_upheld and plan.budget <= self.budget


class SingleSourceObjection(TimeStampedModel):
    """An objection to a single source notice (O74 Art 39): anyone's, in its period.

    A record: never changed after it is filed. The objector keeps the receipt page through
    the secret `token` in its address, which shows the review's conclusion once recorded
    (O74 Art 40: the objectors are told).
    """

    notice = models.ForeignKey(
        SingleSourceNotice,
        verbose_name=_("single source notice"),
        on_delete=models.PROTECT,
        related_name="objections",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    reference = models.CharField(_("reference number"), max_length=32, unique=True)
    token = models.CharField(_("receipt token"), max_length=64, unique=True, editable=False)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=100)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    text = models.TextField(_("objection"))
    attachment = models.ForeignKey(
        "documents.StoredFile",
        verbose_name=_("attachment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by (signed in)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    history = HistoricalRecords()
    # Set by services before save(); simple-history puts them on the historical row.
    _history_user: User | None
    _change_reason: str

    class Meta:
        verbose_name = _("objection to a single source notice")
        verbose_name_plural = _("objections to single source notices")
        ordering = ["notice", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "number"], name="singlesourceobjection_unique_number"
            )
        ]

    def __str__(self) -> str:
        return self.reference
