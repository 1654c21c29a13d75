"""The bank's home section: what a bank officer can do on the platform today."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.home import HomeSection
from accounts.models import OrganisationKind


def bank_section(request, role):
    """Contract financing (DESIGN.md, layer 6) is not built yet: until it is, a bank reads the
    public notices, the signed contracts' announcements among them, and nothing else."""
    if role != OrganisationKind.BANK:
        return None
    return HomeSection(
        title=_("What a bank can do here today"), template="portal/home_bank.html", order=20
    )
