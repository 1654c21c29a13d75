"""Forms of the supplier's profile page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SizeClass


class ProfileForm(forms.Form):
    size_class = forms.ChoiceField(label=_("Enterprise size"), choices=SizeClass.choices)
    bank_name = forms.CharField(label=_("Bank"), max_length=100, required=False)
    bank_account_name = forms.CharField(label=_("Account name"), max_length=200, required=False)
    bank_account_number = forms.RegexField(
        label=_("Account number"),
        max_length=40,
        required=False,
        regex=r"^[0-9 ]{6,40}$",
        error_messages={"invalid": _("Enter the account number in digits.")},
    )


class QualificationForm(forms.Form):
    name = forms.CharField(label=_("Qualification"), max_length=200)
    number = forms.CharField(label=_("Certificate number"), max_length=100, required=False)
    issued_by = forms.CharField(label=_("Issued by"), max_length=200, required=False)
    expires_on = forms.DateField(
        label=_("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    file = forms.FileField(label=_("Scanned document"), required=False)
