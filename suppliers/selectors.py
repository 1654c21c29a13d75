"""Reads about suppliers."""

from __future__ import annotations

from accounts.models import Organisation

from .models import SupplierProfile


def supplier_profile(organisation: Organisation | None) -> SupplierProfile | None:
    """The supplier's profile, or None (not a supplier, or registered before profiles existed)."""
    if organisation is None:
        return None
    return SupplierProfile.objects.filter(organisation=organisation).first()


def expired_qualifications(organisation: Organisation | None, *, on=None):
    """The supplier's qualifications whose validity ended before `on` (today)."""
    from django.utils import timezone

    from .models import Qualification

    if organisation is None:
        return []
    return list(
        Qualification.objects.filter(organisation=organisation).expired(on or timezone.localdate())
    )
