"""The legal payment date of an SME and the late interest (issue 12 §6; RULES.md H-1–H-3, §2),
on worked examples around the 2026 holidays (Qingming 4–6 Apr, Labour Day 1–5 May, National Day
1–7 Oct) and into 2027."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from contracts.terms import late_interest, payment_due

pytestmark = pytest.mark.django_db  # the working-day calendar reads the bureau's overrides

d = dt.date


@pytest.mark.parametrize(
    ("delivered", "term", "due"),
    [
        (d(2026, 3, 2), None, d(2026, 4, 1)),  # 30 days from delivery
        (d(2026, 9, 1), None, d(2026, 10, 8)),  # the 30th day, 1 Oct, is a holiday
        (d(2026, 3, 2), 45, d(2026, 4, 16)),  # an agreed term
        (d(2026, 3, 2), 90, d(2026, 5, 6)),  # capped at 60: 1 May, in the holiday → 6 May
        (d(2026, 3, 2), 10, d(2026, 3, 12)),  # a shorter agreed term holds
        (d(2026, 12, 2), None, d(2027, 1, 4)),  # 1 Jan 2027 (statutory rule), then a weekend
    ],
)
def test_the_term_runs_from_delivery(delivered, term, due):
    assert (
        payment_due(
            delivered_on=delivered,
            acceptance_condition=False,
            acceptance_days=None,
            accepted_on=None,
            term_days=term,
        )
        == due
    )


@pytest.mark.parametrize(
    ("accepted", "due"),
    [
        # Accepted within the agreed 10 days: 30 days from acceptance end on Saturday 4 April,
        # in the Qingming holiday: 7 April.
        (d(2026, 3, 5), d(2026, 4, 7)),
        # Accepted on the window's last day, 12 March: 11 April, a Saturday → 13 April.
        (d(2026, 3, 12), d(2026, 4, 13)),
        # Accepted late, or not yet: the term runs from the end of the window, 12 March.
        (d(2026, 3, 20), d(2026, 4, 13)),
        (None, d(2026, 4, 13)),
    ],
)
def test_with_acceptance_as_a_condition_the_term_runs_from_acceptance_or_the_window_end(
    accepted, due
):
    assert (
        payment_due(
            delivered_on=d(2026, 3, 2),
            acceptance_condition=True,
            acceptance_days=10,
            accepted_on=accepted,
            term_days=None,
        )
        == due
    )


def test_an_acceptance_window_ending_on_a_holiday_ends_after_it():
    # Delivered 28 September, 5 days of acceptance end on 3 October → 8 October; accepted late.
    assert payment_due(
        delivered_on=d(2026, 9, 28),
        acceptance_condition=True,
        acceptance_days=5,
        accepted_on=d(2026, 10, 12),
        term_days=None,
    ) == d(2026, 11, 9)  # 8 Oct + 30 = 7 Nov, a Saturday → 9 Nov


def test_acceptance_as_a_condition_needs_its_period_and_cannot_precede_delivery():
    with pytest.raises(ValueError):
        payment_due(
            delivered_on=d(2026, 3, 2),
            acceptance_condition=True,
            acceptance_days=None,
            accepted_on=None,
            term_days=None,
        )
    with pytest.raises(ValueError):
        payment_due(
            delivered_on=d(2026, 3, 2),
            acceptance_condition=True,
            acceptance_days=10,
            accepted_on=d(2026, 3, 1),
            term_days=None,
        )


@pytest.mark.parametrize(
    ("amount", "due", "paid", "rate", "interest"),
    [
        (D("100000"), d(2026, 4, 1), d(2026, 4, 1), D("0.0005"), D("0.00")),  # on the due day
        (D("100000"), d(2026, 4, 1), d(2026, 3, 20), D("0.0005"), D("0.00")),  # early
        (D("100000"), d(2026, 4, 1), d(2026, 4, 11), D("0.0005"), D("500.00")),  # 10 days
        (D("123456.78"), d(2026, 4, 1), d(2026, 4, 4), D("0.0005"), D("185.19")),  # half up
        (D("50000"), d(2026, 4, 1), d(2026, 5, 1), D("0.0003"), D("450.00")),  # agreed rate
    ],
)
def test_late_interest_counts_each_day_after_the_due_date(amount, due, paid, rate, interest):
    assert late_interest(amount=amount, due=due, paid_on=paid, daily_rate=rate) == interest
