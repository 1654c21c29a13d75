"""The statutory rule and its lunar table, checked against the library's official years."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest

from workdays import base


def _library_off(day: date) -> bool:
    return not chinese_calendar.is_workday(day)


@pytest.mark.parametrize("year", range(2020, 2027))
def test_it_places_the_lunar_festivals_where_the_official_arrangements_put_them(year):
    spring_m, spring_d, dragon_m, dragon_d, moon_m, moon_d = base.LUNAR_FESTIVALS[year]
    for day in (
        date(year, spring_m, spring_d),
        date(year, dragon_m, dragon_d),
        date(year, moon_m, moon_d),
        base.qingming(year),
    ):
        assert day in chinese_calendar.holidays, day


@pytest.mark.parametrize("year", [2025, 2026])
def test_it_gives_off_every_day_the_revised_rule_gives_off(year):
    # 国务院令第795号 applies from 2025: each of its 13 days is off in the official arrangement.
    days = base.statutory_holidays(year)
    assert len(days) == 13
    assert all(_library_off(day) for day in days)


def test_it_counts_thirteen_statutory_days_even_when_two_festivals_meet():
    # 2028: Mid-Autumn falls on 3 October, inside National Day: 12 distinct days.
    assert date(2028, 10, 3) in base.statutory_holidays(2028)
    assert len(base.statutory_holidays(2028)) == 12
    assert len(base.statutory_holidays(2027)) == 13


def test_it_starts_the_spring_festival_on_new_years_eve():
    days = [
        day for day, name in base.statutory_holidays(2027).items() if name == base.SPRING_FESTIVAL
    ]
    assert days == [date(2027, 2, 5) + timedelta(days=i) for i in range(4)]


def test_it_finds_qingming_on_the_4th_or_5th_of_april():
    assert {base.qingming(year).day for year in range(2004, 2051)} <= {4, 5, 6}
    assert base.qingming(2027) == date(2027, 4, 5)
    assert base.qingming(2026) == date(2026, 4, 5)


def test_it_knows_which_years_the_library_covers():
    assert base.library_covers(2026)
    assert not base.library_covers(2027)
    assert base.LIBRARY_FIRST_YEAR == 2004
