"""What a form may accept: numbers that fit their columns, dates within sane years.

Bad input is refused by the form with a message, never met by the database as an overflow (a
40-digit employee count made SQLite raise OverflowError and PostgreSQL "integer out of range"),
nor by date arithmetic past the year 9999. tests/common/test_form_bounds.py walks every form of
the project, the admin's included, and fails on a number or date field without such bounds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# The columns' ranges as PostgreSQL has them (SQLite's are wider): what fits there fits anywhere.
INTEGER_RANGES: dict[str, tuple[int, int]] = dict(BaseDatabaseOperations.integer_field_ranges)
INT_MAX = INTEGER_RANGES["IntegerField"][1]  # a plain integer column
ID_MAX = INTEGER_RANGES["BigAutoField"][1]  # a row id (DEFAULT_AUTO_FIELD is BigAutoField)

# No date in this portal lies before the Government Procurement Law came into force
# (《中华人民共和国政府采购法》第八十八条: 自2003年1月1日起施行).
EARLIEST = dt.date(2003, 1, 1)
# Nor further ahead than this many years (a contract's term, a certificate's validity).
YEARS_AHEAD = 30

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DateLimit = dt.date | Callable[[], dt.date] | None


def today() -> dt.date:
    return timezone.localdate()


def years_ahead(years: int = YEARS_AHEAD) -> Callable[[], dt.date]:
    """The same day `years` from today (28 February for a 29 February)."""

    def limit() -> dt.date:
        now = today()
        try:
            return now.replace(year=now.year + years)
        except ValueError:
            return now.replace(year=now.year + years, day=28)

    return limit


@deconstructible
class DateWithin:
    """A date (or a moment's local date) between `earliest` and `latest`, both included.

    Each limit is a date, a function of no argument giving one (today, say), or None for the
    sane default (EARLIEST; YEARS_AHEAD years from today). `too_early` and `too_late` may name
    the rule; by default the message gives the limit.
    """

    def __init__(
        self,
        earliest: DateLimit = None,
        latest: DateLimit = None,
        *,
        too_early: StrOrPromise | None = None,
        too_late: StrOrPromise | None = None,
    ) -> None:
        self.earliest = earliest
        self.latest = latest
        self.too_early = too_early
        self.too_late = too_late

    @staticmethod
    def _resolve(limit: DateLimit, default: dt.date) -> dt.date:
        if limit is None:
            return default
        return limit() if callable(limit) else limit

    def bounds(self) -> tuple[dt.date, dt.date]:
        return (
            self._resolve(self.earliest, EARLIEST),
            self._resolve(self.latest, years_ahead()()),
        )

    def __call__(self, value: dt.date | dt.datetime | None) -> None:
        if value is None:
            return
        day = timezone.localtime(value).date() if isinstance(value, dt.datetime) else value
        earliest, latest = self.bounds()
        if day < earliest:
            raise ValidationError(
                self.too_early or _("Enter a date on or after %(date)s."),
                code="date_too_early",
                params={"date": earliest.isoformat()},
            )
        if day > latest:
            raise ValidationError(
                self.too_late or _("Enter a date on or before %(date)s."),
                code="date_too_late",
                params={"date": latest.isoformat()},
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DateWithin) and (
            self.earliest,
            self.latest,
            self.too_early,
            self.too_late,
        ) == (other.earliest, other.latest, other.too_early, other.too_late)


SANE_DATE = DateWithin()
