"""The expert's home section: its own invitations and seats (never another member's name)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.home import HomeSection

from .selectors import assignments_of

LIMIT = 10


def expert_section(request, role):
    if role != "expert":
        return None
    return HomeSection(
        title=_("My evaluations"),
        template="experts/home/expert.html",
        context={"assignments": list(assignments_of(request.user)[:LIMIT])},
        order=20,
    )
