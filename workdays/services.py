"""Writes to the calendar: the bureau's overrides and its confirmation of a year's arrangement.

Each write validates the whole row first (model.full_clean): a contradictory override raises
django.core.exceptions.ValidationError with a Chinese message and changes nothing. History
(django-simple-history) records who made each change.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction

from .models import CalendarOverride, CalendarYear

if TYPE_CHECKING:
    from accounts.models import User


@transaction.atomic
def save_override(*, override: CalendarOverride, acting_user: User | None) -> CalendarOverride:
    """Validate and save a new or edited override (the admin form and record_override)."""
    override.name = override.name.strip()
    override.notice = override.notice.strip()
    override.full_clean()
    if override.pk is None:
        override.created_by = acting_user
    override._history_user = acting_user
    override.save()
    return override


def record_override(
    *, day: date, kind: str, name: str, notice: str, acting_user: User | None
) -> CalendarOverride:
    """Enter one day of an official arrangement: a holiday or a make-up working day."""
    override = CalendarOverride(date=day, kind=kind, name=name, notice=notice)
    return save_override(override=override, acting_user=acting_user)


@transaction.atomic
def remove_override(*, override: CalendarOverride, acting_user: User | None) -> None:
    """Delete an override (entered in error); its history row keeps who removed it."""
    override._history_user = acting_user
    override.delete()


@transaction.atomic
def save_calendar_year(*, calendar_year: CalendarYear, acting_user: User | None) -> CalendarYear:
    """Validate and save a year's record (the admin form and confirm_year)."""
    calendar_year.notice = calendar_year.notice.strip()
    calendar_year.full_clean()
    if calendar_year.pk is None:
        calendar_year.created_by = acting_user
    calendar_year._history_user = acting_user
    calendar_year.save()
    return calendar_year


def confirm_year(*, year: int, notice: str, acting_user: User | None) -> CalendarYear:
    """Record that the official arrangement of `year` (from `notice`) has been entered."""
    calendar_year = CalendarYear.objects.filter(year=year).first() or CalendarYear(year=year)
    calendar_year.confirmed = True
    calendar_year.notice = notice
    return save_calendar_year(calendar_year=calendar_year, acting_user=acting_user)
