"""Reads about suppliers."""

from __future__ import annotations

from accounts.models import Organisation

from .models import SupplierProfile


def supplier_profile(organisation: Organisation) -> SupplierProfile | None:
    """The supplier's profile, or None (not a supplier, or registered before profiles existed)."""
    return SupplierProfile.objects.filter(organisation=organisation).first()


def expired_qualifications(organisation: Organisation, *, on=None):
    """The supplier's qualifications whose validity ended before `on` (today)."""
    from django.utils import timezone

    from .models import Qualification

    return list(
        Qualification.objects.filter(organisation=organisation).expired(on or timezone.localdate())
    )
