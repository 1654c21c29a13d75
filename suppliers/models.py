"""Supplier profiles: what the portal knows about a supplier beyond its organisation record."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Organisation, OrganisationKind, User
from common.models import TimeStampedModel


class SizeClass(models.TextChoices):
    """Enterprise size under 工信部联企业〔2011〕300号 (RULES.md §6.5).

    Large firms may bid too, so they need a truthful choice; only small and micro firms get the
    price deduction, and medium ones the other SME measures (RULES.md §6.4).
    """

    LARGE = "large", _("Large enterprise")
    MEDIUM = "medium", _("Medium enterprise")
    SMALL = "small", _("Small enterprise")
    MICRO = "micro", _("Micro enterprise")


class Industry(models.TextChoices):
    """The industries of the SME classification standard (工信部联企业〔2011〕300号 Art 4).

    The purchaser's documents name the industry of each item; the SME declaration letter
    (财库〔2020〕46号 annex) states it, and the size thresholds differ by industry.
    """

    AGRICULTURE = "agriculture", _("Agriculture, forestry, animal husbandry and fishery")
    INDUSTRY = "industry", _("Industry (mining, manufacturing, utilities)")
    CONSTRUCTION = "construction", _("Construction")
    WHOLESALE = "wholesale", _("Wholesale")
    RETAIL = "retail", _("Retail")
    TRANSPORT = "transport", _("Transport (except railways)")
    WAREHOUSING = "warehousing", _("Warehousing")
    POSTAL = "postal", _("Postal services")
    ACCOMMODATION = "accommodation", _("Accommodation")
    CATERING = "catering", _("Catering")
    INFORMATION = "information", _("Information transmission")
    SOFTWARE = "software", _("Software and information technology services")
    REAL_ESTATE = "real_estate", _("Real estate development")
    PROPERTY = "property", _("Property management")
    LEASING = "leasing", _("Leasing and business services")
    OTHER = "other", _("Other industries not listed")


class SupplierProfile(TimeStampedModel):
    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("supplier"),
        on_delete=models.CASCADE,
        related_name="supplier_profile",
        limit_choices_to={"kind": OrganisationKind.SUPPLIER},
    )
    size_class = models.CharField(
        _("enterprise size"),
        max_length=16,
        choices=SizeClass.choices,
        help_text=_(
            "As the supplier declares it under the SME classification standard "
            "(工信部联企业〔2011〕300号)."
        ),
    )
    # Last year's figures as the SME declaration letter states them (D46 annex); the bid form
    # prefills the supplier's own line of the letter from them. Optional: a firm founded this
    # year has none.
    industry = models.CharField(
        _("main industry"), max_length=16, choices=Industry.choices, blank=True
    )
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    revenue = models.DecimalField(
        _("operating revenue (10,000 yuan)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
    )
    total_assets = models.DecimalField(
        _("total assets (10,000 yuan)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    figures_year = models.PositiveSmallIntegerField(_("year of the figures"), null=True, blank=True)
    # The account the purchaser pays into (and a bank finances against); shown on the profile.
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    bank_account_name = models.CharField(_("account name"), max_length=200, blank=True)
    bank_account_number = models.CharField(_("account number"), max_length=40, blank=True)
    history = HistoricalRecords()
    # Set by services before save(); simple-history puts them on the historical row.
    _history_user: User | None
    _change_reason: str

    class Meta:
        verbose_name = _("supplier profile")
        verbose_name_plural = _("supplier profiles")
        ordering = ["organisation__name"]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_size_class_display()})"


class QualificationQuerySet(models.QuerySet["Qualification"]):
    def expired(self, on) -> QualificationQuerySet:
        return self.filter(expires_on__lt=on)


class Qualification(TimeStampedModel):
    """A qualification document (licence, certificate) the supplier holds, with its expiry."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("supplier"),
        on_delete=models.CASCADE,
        related_name="qualifications",
        limit_choices_to={"kind": OrganisationKind.SUPPLIER},
    )
    name = models.CharField(_("qualification"), max_length=200)
    number = models.CharField(_("certificate number"), max_length=100, blank=True)
    issued_by = models.CharField(_("issued by"), max_length=200, blank=True)
    # Read by the bid page and the supplier's home to warn before an expired one is relied on.
    expires_on = models.DateField(_("valid until"), null=True, blank=True, db_index=True)
    file = models.ForeignKey(
        "documents.StoredFile",
        verbose_name=_("scanned document"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()
    # Set by services before save(); simple-history puts them on the historical row.
    _history_user: User | None
    _change_reason: str

    objects = QualificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        ordering = ["organisation", "expires_on", "name"]

    def __str__(self) -> str:
        return self.name

    def is_expired(self, on) -> bool:
        return self.expires_on is not None and self.expires_on < on
