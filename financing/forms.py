"""Parsing only: a product, an application, a decision, money recorded (services check rules)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Product

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = [
            "name",
            "lend_share",
            "rate_min",
            "rate_max",
            "term_months",
            "conditions",
            "collection_bank_name",
            "collection_account_name",
            "collection_account_number",
            "auto_approve",
            "auto_max_share",
            "auto_min_grade",
            "auto_min_on_time",
            "is_published",
        ]
        widgets = {"conditions": forms.Textarea(attrs={"rows": 3})}


class _ProductChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return _(
            "%(bank)s · %(name)s: up to %(share)s%% of the contract, %(low)s–%(high)s%% a year, %(months)s months"
        ) % {
            "bank": obj.bank.name,
            "name": obj.name,
            "share": f"{obj.lend_share:g}",
            "low": f"{obj.rate_min:g}",
            "high": f"{obj.rate_max:g}",
            "months": obj.term_months,
        }


class ApplyForm(forms.Form):
    products = _ProductChoice(
        label=_("Banks' products (one or more banks)"),
        queryset=Product.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=16, decimal_places=2)
    term_months = forms.IntegerField(label=_("Term (months)"), min_value=1, max_value=120)

    def __init__(self, *args, products, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["products"].queryset = products  # type: ignore[attr-defined]


class AccountForm(forms.Form):
    bank_name = forms.CharField(label=_("Collection account bank"), max_length=200)
    account_name = forms.CharField(label=_("Collection account name"), max_length=200)
    account_number = forms.CharField(label=_("Collection account number"), max_length=40)


class ApproveForm(AccountForm):
    amount = forms.DecimalField(label=_("Approved amount (yuan)"), max_digits=16, decimal_places=2)
    rate = forms.DecimalField(label=_("Annual rate (%)"), max_digits=5, decimal_places=2)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DeclineForm(forms.Form):
    note = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class MoneyForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=16, decimal_places=2)
    on = forms.DateField(label=_("Date"), widget=DATE)


class PasswordForm(forms.Form):
    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput)
