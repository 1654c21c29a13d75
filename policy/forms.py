"""Parsing only: a reserve declaration, an order file."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ReserveForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2021, max_value=2100)
    has_canteen = forms.BooleanField(label=_("The unit has a canteen"), required=False)
    base = forms.DecimalField(
        label=_("Canteen's annual food budget, or union funds without a canteen (yuan)"),
        max_digits=16,
        decimal_places=2,
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Order export of the 832 platform (CSV or Excel .xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload
