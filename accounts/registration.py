"""Extensions of supplier registration contributed by higher apps.

A supplier registers through accounts (the licence flow), but what else registration asks for
belongs to higher apps: `suppliers` asks for the enterprise size. Such an app registers an
extension in its AppConfig.ready(); accounts adds the extension's fields to the registration form
and calls its `save` inside the registration's transaction. accounts never imports those apps,
so the layers hold (DESIGN.md, "Apps and layers"), as with `accounts.home`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms

if TYPE_CHECKING:
    from .models import Organisation, User


@dataclass(frozen=True)
class RegistrationExtension:
    """`fields()` returns new form fields by name; `save(...)` stores their cleaned values."""

    name: str
    fields: Callable[[], dict[str, forms.Field]]
    save: Callable[
        ..., None
    ]  # save(*, organisation: Organisation, data: Mapping, acting_user: User)


_extensions: dict[str, RegistrationExtension] = {}


def register_supplier_registration_extension(extension: RegistrationExtension) -> None:
    """Add fields to supplier registration; registering the same name again replaces it."""
    _extensions[extension.name] = extension


def supplier_registration_extensions() -> list[RegistrationExtension]:
    return list(_extensions.values())


def save_extensions(
    *, organisation: Organisation, data: Mapping[str, Any], acting_user: User
) -> None:
    for extension in supplier_registration_extensions():
        extension.save(organisation=organisation, data=data, acting_user=acting_user)
