"""Writes about suppliers."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Organisation, OrganisationKind, User
from common.errors import DomainError

from .models import SizeClass, SupplierProfile


@transaction.atomic
def set_size_class(
    *, organisation: Organisation, size_class: str, acting_user: User | None
) -> SupplierProfile:
    """Record the supplier's declared enterprise size, creating its profile on first use."""
    if organisation.kind != OrganisationKind.SUPPLIER:
        raise DomainError(_("Only a supplier has an enterprise size."), code="not_supplier")
    if size_class not in SizeClass.values:
        raise DomainError(_("Unknown enterprise size."), code="size_class")
    profile = SupplierProfile.objects.select_for_update().filter(
        organisation=organisation
    ).first() or SupplierProfile(organisation=organisation)
    if profile.pk and profile.size_class == size_class:
        return profile
    profile.size_class = size_class
    profile._history_user = acting_user
    profile.save()
    return profile
