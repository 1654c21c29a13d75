"""The signed-in home's section: the latest unread notifications, for every role."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.home import HomeSection

from .selectors import latest_unread


def unread_section(request, role: str | None) -> HomeSection | None:
    if not request.user.is_authenticated:
        return None
    return HomeSection(
        title=_("Unread notifications"),
        template="notifications/home_section.html",
        context={"notifications": latest_unread(request.user, limit=5)},
        order=10,
    )
