"""The bureau's calendar records: per-day overrides and the per-year "arrangement entered" mark."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.models import TimeStampedModel

from . import base

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from accounts.models import User


class OverrideKind(models.TextChoices):
    HOLIDAY = "holiday", _("holiday (day off)")
    MAKEUP_WORKDAY = "makeup_workday", _("make-up working day")


def _day(day) -> str:
    """A date as the bureau reads it, with its weekday: 2026年2月14日（星期六）."""
    return _("%(date)s (%(weekday)s)") % {
        "date": date_format(day, "DATE_FORMAT"),
        "weekday": date_format(day, "l"),
    }


class CalendarOverride(TimeStampedModel):
    """One day of the official arrangement that the base calendar does not know or gets wrong.

    The bureau enters these from the State Council General Office notice (国办发明电) the day it
    is published; they win over the library and over the statutory rule (workdays/calendar.py).
    """

    date = models.DateField(
        _("date"),
        unique=True,
        error_messages={"unique": _("This date already has a calendar override.")},
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OverrideKind.choices)
    name = models.CharField(
        _("holiday name"),
        max_length=50,
        help_text=_("The holiday this day belongs to, e.g. 春节."),
    )
    notice = models.CharField(
        _("notice"),
        max_length=200,
        help_text=_("The notice the day comes from, e.g. 国办发明电〔2025〕7号."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    history = HistoricalRecords()
    # Set by services before save(); simple-history puts them on the historical row.
    _history_user: User | None
    _change_reason: str

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}"

    def clean(self) -> None:
        """Refuse an override that contradicts the calendar or itself (see contradictions())."""
        super().clean()
        if self.date is None or not self.kind:
            return
        errors = contradictions(day=self.date, kind=self.kind)
        if errors:
            raise ValidationError({"date": errors})

    def effect_warnings(self) -> list[str]:
        """Things the bureau should know about an override that is allowed."""
        if self.date is None or not self.kind:
            return []
        return warnings_for(day=self.date, kind=self.kind)


def contradictions(*, day, kind: str) -> list[str]:
    """Why an override of `kind` on `day` cannot be right; empty when it can.

    1. The calendar must be able to answer for the year at all.
    2. A make-up working day (调休上班) is by definition a weekend day declared a working day
       (RULES.md §2.1 R-T3): a weekday that is no holiday is a working day already.
    3. A make-up working day can never fall on a statutory holiday (国务院令第795号 Art 2: those
       days are off for everyone); we know them by rule from 2025, when the revised rule began.
    """
    if not base.FIRST_YEAR <= day.year <= base.LAST_YEAR:
        return [
            _("The calendar covers the years %(first)s to %(last)s; %(year)s is outside them.")
            % {"first": base.FIRST_YEAR, "last": base.LAST_YEAR, "year": day.year}
        ]
    if kind == OverrideKind.MAKEUP_WORKDAY:
        if not base.is_weekend(day):
            return [
                _(
                    "%(day)s is a weekday, so it is a working day already; a make-up working "
                    "day must be a Saturday or a Sunday."
                )
                % {"day": _day(day)}
            ]
        statutory = base.statutory_holidays(day.year).get(day) if day.year >= 2025 else None
        if statutory is not None:
            return [
                _(
                    "%(day)s is a statutory holiday (%(holiday)s) and cannot be a make-up "
                    "working day."
                )
                % {"day": _day(day), "holiday": statutory}
            ]
    return []


def warnings_for(*, day, kind: str) -> list[str]:
    """Allowed overrides that change nothing, or that correct the library: say so."""
    if contradictions(day=day, kind=kind):
        return []
    working = base.base_is_working_day(day)
    if kind == OverrideKind.HOLIDAY and not working:
        return [
            _(
                "%(day)s is already a day off in the base calendar; the override records the "
                "notice but changes no deadline."
            )
            % {"day": _day(day)}
        ]
    if kind == OverrideKind.HOLIDAY and base.library_makeup_workday(day):
        return [
            _(
                "%(day)s is a make-up working day in the official calendar library; this "
                "override makes it a day off instead."
            )
            % {"day": _day(day)}
        ]
    if kind == OverrideKind.MAKEUP_WORKDAY and working:
        return [
            _(
                "%(day)s is already a make-up working day in the base calendar; the override "
                "records the notice but changes no deadline."
            )
            % {"day": _day(day)}
        ]
    return []


class CalendarYear(TimeStampedModel):
    """The bureau's mark that the official arrangement of a year has been entered.

    A year the library does not cover is provisional (computed by the statutory rule) until a
    confirmed row exists; the admin warns the bureau until then.
    """

    year = models.PositiveSmallIntegerField(
        _("year"),
        unique=True,
        error_messages={"unique": _("This year has already been recorded.")},
    )
    confirmed = models.BooleanField(
        _("official arrangement entered"),
        default=False,
        help_text=_(
            "Tick once every holiday and make-up working day of the year's State Council "
            "notice has been entered as an override."
        ),
    )
    notice = models.CharField(
        _("notice"),
        max_length=200,
        blank=True,
        help_text=_("The State Council General Office notice of the year's arrangement."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    history = HistoricalRecords()
    # Set by services before save(); simple-history puts them on the historical row.
    _history_user: User | None
    _change_reason: str

    class Meta:
        ordering = ["-year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")

    def __str__(self) -> str:
        return str(self.year)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list[StrOrPromise]] = {}
        if self.year is not None and not base.FIRST_YEAR <= self.year <= base.LAST_YEAR:
            errors["year"] = [
                _("The calendar covers the years %(first)s to %(last)s; %(year)s is outside them.")
                % {"first": base.FIRST_YEAR, "last": base.LAST_YEAR, "year": self.year}
            ]
        if self.confirmed and not self.notice.strip():
            errors["notice"] = [
                _("Name the notice whose arrangement you entered before confirming the year.")
            ]
        if errors:
            raise ValidationError(errors)
