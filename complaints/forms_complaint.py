"""Parsing and validation of the complaint forms (O94 Arts 18, 21, 22, 29-33)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ComplaintOutcome, Consequence, DismissalGround, ReferralKind, RefusalKind


def _text(label, rows=3, required=True):
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows})
    )


class ComplaintForm(forms.Form):
    """The complaint (投诉书), with the content of O94 Art 18."""

    address = forms.CharField(label=_("your address"), max_length=200)
    postcode = forms.RegexField(label=_("your postcode"), regex=r"^\d{6}$", max_length=6)
    contact = forms.CharField(label=_("your contact person"), max_length=50)
    phone = forms.CharField(label=_("your telephone"), max_length=30)
    respondent_address = forms.CharField(label=_("respondent's address"), max_length=200)
    respondent_contact = forms.CharField(label=_("respondent's contact"), max_length=50)
    respondent_phone = forms.CharField(label=_("respondent's telephone"), max_length=30)
    question_account = _text(_("account of the question and the reply"))
    items = _text(_("complaint items and requests"))
    facts = _text(_("facts"))
    legal_basis = _text(_("legal basis"), rows=2)
    signatory = forms.CharField(
        label=_("signed by (legal representative or authorised person)"), max_length=50
    )
    items_within_question = forms.BooleanField(
        label=_(
            "Every item was questioned in the question above, or arises from its reply "
            "(O94 Art 20; IR Art 55)."
        ),
        required=True,
    )


class CorrectionForm(ComplaintForm):
    pass


class ComplaintCreateForm(ComplaintForm):
    evidence = forms.FileField(label=_("supporting proof (PDF, at most 20 MB)"), required=False)


class CorrectionRequestForm(forms.Form):
    items = _text(_("items to correct"))
    due_on = forms.DateField(
        label=_("correct by (inclusive)"), widget=forms.DateInput(attrs={"type": "date"})
    )


class RefusalForm(forms.Form):
    kind = forms.ChoiceField(label=_("why not accepted"), choices=RefusalKind.choices)
    reasons = _text(_("reasons"))
    authority = forms.CharField(
        label=_("authority to complain to (when another has jurisdiction)"),
        max_length=200,
        required=False,
    )


class RespondentAnswerForm(forms.Form):
    answer = _text(_("your answer, with the evidence and basis"), rows=5)


class DecisionForm(forms.Form):
    """The decision letter (投诉处理决定书), with the content of O94 Art 33."""

    outcome = forms.ChoiceField(
        label=_("outcome"),
        choices=[
            (ComplaintOutcome.UPHELD.value, ComplaintOutcome.UPHELD.label),
            (ComplaintOutcome.DISMISSED.value, ComplaintOutcome.DISMISSED.label),
        ],
    )
    consequence = forms.ChoiceField(
        label=_("consequence (when upheld)"),
        choices=[("", "—"), *Consequence.choices],
        required=False,
    )
    dismissal_ground = forms.ChoiceField(
        label=_("ground (when dismissed)"),
        choices=[("", "—"), *DismissalGround.choices],
        required=False,
    )
    facts = _text(_("facts found"))
    decision = _text(_("decision"))
    legal_basis = _text(_("legal basis of the decision"), rows=2)
    reconsideration_body = forms.CharField(
        label=_("administrative reconsideration body"), max_length=200
    )
    court = forms.CharField(label=_("court for administrative litigation"), max_length=200)


class StatusLookupForm(forms.Form):
    number = forms.CharField(label=_("case number"), max_length=24)
    code = forms.CharField(label=_("access code"), max_length=32)


class SuspensionForm(forms.Form):
    days = forms.IntegerField(label=_("days"), min_value=1, max_value=30)


class ReferralForm(forms.Form):
    """Testing, appraisal or expert review (O94 Arts 23 ¶2, 27)."""

    kind = forms.ChoiceField(label=_("kind"), choices=ReferralKind.choices)
    body = forms.CharField(label=_("sent to"), max_length=200)
    subject_matter = _text(_("what is to be examined"), rows=2)
    expected_days = forms.IntegerField(
        label=_("expected time (working days)"),
        min_value=1,
        max_value=60,
        help_text=_("Told to the complainant (O94 Art 27 ¶3)."),
    )


class ReferralAnswerForm(forms.Form):
    finding = _text(_("finding received"), rows=3)
