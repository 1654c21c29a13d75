"""The home section of questions and complaints: the links each party follows, with its open
complaints (the to-do list carries what is due)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.home import HomeSection

from .models import ComplaintState
from .selectors_complaint import complaints_for

OPEN = [
    ComplaintState.SUBMITTED,
    ComplaintState.CORRECTION_REQUESTED,
    ComplaintState.ACCEPTED,
    ComplaintState.SUSPENDED,
    ComplaintState.DECIDED,
]


def section(request, role):
    if role not in ("supplier", "purchaser", "agency", "bureau"):
        return None
    return HomeSection(
        title=_("Questions and complaints"),
        template="complaints/home_section.html",
        context={
            "open_complaints": list(complaints_for(request.user).filter(state__in=OPEN)[:8]),
            "is_bureau": role == "bureau",
        },
        order=80,
    )
