"""Writes to the calendar: the bureau's overrides and its confirmation of a year's arrangement.

Each write validates the whole row first (model.full_clean): a contradictory override raises
django.core.exceptions.ValidationError with a Chinese message and changes nothing. Each write
leaves a history row (django-simple-history) and an audit event in the same transaction.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction

from accounts.selectors import organisation_of
from audit.services import record_event

from .models import CalendarOverride, CalendarYear

if TYPE_CHECKING:
    from accounts.models import User


def _override_data(override: CalendarOverride) -> dict:
    return {
        "date": override.date,
        "kind": override.kind,
        "name": override.name,
        "notice": override.notice,
    }


@transaction.atomic
def save_override(*, override: CalendarOverride, acting_user: User | None) -> CalendarOverride:
    """Validate and save a new or edited override (the admin form and record_override)."""
    override.name = override.name.strip()
    override.notice = override.notice.strip()
    override.full_clean()
    created = override.pk is None
    if created:
        override.created_by = acting_user
    override._history_user = acting_user
    override.save()
    record_event(
        action="workdays.override.recorded" if created else "workdays.override.changed",
        actor=acting_user,
        organisation=organisation_of(acting_user) if acting_user else None,
        subject=override,
        data=_override_data(override),
    )
    return override


def record_override(
    *, day: date, kind: str, name: str, notice: str, acting_user: User | None
) -> CalendarOverride:
    """Enter one day of an official arrangement: a holiday or a make-up working day."""
    override = CalendarOverride(date=day, kind=kind, name=name, notice=notice)
    return save_override(override=override, acting_user=acting_user)


@transaction.atomic
def remove_override(*, override: CalendarOverride, acting_user: User | None) -> None:
    """Delete an override (entered in error); its history and audit event keep what it was."""
    record_event(
        action="workdays.override.removed",
        actor=acting_user,
        organisation=organisation_of(acting_user) if acting_user else None,
        subject=override,
        data=_override_data(override),
    )
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
    record_event(
        action="workdays.calendar_year.saved",
        actor=acting_user,
        organisation=organisation_of(acting_user) if acting_user else None,
        subject=calendar_year,
        data={
            "year": calendar_year.year,
            "confirmed": calendar_year.confirmed,
            "notice": calendar_year.notice,
        },
    )
    return calendar_year


def confirm_year(*, year: int, notice: str, acting_user: User | None) -> CalendarYear:
    """Record that the official arrangement of `year` (from `notice`) has been entered."""
    calendar_year = CalendarYear.objects.filter(year=year).first() or CalendarYear(year=year)
    calendar_year.confirmed = True
    calendar_year.notice = notice
    return save_calendar_year(calendar_year=calendar_year, acting_user=acting_user)
