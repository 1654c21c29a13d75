"""Forms of the review pages: parsing only, each returning typed values for a service."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import InvalidGround

# A member finds a bid invalid on these grounds; qualification, a price above the ceiling and
# an unjustified low price are found by their own steps.
COMMITTEE_GROUNDS = [
    (value, label)
    for value, label in InvalidGround.choices
    if value
    not in (InvalidGround.QUALIFICATION, InvalidGround.ABOVE_PRICE, InvalidGround.LOW_PRICE)
]


class DeclarationForm(forms.Form):
    no_conflict = forms.TypedChoiceField(
        label=_("Your declaration"),
        choices=[
            ("1", _("I have no conflict of interest with any of these bidders")),
            ("0", _("I have a relation with a bidder and withdraw")),
        ],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    conflict_detail = forms.CharField(
        label=_("With which bidder, and how"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class QualificationForm(forms.Form):
    review = forms.IntegerField(widget=forms.HiddenInput)
    qualified = forms.TypedChoiceField(
        label=_("Qualification"),
        choices=[("1", _("Qualified")), ("0", _("Fails"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason it fails"), required=False)
    credit_checked_at = forms.DateTimeField(
        label=_("Credit records checked at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    credit_listed = forms.BooleanField(
        label=_("On a dishonesty list (信用中国 / 中国政府采购网)"), required=False
    )


class ComplianceForm(forms.Form):
    compliant = forms.TypedChoiceField(
        label=_("Finding"),
        choices=[("1", _("Compliant")), ("0", _("Invalid"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    ground = forms.ChoiceField(
        label=_("Ground (O87 Art 63)"), choices=[("", "—"), *COMMITTEE_GROUNDS], required=False
    )
    reason = forms.CharField(label=_("Reasons"), required=False)


class AskForm(forms.Form):
    question = forms.CharField(
        label=_("What the bidder is to explain and prove"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    due = forms.DateTimeField(
        label=_("Answer due"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class DecideForm(forms.Form):
    accepted = forms.TypedChoiceField(
        label=_("The committee's decision"),
        choices=[("1", _("Explanation accepted")), ("0", _("Not justified: the bid is invalid"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 2}))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ExplainForm(forms.Form):
    answer = forms.CharField(label=_("Your explanation"), widget=forms.Textarea(attrs={"rows": 5}))
    proof = MultipleFileField(label=_("Proof (PDF, Word, Excel, images, ZIP)"), required=False)
