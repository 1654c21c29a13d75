"""Parsing only: the delivery form gives DeliveryValues, the acceptance forms AcceptanceValues."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bidding.forms import MultipleFileField, MultipleFileInput
from common.forms import FileNoticeMixin

from .models import AcceptanceResult, ParticipantKind
from .services.acceptance import (
    AcceptanceValues,
    CheckValues,
    DeliveryValues,
    ParticipantValues,
)

YES, NO = "yes", "no"


class DeliveryForm(FileNoticeMixin, forms.Form):
    delivered_on = forms.DateField(
        label=_("Delivered on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=_("What was delivered"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    documents = MultipleFileField(
        label=_("Delivery documents"),
        help_text=_("The delivery note, packing list, test certificates: PDF, images or Word."),
        widget=MultipleFileInput(),
        error_messages={"required": _("Attach the delivery documents.")},
    )

    def values(self) -> DeliveryValues:
        return DeliveryValues(
            delivered_on=self.cleaned_data["delivered_on"],
            note=self.cleaned_data["note"],
            documents=self.cleaned_data["documents"],
        )


class AcceptanceForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Result"), choices=AcceptanceResult.choices, widget=forms.RadioSelect
    )
    reasons = forms.CharField(
        label=_("Reasons (when not passed)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    overall = forms.CharField(
        label=_("Overall evaluation"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    password = forms.CharField(
        label=_("Your sign-in password (you sign the acceptance report)"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CheckForm(forms.Form):
    item_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    what = forms.CharField(label=_("What was checked"), max_length=300)
    passed = forms.ChoiceField(
        label=_("Passed?"),
        choices=[("", "—"), (YES, _("Passed")), (NO, _("Not passed"))],
    )
    finding = forms.CharField(
        label=_("Finding"), required=False, widget=forms.Textarea(attrs={"rows": 1})
    )


class ParticipantForm(forms.Form):
    # An empty first choice: a spare row left blank is not a participant.
    kind = forms.ChoiceField(
        label=_("Taking part as"), choices=[("", "—"), *ParticipantKind.choices]
    )
    name = forms.CharField(label=_("Name"), max_length=100)
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    opinion = forms.CharField(
        label=_("Opinion"), required=False, widget=forms.Textarea(attrs={"rows": 1})
    )


CheckFormSet = forms.formset_factory(CheckForm, extra=1, max_num=100)
ParticipantFormSet = forms.formset_factory(ParticipantForm, extra=2, max_num=50)


def _filled(formset) -> list[dict]:
    return [
        f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


def acceptance_values(form, checks, participants) -> AcceptanceValues:
    data = form.cleaned_data
    return AcceptanceValues(
        result=data["result"],
        reasons=data["reasons"],
        overall=data["overall"],
        checks=[
            CheckValues(
                item_id=c.get("item_id"),
                what=c["what"],
                passed=c["passed"] == YES,
                finding=c.get("finding", ""),
            )
            for c in _filled(checks)
        ],
        participants=[
            ParticipantValues(
                kind=p["kind"],
                name=p["name"],
                organisation_name=p.get("organisation_name", ""),
                opinion=p.get("opinion", ""),
            )
            for p in _filled(participants)
        ],
    )
