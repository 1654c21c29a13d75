"""The 832 reserve (脱贫地区农副产品预留份额, RULES.md §18.1): each budget unit declares its annual
reserve and imports its orders from the 832 platform's export; the bureau follows the progress."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Organisation, User
from procurement.models import money_field, percent_field


class Reserve(models.Model):
    """A unit's reserve for a year: canteen food budget × ratio, or union funds × ratio."""

    unit = models.ForeignKey(
        Organisation,
        verbose_name=_("budget unit"),
        on_delete=models.PROTECT,
        related_name="reserves_832",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    has_canteen = models.BooleanField(_("has a canteen"), default=True)
    # The base: the canteen's annual food budget, or the union funds where there is no canteen.
    base = money_field(_("canteen food budget or union funds (yuan)"))
    ratio = percent_field(_("ratio (%)"))
    amount = money_field(_("reserved amount (yuan)"))
    declared_at = models.DateTimeField(_("declared at"))
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("declared by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()
    _history_user: User | None
    _change_reason: str

    class Meta:
        verbose_name = _("832 reserve")
        verbose_name_plural = _("832 reserves")
        ordering = ["-year", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="reserve_832_once")]

    def __str__(self) -> str:
        return f"{self.unit.name} {self.year}"


class Order(models.Model):
    """One order on the 832 platform, imported from its export; completed when received."""

    unit = models.ForeignKey(
        Organisation,
        verbose_name=_("budget unit"),
        on_delete=models.PROTECT,
        related_name="orders_832",
    )
    number = models.CharField(_("order number"), max_length=40, unique=True)
    ordered_on = models.DateField(_("ordered on"))
    seller = models.CharField(_("seller"), max_length=200)
    amount = money_field(_("amount (yuan)"))
    completed = models.BooleanField(_("completed"), default=False)
    imported_at = models.DateTimeField(_("imported at"))

    class Meta:
        verbose_name = _("832 order")
        verbose_name_plural = _("832 orders")
        ordering = ["-ordered_on", "number"]
        indexes = [models.Index(fields=["unit", "ordered_on"])]

    def __str__(self) -> str:
        return self.number
