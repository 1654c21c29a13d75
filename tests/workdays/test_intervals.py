"""The two shapes of legal time (RULES.md §2.1): a period someone acts within ends at 24:00 of
its last day; a minimum interval between two acts lets the later act fall on its last day
(R-T6; 《政府采购货物和服务招标投标管理办法》（财政部令第87号）第八十五条、第八十六条).

Worked examples on the 2026 arrangement (Spring Festival 15–23 Feb off, 14 and 28 Feb worked;
Mid-Autumn 25–27 Sep off, 20 Sep worked; National Day 1–7 Oct off, 10 Oct worked) and into
2027, whose days come from the statutory rule until the bureau confirms the year.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from workdays.calendar import (
    earliest_after_interval,
    interval_last_day,
    is_provisional,
    period_end,
)

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("start", "n", "working", "last"),
    [
        # 20 days from documents issued on 3月11日: 3月12日 … 3月31日 (R-T6).
        ("2026-03-11 10:00", 20, False, date(2026, 3, 31)),
        # 15 days from a change published on 3月2日: 3月17日.
        ("2026-03-02 16:00", 15, False, date(2026, 3, 17)),
        # 30 days from an intention published on 3月2日: 4月1日.
        ("2026-03-02 09:00", 30, False, date(2026, 4, 1)),
        # 20 days from 9月11日 end on 10月1日, a holiday: the last day moves to 10月8日.
        ("2026-09-11 10:00", 20, False, date(2026, 10, 8)),
        # 15 days from 2月5日 end on 2月20日, in the Spring Festival: 2月24日.
        ("2026-02-05 10:00", 15, False, date(2026, 2, 24)),
        # 3 working days from 9月30日: 10月8日, 10月9日 and the make-up Saturday 10月10日.
        ("2026-09-30 17:00", 3, True, date(2026, 10, 10)),
        # 3 working days from 9月17日: 9月18日, the make-up Sunday 9月20日, 9月21日.
        ("2026-09-17 10:00", 3, True, date(2026, 9, 21)),
        # 5 working days from 2月12日: 2月13日, the make-up 2月14日, 2月24日, 25日, 26日.
        ("2026-02-12 10:00", 5, True, date(2026, 2, 26)),
        # 3 working days from 2月26日: 2月27日, the make-up Saturday 2月28日, 3月2日.
        ("2026-02-26 10:00", 3, True, date(2026, 3, 2)),
        # Into 2027 (statutory rule): 20 days from 12月12日 end on 1月1日, New Year's Day,
        # then a weekend: the last day is Monday 1月4日.
        ("2026-12-12 10:00", 20, False, date(2027, 1, 4)),
        # 5 working days from 12月28日: 29日, 30日, 31日, then 1月4日 and 1月5日.
        ("2026-12-28 10:00", 5, True, date(2027, 1, 5)),
        # A moment late in the evening UTC is already the next day in Beijing.
        ("2026-03-11 23:30", 20, False, date(2026, 3, 31)),
    ],
)
def test_it_finds_the_last_day_of_a_count(start, n, working, last):
    assert interval_last_day(at(start), n, working=working) == last


@pytest.mark.parametrize(
    ("start", "n", "working", "first_allowed"),
    [
        ("2026-03-11 10:00", 20, False, "2026-03-31 00:00"),
        ("2026-03-02 16:00", 15, False, "2026-03-17 00:00"),
        ("2026-03-02 09:00", 30, False, "2026-04-01 00:00"),
        ("2026-09-11 10:00", 20, False, "2026-10-08 00:00"),
        ("2026-09-30 17:00", 3, True, "2026-10-10 00:00"),
        ("2026-12-12 10:00", 20, False, "2027-01-04 00:00"),
    ],
)
def test_the_later_act_may_fall_on_the_last_day_of_an_interval(start, n, working, first_allowed):
    earliest = earliest_after_interval(at(start), n, working=working)
    assert earliest == at(first_allowed)
    # B at 09:30 on the last day is lawful; the day before, to the last second, is not.
    assert at(first_allowed) + timedelta(hours=9, minutes=30) >= earliest
    assert at(first_allowed) - timedelta(seconds=1) < earliest


@pytest.mark.parametrize(
    ("start", "n", "working", "ends"),
    [
        # A 5-working-day announcement period from 9月28日 runs 9月29日, 30日, 10月8日, 9日
        # and the make-up 10月10日: it ends at 24:00 on 10月10日.
        ("2026-09-28 10:00", 5, True, "2026-10-11 00:00"),
        ("2026-02-12 10:00", 5, True, "2026-02-27 00:00"),
        ("2026-03-11 10:00", 20, False, "2026-04-01 00:00"),
    ],
)
def test_a_period_someone_acts_within_ends_at_midnight_after_its_last_day(start, n, working, ends):
    end = period_end(at(start), n, working=working)
    assert end == at(ends)
    # The same count: the period's end is the interval's first allowed moment plus one day.
    assert end == earliest_after_interval(at(start), n, working=working) + timedelta(days=1)


def test_an_interval_into_2027_is_provisional_until_the_bureau_confirms_the_year():
    earliest = earliest_after_interval(at("2026-12-12 10:00"), 20, working=False)
    assert is_provisional(earliest.date())
    assert not is_provisional(date(2026, 12, 31))


def test_an_interval_has_at_least_one_day():
    with pytest.raises(ValueError):
        earliest_after_interval(at("2026-03-11 10:00"), 0, working=False)
