"""The working-day calendar and the legal period rule (RULES.md §2), on the 2026 arrangement."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from workdays.base import CalendarUnavailable
from workdays.calendar import (
    SHANGHAI,
    add_working_days,
    end_of_next_working_day,
    is_provisional,
    is_working_day,
    period_end,
    provisional_years,
)
from workdays.services import confirm_year

from .conftest import at

pytestmark = pytest.mark.django_db


# --- 2026, from the official arrangement (国务院办公厅, encoded in chinese_calendar) ---------


@pytest.mark.parametrize("day", [15, 16, 17, 18, 19, 20, 21, 22, 23])
def test_it_gives_the_2026_spring_festival_off(day):
    assert not is_working_day(date(2026, 2, day))


@pytest.mark.parametrize("day", [date(2026, 2, 14), date(2026, 2, 28)])
def test_it_works_the_spring_festival_makeup_saturdays(day):
    assert day.weekday() == 5
    assert is_working_day(day)


def test_it_resumes_work_after_the_spring_festival():
    assert is_working_day(date(2026, 2, 24))


@pytest.mark.parametrize("day", range(1, 8))
def test_it_gives_national_day_week_off(day):
    assert not is_working_day(date(2026, 10, day))


def test_it_works_the_national_day_makeup_saturday_and_the_day_after_the_holiday():
    assert is_working_day(date(2026, 10, 10))
    assert is_working_day(date(2026, 10, 8))


def test_it_works_the_new_year_makeup_sunday():
    assert date(2026, 1, 4).weekday() == 6
    assert is_working_day(date(2026, 1, 4))
    assert not is_working_day(date(2026, 1, 1))
    assert not is_working_day(date(2026, 1, 2))


def test_it_keeps_ordinary_weekends_off_and_weekdays_on():
    assert not is_working_day(date(2026, 3, 7))  # Saturday
    assert not is_working_day(date(2026, 3, 8))  # Sunday
    assert is_working_day(date(2026, 3, 9))  # Monday


# --- add_working_days ------------------------------------------------------------------------


def test_it_counts_the_makeup_saturday_as_the_first_working_day():
    # Friday 13 Feb: the next working day is the make-up Saturday, not Tuesday 24 Feb.
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert add_working_days(date(2026, 2, 13), 2) == date(2026, 2, 24)


def test_it_counts_seven_working_days_across_the_spring_festival():
    # 13, 14 (Sat, make-up), 24, 25, 26, 27, 28 (Sat, make-up).
    assert add_working_days(date(2026, 2, 12), 7) == date(2026, 2, 28)


def test_it_does_not_count_the_event_day():
    # Monday 9 March, 1 working day: Tuesday, even though Monday itself is a working day.
    assert add_working_days(date(2026, 3, 9), 1) == date(2026, 3, 10)


def test_it_counts_across_national_day():
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)


def test_it_counts_from_a_holiday():
    assert add_working_days(date(2026, 10, 3), 2) == date(2026, 10, 9)


def test_it_refuses_a_period_of_no_working_days():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 3, 9), 0)


# --- period_end -----------------------------------------------------------------------------


def test_it_ends_a_working_day_period_at_24_00_of_its_last_day():
    # 7 working days from Thursday 12 Feb end with Saturday 28 Feb: due at 1 March 00:00.
    due = period_end(at("2026-02-12 10:00"), 7, working=True)
    assert due == datetime(2026, 3, 1, 0, 0, tzinfo=SHANGHAI)
    assert due.utcoffset().total_seconds() == 8 * 3600


def test_it_ends_a_calendar_day_period_on_its_last_day_when_that_is_a_working_day():
    # 20 calendar days from 2 March (Monday): last day 22 March... a Sunday, so 23 March.
    assert period_end(at("2026-03-02 09:00"), 20, working=False) == at("2026-03-24 00:00")
    # 17 calendar days from 2 March: Thursday 19 March, a working day.
    assert period_end(at("2026-03-02 09:00"), 17, working=False) == at("2026-03-20 00:00")


def test_it_moves_a_calendar_period_ending_on_a_holiday_to_the_next_working_day():
    # 15 days from 20 September end on 5 October, inside National Day: the last day is 8 October.
    due = period_end(at("2026-09-20 15:00"), 15, working=False)
    assert due == at("2026-10-09 00:00")


def test_it_takes_the_start_day_in_beijing_time():
    # 23:30 UTC on 2 March is 07:30 on 3 March in Beijing: the start day is 3 March.
    start = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)
    assert period_end(start, 1, working=True) == at("2026-03-05 00:00")
    # One minute before midnight in Beijing is still 2 March.
    assert period_end(at("2026-03-02 23:59"), 1, working=True) == at("2026-03-04 00:00")


def test_it_treats_a_moment_at_midnight_as_the_new_day():
    assert period_end(at("2026-03-03 00:00"), 1, working=True) == at("2026-03-05 00:00")


def test_it_refuses_a_naive_start():
    with pytest.raises(ValueError):
        period_end(datetime(2026, 3, 2, 9, 0), 5, working=True)  # noqa: DTZ001


def test_it_refuses_a_datetime_where_a_date_is_meant():
    with pytest.raises(TypeError):
        is_working_day(at("2026-03-02 09:00"))


# --- end_of_next_working_day ----------------------------------------------------------------


def test_it_makes_a_one_day_clock_started_on_friday_due_at_the_end_of_monday():
    assert end_of_next_working_day(at("2026-03-06 16:30")) == at("2026-03-10 00:00")


def test_it_makes_a_one_day_clock_started_before_national_day_due_after_it():
    assert end_of_next_working_day(at("2026-09-30 10:00")) == at("2026-10-09 00:00")


def test_it_makes_a_one_day_clock_started_before_the_spring_festival_due_on_the_makeup_saturday():
    assert end_of_next_working_day(at("2026-02-13 17:00")) == at("2026-02-15 00:00")


# --- beyond the library: the statutory rule, provisional ------------------------------------


def test_it_crosses_into_2027_by_the_statutory_rule_and_marks_it_provisional():
    # 25, 28, 29, 30, 31 Dec; 1 Jan 2027 (Friday) is New Year's Day; then 4-8 Jan.
    due = period_end(at("2026-12-24 11:00"), 10, working=True)
    assert due == at("2027-01-09 00:00")
    assert is_provisional(due.astimezone(SHANGHAI).date())
    assert not is_provisional(date(2026, 12, 31))


def test_it_gives_the_2027_statutory_holidays_off_by_rule():
    assert not is_working_day(date(2027, 1, 1))  # New Year, Friday
    assert not is_working_day(date(2027, 2, 5))  # 除夕, Friday
    assert not is_working_day(date(2027, 2, 8))  # 初三, Monday
    assert is_working_day(date(2027, 2, 9))
    assert not is_working_day(date(2027, 4, 5))  # Qingming, Monday
    assert not is_working_day(date(2027, 6, 9))  # Dragon Boat, Wednesday
    assert not is_working_day(date(2027, 9, 15))  # Mid-Autumn, Wednesday
    assert not is_working_day(date(2027, 10, 1))  # National Day, Friday
    assert is_working_day(date(2027, 10, 4))  # by rule only 1-3 October


def test_it_stops_being_provisional_once_the_bureau_confirms_the_year(cast):
    assert is_provisional(date(2027, 3, 1))
    confirm_year(year=2027, notice="国办发明电〔2026〕号（测试）", acting_user=cast.bureau)
    assert not is_provisional(date(2027, 3, 1))


def test_it_lists_the_provisional_years_from_this_year(cast):
    with time_machine.travel(datetime(2026, 11, 27, 9, 0, tzinfo=SHANGHAI), tick=False):
        assert provisional_years(until=2028) == [2027, 2028]
        confirm_year(year=2027, notice="国办发明电〔2026〕号（测试）", acting_user=cast.bureau)
        assert provisional_years(until=2028) == [2028]
    with time_machine.travel(datetime(2027, 12, 31, 23, 0, tzinfo=SHANGHAI), tick=False):
        assert provisional_years(until=2028) == [2028]


def test_it_refuses_a_year_outside_every_source():
    with pytest.raises(CalendarUnavailable):
        is_working_day(date(2051, 3, 1))
    with pytest.raises(CalendarUnavailable):
        is_working_day(date(2003, 3, 3))
