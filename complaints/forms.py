"""Parsing and validation of the inquiry, question and reply forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import QuestionOutcome, QuestionTarget


class InquiryForm(forms.Form):
    text = forms.CharField(
        label=_("inquiry"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("answer"), widget=forms.Textarea(attrs={"rows": 4}))


class QuestionForm(forms.Form):
    """The question letter (质疑函), with the content of O94 Art 12."""

    target = forms.ChoiceField(label=_("what is questioned"), choices=QuestionTarget.choices)
    step_ended_on = forms.DateField(
        label=_("day the procedural step ended"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For a question about the procedure only (IR Art 53 (2))."),
    )
    address = forms.CharField(label=_("address"), max_length=200)
    postcode = forms.RegexField(label=_("postcode"), regex=r"^\d{6}$", max_length=6)
    contact = forms.CharField(label=_("contact person"), max_length=50)
    phone = forms.CharField(label=_("telephone"), max_length=30)
    items = forms.CharField(
        label=_("questioned items and requests"), widget=forms.Textarea(attrs={"rows": 3})
    )
    facts = forms.CharField(label=_("facts"), widget=forms.Textarea(attrs={"rows": 3}))
    legal_basis = forms.CharField(
        label=_("legal basis"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    signatory = forms.CharField(
        label=_("signed by (legal representative or authorised person)"), max_length=50
    )
    attachment = forms.FileField(
        label=_("supporting materials (PDF, at most 20 MB)"), required=False
    )

    def clean(self):
        data = super().clean() or {}
        if data.get("target") == QuestionTarget.PROCEDURE and not data.get("step_ended_on"):
            self.add_error("step_ended_on", _("Give the day the step questioned ended."))
        return data


class ReplyForm(forms.Form):
    """The reply (质疑答复), with the content of O94 Art 15."""

    outcome = forms.ChoiceField(label=_("finding"), choices=QuestionOutcome.choices)
    reply = forms.CharField(label=_("reply"), widget=forms.Textarea(attrs={"rows": 4}))
    facts = forms.CharField(label=_("facts"), widget=forms.Textarea(attrs={"rows": 3}))
    legal_basis = forms.CharField(
        label=_("legal basis"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
