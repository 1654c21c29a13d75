"""Parsing and validation only: the points and comments of an evaluation, an appeal, a
decision. The rules (a comment for any deduction, the appeal window) are the services'."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Grade, Indicator, PartyKind
from .services import ItemValue


class PointsForm(forms.Form):
    """One points field and one comment field per indicator, filled with its full points."""

    def __init__(self, *args, indicators: list[Indicator], initial_points=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        initial_points = initial_points or {}
        for indicator in indicators:
            self.fields[f"points_{indicator.pk}"] = forms.DecimalField(
                label=f"{indicator.code} {indicator.title}",
                min_value=Decimal(0),
                max_value=indicator.points,
                decimal_places=2,
                initial=initial_points.get(indicator.pk, indicator.points),
            )
            self.fields[f"comment_{indicator.pk}"] = forms.CharField(
                label=_("Why points are deducted"), required=False, max_length=500
            )

    def rows(self):
        for indicator in self.indicators:
            yield indicator, self[f"points_{indicator.pk}"], self[f"comment_{indicator.pk}"]

    def values(self) -> dict[int, ItemValue]:
        return {
            indicator.pk: ItemValue(
                points=self.cleaned_data[f"points_{indicator.pk}"],
                comment=self.cleaned_data.get(f"comment_{indicator.pk}", ""),
            )
            for indicator in self.indicators
        }


class AppealForm(forms.Form):
    reasons = forms.CharField(
        label=_("Reasons of the appeal"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )


class DecisionForm(PointsForm):
    decision = forms.CharField(
        label=_("Decision and its reasons"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


class GradeFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Party"), choices=[("", _("All")), *PartyKind.choices], required=False
    )
    grade = forms.ChoiceField(
        label=_("Grade"), choices=[("", _("All")), *Grade.choices], required=False
    )
    q = forms.CharField(label=_("Name or code"), required=False, max_length=100)
