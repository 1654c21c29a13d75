"""What a list row shows, computed once per row in Python rather than in the template.

On a public list of 20 rows, each `get_FOO_display()` (it rebuilds a dict of lazy labels),
`{% url %}` and `|date` in a row costs far more than the row's share of the query. These
helpers set plain attributes instead: labels translated once per request, URLs from a
reversed prefix, dates formatted in the site's time zone.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from decimal import Decimal

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from procurement.models import (
    Announcement,
    AnnouncementKind,
    ProcurementIntention,
    ProcurementMethod,
)


def labels(choices: type[models.TextChoices]) -> dict[str, str]:
    """{value: label} in the current language (the catalogues never change while running)."""
    return _labels(choices, get_language())


@functools.lru_cache(maxsize=64)
def _labels(choices: type[models.TextChoices], language: str | None) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


def money(amount: Decimal | None) -> str:
    """ "1,234,567.00 yuan" in the current language; a dash for no amount."""
    if amount is None:
        return "—"
    return _("%(amount)s yuan") % {"amount": f"{amount:,.2f}"}


def local_minute(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def present_announcements(
    items: Iterable[Announcement], *, regions: dict[str, str] | None = None
) -> list[Announcement]:
    kinds, methods = labels(AnnouncementKind), labels(ProcurementMethod)
    prefix = reverse("portal:announcements")
    regions = regions or {}
    rows = list(items)
    for item in rows:
        published = local_minute(item.published_at)
        # Attributes only the templates read: the model declares none of them (see above).
        vars(item).update(
            kind_label=kinds.get(item.kind, item.kind),
            method_label=methods.get(item.method, item.method),
            url=f"{prefix}{item.pk}/",
            region_name=regions.get(item.region_code, ""),
            budget_label=money(item.budget) if item.budget is not None else "",
            published_label=published,
            published_day=published[:10],
        )
    return rows


def present_intentions(
    items: Iterable[ProcurementIntention], *, regions: dict[str, str] | None = None
) -> list[ProcurementIntention]:
    prefix = reverse("portal:intentions")
    regions = regions or {}
    rows = list(items)
    for item in rows:
        published = local_minute(item.published_at)
        vars(item).update(
            url=f"{prefix}{item.pk}/",
            region_name=regions.get(item.region_code, ""),
            budget_label=money(item.budget),
            published_label=published,
            published_day=published[:10],
            expected_label=item.expected_month.strftime("%Y-%m"),
        )
    return rows
