"""Reads about suppliers."""

from __future__ import annotations

from accounts.models import Organisation

from .models import SupplierProfile


def supplier_profile(organisation: Organisation) -> SupplierProfile | None:
    """The supplier's profile, or None (not a supplier, or registered before profiles existed)."""
    return SupplierProfile.objects.filter(organisation=organisation).first()
