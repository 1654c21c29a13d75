"""What suppliers adds to supplier registration (accounts.registration) and to the home page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, OrganisationKind, User
from accounts.registration import RegistrationExtension

from .models import SizeClass
from .selectors import supplier_profile
from .services import set_size_class


def size_class_fields() -> dict[str, forms.Field]:
    return {
        "size_class": forms.ChoiceField(
            label=_("Enterprise size"),
            choices=SizeClass.choices,
            widget=forms.RadioSelect,
            help_text=_(
                "By the SME classification standard (工信部联企业〔2011〕300号) for your main "
                "industry. Small and micro enterprises get the SME price deduction; a false "
                "declaration is a serious breach."
            ),
        )
    }


def save_size_class(
    *, organisation: Organisation, data: Mapping[str, Any], acting_user: User
) -> None:
    set_size_class(
        organisation=organisation, size_class=data["size_class"], acting_user=acting_user
    )


size_class_extension = RegistrationExtension(
    name="suppliers.size_class", fields=size_class_fields, save=save_size_class
)


def size_class_facts(organisation: Organisation) -> list[tuple[str, str]]:
    """The enterprise size on the supplier's organisation card."""
    if organisation.kind != OrganisationKind.SUPPLIER:
        return []
    profile = supplier_profile(organisation)
    value = profile.get_size_class_display() if profile else _("Not declared yet")
    return [(str(_("Enterprise size")), str(value))]
