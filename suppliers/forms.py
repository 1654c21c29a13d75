"""Forms of the supplier's profile page and of the SME declaration letter's lines."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.forms import FileNoticeMixin

from .models import Industry, SizeClass
from .sizes import classify, mismatch_message
from .sme import MAX_ITEMS, SME_SIZES, enterprise_label

FIGURES_ALL_OR_NONE = _(
    "Give all three figures of last year (employees, operating revenue, total assets), or none "
    "for an enterprise founded this year."
)


AMOUNT_ERRORS = {
    "invalid": _("Enter the amount in 10,000 yuan as a number."),
    "max_decimal_places": _("Enter the amount in 10,000 yuan with at most two decimals."),
    "max_digits": _("The amount is too large."),
    "max_whole_digits": _("The amount is too large."),
    "min_value": _("The amount cannot be negative."),
}


def _figures_all_or_none(form: forms.Form, data: dict, fields: tuple[str, str, str]) -> None:
    given = [data.get(name) is not None for name in fields]
    if any(given) and not all(given):
        for name, present in zip(fields, given, strict=True):
            if not present:
                form.add_error(name, FIGURES_ALL_OR_NONE)


class FiguresForm(forms.Form):
    """Last year's figures that decide an enterprise's size (工信部联企业〔2011〕300号).

    Subclasses name their order in `field_order`: a base class's fields would come first.
    """

    employees = forms.IntegerField(
        label=_("Employees"),
        min_value=0,
        required=False,
        error_messages={
            "invalid": _("Enter the number of employees as a whole number."),
            "min_value": _("The number of employees cannot be negative."),
        },
    )
    revenue = forms.DecimalField(
        label=_("Operating revenue (10,000 yuan)"),
        min_value=0,
        max_digits=16,
        decimal_places=2,
        required=False,
        error_messages=AMOUNT_ERRORS,
    )
    total_assets = forms.DecimalField(
        label=_("Total assets (10,000 yuan)"),
        min_value=0,
        max_digits=16,
        decimal_places=2,
        required=False,
        error_messages=AMOUNT_ERRORS,
    )


class ProfileForm(FiguresForm):
    field_order = ["size_class", "industry", "employees", "revenue", "total_assets"]
    size_class = forms.ChoiceField(label=_("Enterprise size"), choices=SizeClass.choices)
    industry = forms.ChoiceField(
        label=_("Main industry"),
        choices=[("", "—"), *Industry.choices],
        required=False,
        help_text=_("By the SME classification standard (工信部联企业〔2011〕300号)."),
    )
    figures_year = forms.IntegerField(
        label=_("Year of the figures"),
        min_value=1949,
        max_value=2100,
        required=False,
        help_text=_("Last year's figures prefill your line of the SME declaration letter."),
    )
    bank_name = forms.CharField(label=_("Bank"), max_length=100, required=False)
    bank_account_name = forms.CharField(label=_("Account name"), max_length=200, required=False)
    bank_account_number = forms.RegexField(
        label=_("Account number"),
        max_length=40,
        required=False,
        regex=r"^[0-9 ]{6,40}$",
        error_messages={"invalid": _("Enter the account number in digits.")},
    )

    def clean(self):
        super().clean()
        _figures_all_or_none(self, self.cleaned_data, ("employees", "revenue", "total_assets"))
        return self.cleaned_data


class QualificationForm(FileNoticeMixin, forms.Form):
    name = forms.CharField(label=_("Qualification"), max_length=200)
    number = forms.CharField(label=_("Certificate number"), max_length=100, required=False)
    issued_by = forms.CharField(label=_("Issued by"), max_length=200, required=False)
    expires_on = forms.DateField(
        label=_("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    file = forms.FileField(label=_("Scanned document"), required=False)


class SmeLineForm(FiguresForm):
    """One line of the SME declaration letter (财库〔2020〕46号 annex)."""

    field_order = ["item", "industry", "manufacturer", "size_class", "employees", "revenue"]

    item = forms.CharField(
        label=pgettext_lazy("sme letter", "Item"),
        max_length=200,
        error_messages={"required": _("Enter the item (标的名称).")},
    )
    industry = forms.ChoiceField(
        label=_("Industry"),
        choices=[("", "—"), *Industry.choices],
        error_messages={"required": _("Choose the industry the tender documents name.")},
    )
    manufacturer = forms.CharField(
        label=_("Manufacturer, service provider or builder"),
        max_length=200,
        error_messages={"required": _("Enter the enterprise that makes or provides it.")},
    )
    size_class = forms.ChoiceField(
        label=_("Its size"),
        choices=[("", "—"), *[(c.value, c.label) for c in SME_SIZES]],
        error_messages={
            "required": _(
                "Choose medium, small or micro; what a large enterprise makes cannot be declared."
            )
        },
    )

    def __init__(self, *args, kind: str = "goods", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manufacturer"].label = enterprise_label(kind)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        _figures_all_or_none(self, data, ("employees", "revenue", "total_assets"))
        declared = data.get("size_class")
        computed = classify(
            industry=data.get("industry") or "",
            employees=data.get("employees"),
            revenue=data.get("revenue"),
            total_assets=data.get("total_assets"),
        )
        if declared and computed and computed != declared:
            self.add_error(
                "size_class",
                mismatch_message(industry=data["industry"], declared=declared, computed=computed),
            )
        return data

    def line(self) -> dict:
        d = self.cleaned_data
        return {
            "item": d["item"].strip(),
            "manufacturer": d["manufacturer"].strip(),
            "size_class": d["size_class"],
            "industry": d["industry"],
            "employees": d.get("employees"),
            "revenue": "" if d.get("revenue") is None else f"{d['revenue']:.2f}",
            "total_assets": "" if d.get("total_assets") is None else f"{d['total_assets']:.2f}",
        }


class BaseSmeLineFormSet(forms.BaseFormSet):
    forms: list[SmeLineForm]

    def _declared(self) -> list[SmeLineForm]:
        """The lines that count: not removed, and not an added row left empty."""
        return [
            form
            for form in self.forms
            if not (self.can_delete and form.cleaned_data.get("DELETE"))
            and not (form.empty_permitted and not form.has_changed())
        ]

    def clean(self):
        if any(self.errors):
            return
        seen = set()
        lines = 0
        for form in self._declared():
            key = (form.cleaned_data["item"].strip(), form.cleaned_data["manufacturer"].strip())
            if key in seen:
                raise forms.ValidationError(
                    _("The item “%(item)s” of %(firm)s is declared twice.")
                    % {"item": key[0], "firm": key[1]}
                )
            seen.add(key)
            lines += 1
        if not lines:
            raise forms.ValidationError(
                _("Add at least one line to the SME declaration, or do not submit one.")
            )

    def lines(self) -> list[dict]:
        return [form.line() for form in self._declared()]


SmeLineFormSet = cast(
    "type[BaseSmeLineFormSet]",
    forms.formset_factory(
        SmeLineForm,
        formset=BaseSmeLineFormSet,
        extra=0,
        can_delete=True,
        max_num=MAX_ITEMS,
        validate_max=True,
    ),
)


def sme_line_formset(
    *, data=None, initial: list[dict] | None = None, kind: str = "goods"
) -> BaseSmeLineFormSet:
    """The letter's lines under the prefix "sme": the prefilled line, or one empty line."""
    formset = SmeLineFormSet(
        data, initial=initial or None, prefix="sme", form_kwargs={"kind": kind}
    )
    if not initial:
        formset.extra = 1
    return formset
