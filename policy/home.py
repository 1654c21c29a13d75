"""The 832 reserve on the purchaser's home, the progress and the statistics on the bureau's."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.home import HomeSection
from accounts.models import OrganisationKind


def section(request, role):
    if role in (OrganisationKind.PURCHASER, OrganisationKind.BUREAU):
        return HomeSection(
            title=_("SME policies and the 832 reserve"),
            template="policy/home.html",
            context={"is_bureau": role == OrganisationKind.BUREAU},
            order=70,
        )
    return None
