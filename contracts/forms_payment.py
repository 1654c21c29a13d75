"""Parsing only: a payment, a disputed part, a settlement (contracts.services.payment checks)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import InstalmentKind, PaymentInstalment


class _InstalmentChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.position}. {obj.get_kind_display()} · {obj.amount:,.2f}"


class PaymentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of payment"), choices=InstalmentKind.choices)
    instalment = _InstalmentChoice(
        label=_("Instalment of the schedule"),
        queryset=PaymentInstalment.objects.none(),
        required=False,
        help_text=_("Empty: the earliest instalment of this kind with an amount left to pay."),
    )
    voucher_number = forms.CharField(label=_("Payment voucher number"), max_length=64)
    paid_on = forms.DateField(
        label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=16, decimal_places=2)

    def __init__(self, *args, contract, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instalment"].queryset = contract.instalments.order_by("position")  # type: ignore[attr-defined]


class DisputeForm(forms.Form):
    instalment = _InstalmentChoice(
        label=_("Instalment of the schedule"), queryset=PaymentInstalment.objects.none()
    )
    amount = forms.DecimalField(label=_("Disputed amount (yuan)"), max_digits=16, decimal_places=2)
    reason = forms.CharField(
        label=_("What is disputed and why"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, contract, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instalment"].queryset = contract.instalments.order_by("position")  # type: ignore[attr-defined]


class SettleForm(forms.Form):
    settlement = forms.CharField(
        label=_("How the dispute was settled"), widget=forms.Textarea(attrs={"rows": 2})
    )
