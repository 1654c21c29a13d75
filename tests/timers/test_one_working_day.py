"""A "one working day" clock is due at 24:00 of the first working day after it starts."""

from __future__ import annotations

import pytest
import time_machine

from timers.registry import ONE_WORKING_DAY, one_working_day_due
from timers.services import start_clock, sweep

from .conftest import at


@pytest.mark.parametrize(
    ("start", "due"),
    [
        # An ordinary Tuesday → Wednesday 24:00.
        (at(2026, 3, 17, 10), at(2026, 3, 19)),
        # Friday afternoon → Monday 24:00: the weekend does not count.
        (at(2026, 3, 20, 15), at(2026, 3, 24)),
        # Friday just before midnight is still Friday (Beijing time) → Monday 24:00.
        (at(2026, 3, 20, 23, 59), at(2026, 3, 24)),
        # Spring Festival 2026: Friday 13 Feb → Saturday 14 Feb, a make-up working day (调休上班).
        (at(2026, 2, 13, 10), at(2026, 2, 15)),
        # Saturday 14 Feb (working) → the holiday runs 15–23 Feb → Tuesday 24 Feb 24:00.
        (at(2026, 2, 14, 10), at(2026, 2, 25)),
        # Started on the Festival itself → the first working day after it, 24 Feb.
        (at(2026, 2, 17, 9), at(2026, 2, 25)),
        # National Day 2026: 30 Sep → the holiday runs 1–7 Oct → Thursday 8 Oct 24:00.
        (at(2026, 9, 30, 16), at(2026, 10, 9)),
    ],
)
@pytest.mark.django_db  # the calendar reads the bureau's override table (workdays)
def test_it_is_due_at_the_end_of_the_next_working_day(start, due):
    assert one_working_day_due(start) == due


def test_a_friday_clock_is_not_breached_over_the_weekend(scene):
    friday = at(2026, 3, 20, 15)
    clock = start_clock(
        subject=scene.subject,
        kind=ONE_WORKING_DAY,
        due=one_working_day_due(friday),
        responsible=scene.responsible,
        started=friday,
    )
    assert clock.due_display == "2026-03-23 24:00"
    with time_machine.travel(at(2026, 3, 23, 23, 59), tick=False):
        assert sweep().breaches == 0
    with time_machine.travel(at(2026, 3, 24), tick=False):
        assert sweep().breaches == 1
