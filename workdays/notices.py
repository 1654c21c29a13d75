"""The bureau's warning about years whose working days are still provisional."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from .calendar import SHANGHAI, provisional_years
from .models import CalendarYear


def provisional_year_warnings() -> list[SafeString]:
    """One warning for each of this year and next that the bureau has not confirmed."""
    this_year = timezone.now().astimezone(SHANGHAI).year
    years = provisional_years(until=this_year + 1)
    if not years:
        return []
    existing = dict(CalendarYear.objects.filter(year__in=years).values_list("year", "pk"))
    warnings = []
    for year in years:
        if year in existing:
            url = reverse("admin:workdays_calendaryear_change", args=[existing[year]])
        else:
            url = reverse("admin:workdays_calendaryear_add") + f"?year={year}"
        warnings.append(
            format_html(
                '{} <a href="{}">{}</a>',
                _(
                    "The official holiday arrangement for %(year)s has not been entered. Its "
                    "working days are computed by the statutory rule (weekends and the statutory "
                    "holidays, without make-up working days), so every deadline that falls in "
                    "%(year)s is provisional. When the State Council General Office publishes its "
                    "notice, enter its days as calendar overrides and confirm the year."
                )
                % {"year": year},
                url,
                _("Confirm %(year)s") % {"year": year},
            )
        )
    return warnings


def add_provisional_year_warnings(request: HttpRequest) -> None:
    for warning in provisional_year_warnings():
        messages.warning(request, warning)
