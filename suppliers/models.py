"""Supplier profiles: what the portal knows about a supplier beyond its organisation record."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Organisation, OrganisationKind
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
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("supplier profile")
        verbose_name_plural = _("supplier profiles")
        ordering = ["organisation__name"]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_size_class_display()})"
