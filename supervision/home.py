"""The bureau's home section: the clocks at a glance, and the way to the dashboard."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.home import HomeSection

from .selectors import clock_counts, measured_clocks


def bureau_dashboard_section(request, role):
    if role != "bureau" or not request.user.has_perm("supervision.view_dashboard"):
        return None
    return HomeSection(
        title=_("Clocks: the four one-day targets"),
        template="supervision/home_section.html",
        context={"counts": clock_counts(measured_clocks(), timezone.now())},
        order=30,
    )
