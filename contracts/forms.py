"""Parsing only: the draft form gives DraftValues, the sign form a password."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from .services.drafting import DraftValues, ItemValues, StageValues
from .services.supplementary import SupplementaryValues

ITEMS_HELP = _("One item a line: name | specification | quantity | unit | unit price (yuan).")
STAGES_HELP = _("One stage a line: name | what is checked.")


def _items_text(items: list[ItemValues]) -> str:
    return "\n".join(
        f"{i.name} | {i.spec} | {i.quantity.normalize()} | {i.unit} | {i.unit_price}" for i in items
    )


class DraftForm(forms.Form):
    title = forms.CharField(label=_("Contract title"), max_length=300)
    items = forms.CharField(
        label=_("Items"), widget=forms.Textarea(attrs={"rows": 4}), help_text=ITEMS_HELP
    )
    delivery_place = forms.CharField(label=_("Place of delivery"), max_length=300)
    delivery_days = forms.IntegerField(label=_("Delivery within (days after signing)"), min_value=1)
    delivery_terms = forms.CharField(
        label=_("Manner of delivery"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    acceptance_method = forms.CharField(
        label=_("Acceptance method and standards"), widget=forms.Textarea(attrs={"rows": 2})
    )
    stages = forms.CharField(
        label=_("Acceptance stages"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=STAGES_HELP,
    )
    acceptance_days = forms.IntegerField(
        label=_("Agreed acceptance period (days after delivery)"), min_value=1
    )
    acceptance_condition = forms.BooleanField(
        label=_("Acceptance is a condition of payment"), required=False
    )
    with_experts = forms.BooleanField(label=_("Experts take part"), required=False)
    with_recipients = forms.BooleanField(
        label=_("Service recipients or users take part"), required=False
    )
    with_other_bidders = forms.BooleanField(label=_("Other bidders are invited"), required=False)
    with_testing_body = forms.BooleanField(
        label=_("A quality testing body takes part"), required=False
    )
    testing_body = forms.CharField(label=_("Testing body"), required=False, max_length=200)
    public_service = forms.BooleanField(
        label=_("Public service to the public (the result is announced)"), required=False
    )
    advance_share = forms.DecimalField(
        # xgettext:no-python-format ("% o" would read as a conversion and break msgfmt)
        label=_("Advance payment (% of the amount)"),
        min_value=0,
        max_value=100,
        decimal_places=2,
    )
    term_days = forms.IntegerField(
        label=_("Payment term (days)"), required=False, min_value=1, max_value=60
    )
    supplier_bank_name = forms.CharField(label=_("Supplier's bank"), max_length=200)
    supplier_account_name = forms.CharField(label=_("Account name"), max_length=200)
    supplier_account_number = forms.CharField(label=_("Account number"), max_length=40)
    special_terms = forms.CharField(
        label=_("Special terms"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    secret_parts = forms.CharField(
        label=_("Parts left out of the announcement (state or trade secrets)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    @classmethod
    def initial_from(cls, values: DraftValues) -> dict:
        data = {k: v for k, v in values.__dict__.items() if k not in ("items", "stages")}
        data["items"] = _items_text(values.items)
        data["stages"] = "\n".join(f"{s.name} | {s.checks}" for s in values.stages)
        return data

    def clean_items(self) -> list[ItemValues]:
        items = []
        for n, line in enumerate(self.cleaned_data["items"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            try:
                name, spec, quantity, unit, price = parts
                items.append(
                    ItemValues(
                        name=name,
                        spec=spec,
                        quantity=Decimal(quantity),
                        unit=unit,
                        unit_price=Decimal(price),
                    )
                )
            except (ValueError, InvalidOperation):
                raise forms.ValidationError(
                    _("Line %(n)s: write name | specification | quantity | unit | unit price."),
                    params={"n": n},
                ) from None
        return items

    def clean_stages(self) -> list[StageValues]:
        stages = []
        for line in self.cleaned_data["stages"].splitlines():
            if line.strip():
                name, _sep, checks = line.partition("|")
                stages.append(StageValues(name=name.strip(), checks=checks.strip() or name.strip()))
        return stages

    def values(self) -> DraftValues:
        return DraftValues(**self.cleaned_data)


class SignForm(forms.Form):
    password = forms.CharField(
        label=_("Your sign-in password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))


class SupplementaryForm(forms.Form):
    reason = forms.CharField(
        label=_("Why more is needed"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, contract, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.contract_items = list(contract.items.all())
        for item in self.contract_items:
            self.fields[f"item_{item.pk}"] = forms.DecimalField(
                label=f"{item.name}（{item.unit}，{item.unit_price}）",
                required=False,
                min_value=0,
                decimal_places=3,
            )

    def values(self) -> SupplementaryValues:
        return SupplementaryValues(
            reason=self.cleaned_data["reason"],
            quantities={
                item.pk: self.cleaned_data[f"item_{item.pk}"]
                for item in self.contract_items
                if self.cleaned_data.get(f"item_{item.pk}")
            },
        )
