"""The base calendar, before the bureau's overrides: the library's years, else the statutory rule.

Two sources, in this order (workdays/calendar.py puts the override table above both):

1. `chinese_calendar` (LKI/chinese-calendar, pinned in requirements.txt): the official yearly
   arrangement published by the State Council General Office (国务院办公厅), including the
   make-up working days (调休上班) and the days off in lieu. It covers 2004 to the last year
   whose notice it has encoded (2026 in 1.11.0) and raises NotImplementedError beyond.
2. The statutory rule (《全国年节及纪念日放假办法》 as revised by 国务院令第795号, in force
   2025-01-01; RULES.md §2.1 R-T5): weekends plus the 13 statutory holiday days. It does not
   guess the yearly 调休 arrangement, so every day it decides is provisional until the bureau
   enters the official arrangement (overrides) and confirms the year (CalendarYear).

Nothing here touches the database; it is pure and cached per year.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta
from typing import TYPE_CHECKING

import chinese_calendar
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The lunar festivals of the statutory rule, by Gregorian year:
#   (Spring Festival day 1 正月初一, Dragon Boat 五月初五, Mid-Autumn 八月十五) as (month, day).
# Source: generated with `lunardate` 0.3.0 (the Hong Kong Observatory-derived table of the
# `lunar` project) and checked row by row against `lunar-python` 1.4.8 (6tail, computed from
# the 寿星万年历 astronomical algorithm): the two agree on every row. Neither is a runtime
# dependency (lunardate is GPL-3.0; a 31-row table needs no library). Rows 2020-2026 overlap the
# library and tests/workdays/test_base.py checks them against its official data; 除夕 (New
# Year's Eve) is the day before day 1, whether the twelfth month has 29 or 30 days.
LUNAR_FESTIVALS: dict[int, tuple[int, int, int, int, int, int]] = {
    2020: (1, 25, 6, 25, 10, 1),
    2021: (2, 12, 6, 14, 9, 21),
    2022: (2, 1, 6, 3, 9, 10),
    2023: (1, 22, 6, 22, 9, 29),
    2024: (2, 10, 6, 10, 9, 17),
    2025: (1, 29, 5, 31, 10, 6),
    2026: (2, 17, 6, 19, 9, 25),
    2027: (2, 6, 6, 9, 9, 15),
    2028: (1, 26, 5, 28, 10, 3),
    2029: (2, 13, 6, 16, 9, 22),
    2030: (2, 3, 6, 5, 9, 12),
    2031: (1, 23, 6, 24, 10, 1),
    2032: (2, 11, 6, 12, 9, 19),
    2033: (1, 31, 6, 1, 9, 8),
    2034: (2, 19, 6, 20, 9, 27),
    2035: (2, 8, 6, 10, 9, 16),
    2036: (1, 28, 5, 30, 10, 4),
    2037: (2, 15, 6, 18, 9, 24),
    2038: (2, 4, 6, 7, 9, 13),
    2039: (1, 24, 5, 27, 10, 2),
    2040: (2, 12, 6, 14, 9, 20),
    2041: (2, 1, 6, 3, 9, 10),
    2042: (1, 22, 6, 22, 9, 28),
    2043: (2, 10, 6, 11, 9, 17),
    2044: (1, 30, 5, 31, 10, 5),
    2045: (2, 17, 6, 19, 9, 25),
    2046: (2, 6, 6, 8, 9, 15),
    2047: (1, 26, 5, 29, 10, 4),
    2048: (2, 14, 6, 15, 9, 22),
    2049: (2, 2, 6, 4, 9, 11),
    2050: (1, 23, 6, 23, 9, 30),
}

# The library's data: official holidays and make-up working days, keyed by date.
_LIBRARY_HOLIDAYS = chinese_calendar.holidays
_LIBRARY_WORKDAYS = chinese_calendar.workdays
LIBRARY_FIRST_YEAR = min(_LIBRARY_HOLIDAYS).year
LIBRARY_LAST_YEAR = max(_LIBRARY_HOLIDAYS).year

# Years the calendar can answer for at all: the library's, then the rule's (lunar table).
FIRST_YEAR = LIBRARY_FIRST_YEAR
LAST_YEAR = max(LUNAR_FESTIVALS)

NEW_YEAR = _("New Year's Day")
SPRING_FESTIVAL = _("Spring Festival")
QINGMING = _("Qingming Festival")
LABOUR_DAY = _("Labour Day")
DRAGON_BOAT = _("Dragon Boat Festival")
MID_AUTUMN = _("Mid-Autumn Festival")
NATIONAL_DAY = _("National Day")

# The library names its holidays in English; show ours (translated), else its Chinese name.
_LIBRARY_NAMES = {
    "New Year's Day": NEW_YEAR,
    "Spring Festival": SPRING_FESTIVAL,
    "Tomb-sweeping Day": QINGMING,
    "Labour Day": LABOUR_DAY,
    "Dragon Boat Festival": DRAGON_BOAT,
    "Mid-autumn Festival": MID_AUTUMN,
    "National Day": NATIONAL_DAY,
}
_LIBRARY_CHINESE = {holiday.value: holiday.chinese for holiday in chinese_calendar.Holiday}


class CalendarUnavailable(ValueError):
    """The calendar cannot answer for this year: it lies outside every source we have."""


def check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CalendarUnavailable(
            f"the working-day calendar covers {FIRST_YEAR}-{LAST_YEAR}; {year} is outside it"
        )


def library_covers(year: int) -> bool:
    """The library holds the official arrangement of this year."""
    return LIBRARY_FIRST_YEAR <= year <= LIBRARY_LAST_YEAR


@functools.cache
def qingming(year: int) -> date:
    """Qingming (清明), a solar term: the library's 寿星 formula, valid 1900-2099."""
    terms = chinese_calendar.get_solar_terms(date(year, 4, 1), date(year, 4, 30))
    return next(day for day, name in terms if name == "清明")


@functools.cache
def statutory_holidays(year: int) -> dict[date, StrOrPromise]:
    """The 13 statutory holiday days of `year` by 国务院令第795号 Art 2 (no 调休, no days in lieu).

    Values are lazy translated names; a day on which two festivals fall keeps the first.
    """
    check_year(year)
    spring_m, spring_d, dragon_m, dragon_d, moon_m, moon_d = LUNAR_FESTIVALS[year]
    spring = date(year, spring_m, spring_d)
    days: list[tuple[date, StrOrPromise]] = [
        (date(year, 1, 1), NEW_YEAR),
        # 除夕 and 初一 to 初三 (除夕 added by the 2024 revision).
        *((spring + timedelta(days=offset), SPRING_FESTIVAL) for offset in range(-1, 3)),
        (qingming(year), QINGMING),
        # 1 and 2 May (2 May added by the 2024 revision).
        (date(year, 5, 1), LABOUR_DAY),
        (date(year, 5, 2), LABOUR_DAY),
        (date(year, dragon_m, dragon_d), DRAGON_BOAT),
        (date(year, moon_m, moon_d), MID_AUTUMN),
        *((date(year, 10, day), NATIONAL_DAY) for day in (1, 2, 3)),
    ]
    result: dict[date, StrOrPromise] = {}
    for day, name in days:
        result.setdefault(day, name)
    return result


def is_weekend(day: date) -> bool:
    return day.weekday() >= 5


def base_is_working_day(day: date) -> bool:
    """Whether `day` is a working day before overrides (library year, else statutory rule)."""
    if library_covers(day.year):
        if day in _LIBRARY_WORKDAYS:
            return True
        return not is_weekend(day) and day not in _LIBRARY_HOLIDAYS
    return not is_weekend(day) and day not in statutory_holidays(day.year)


def base_holiday_name(day: date) -> StrOrPromise | None:
    """The name of the holiday that makes `day` a day off, or that a make-up day serves."""
    if library_covers(day.year):
        value = _LIBRARY_HOLIDAYS.get(day) or _LIBRARY_WORKDAYS.get(day)
        if value is None:
            return None
        return _LIBRARY_NAMES.get(value) or _LIBRARY_CHINESE.get(value, value)
    check_year(day.year)
    return statutory_holidays(day.year).get(day)


def library_makeup_workday(day: date) -> bool:
    """The library names `day` an official make-up working day (调休上班)."""
    return day in _LIBRARY_WORKDAYS
