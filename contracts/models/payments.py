"""A part of an amount the purchaser disputes (保障中小企业款项支付条例 Arts 11–15, RULES.md H-4).

The disputed part is held back with its reason; the undisputed part stays owed and on the clock.
When the dispute is settled the part is owed again. A record: changed only by the services.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import User
from procurement.models import money_field

from .agreement import Contract, PaymentInstalment


class PaymentDisputeQuerySet(models.QuerySet["PaymentDispute"]):
    def open(self) -> PaymentDisputeQuerySet:
        return self.filter(settled_at__isnull=True)


class PaymentDispute(models.Model):
    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="disputes"
    )
    instalment = models.ForeignKey(
        PaymentInstalment,
        verbose_name=_("instalment"),
        on_delete=models.PROTECT,
        related_name="disputes",
    )
    amount = money_field(_("disputed amount (yuan)"))
    reason = models.TextField(_("reason"))
    raised_at = models.DateTimeField(_("raised at"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("settled by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    settlement = models.TextField(_("how it was settled"), blank=True)
    history = HistoricalRecords()
    _history_user: User | None
    _change_reason: str

    objects = PaymentDisputeQuerySet.as_manager()

    class Meta:
        verbose_name = _("disputed part of a payment")
        verbose_name_plural = _("disputed parts of payments")
        ordering = ["contract", "raised_at", "id"]

    def __str__(self) -> str:
        return f"{self.contract.number} {self.amount}"

    @property
    def is_open(self) -> bool:
        return self.settled_at is None
