"""The question and complaint periods (complaints/periods.py) on the 2026 arrangement.

Worked by hand from 《政府采购质疑和投诉办法》（财政部令第94号）第十条、第十三条、第十七条、
第二十六条、第二十七条、第四十二条 and the 2026 calendar (RULES.md R-T5): the day of the event is
not counted, make-up Saturdays and Sundays count, holidays do not.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from complaints.periods import (
    complaint_closes,
    decision_due,
    inquiry_reply_due,
    knew_on_after_period,
    last_day,
    question_closes,
    reply_due,
)
from workdays.calendar import SHANGHAI, add_working_days, is_working_day, period_end

from .conftest import at

pytestmark = pytest.mark.django_db


def midnight(text: str) -> datetime:
    """24:00 of the day before `text`, i.e. 00:00 of `text` in Beijing."""
    return at(f"{text} 00:00")


# --- question_closes: 7 working days from the day the supplier knew (GPL Art 52) -----------


def test_it_closes_an_ordinary_question_window_on_the_seventh_working_day():
    # Mon 9 Mar: 10, 11, 12, 13, 16, 17, 18.
    assert question_closes(knew_on=date(2026, 3, 9)) == midnight("2026-03-19")


def test_it_counts_both_spring_festival_makeup_saturdays_in_the_question_window():
    # Thu 12 Feb: 13, 14 (Sat, make-up), [15-23 off], 24, 25, 26, 27, 28 (Sat, make-up).
    assert question_closes(knew_on=date(2026, 2, 12)) == midnight("2026-03-01")


def test_it_skips_the_national_day_week_and_counts_its_makeup_saturday():
    # Wed 30 Sep: [1-7 Oct off], 8, 9, 10 (Sat, make-up), 12, 13, 14, 15.
    assert question_closes(knew_on=date(2026, 9, 30)) == midnight("2026-10-16")


def test_it_counts_from_a_day_in_the_holiday_like_from_any_other():
    assert question_closes(knew_on=date(2026, 10, 3)) == midnight("2026-10-16")


def test_it_counts_the_new_year_makeup_sunday():
    # New Year's Day: 4 Jan (Sun, make-up), 5, 6, 7, 8, 9, 12.
    assert question_closes(knew_on=date(2026, 1, 1)) == midnight("2026-01-13")


def test_it_refuses_a_moment_where_a_day_is_meant():
    with pytest.raises(TypeError):
        question_closes(knew_on=at("2026-03-09 10:00"))


def test_it_takes_the_last_day_of_the_result_announcement_as_the_day_known():
    # IR Art 53(3): the result announced on Mon 9 Mar for 1 working day; the period ends at
    # 24:00 on 10 Mar, which is the day known; the window runs 11 … 19 Mar.
    announcement_ends = period_end(at("2026-03-09 15:00"), 1, working=True)
    assert announcement_ends == midnight("2026-03-11")
    assert knew_on_after_period(announcement_ends) == date(2026, 3, 10)
    assert question_closes(knew_on=date(2026, 3, 10)) == midnight("2026-03-20")


# --- reply_due: 7 working days from receipt (GPL Art 53, O94 Art 13) ------------------------


def test_it_counts_the_reply_from_the_beijing_day_of_receipt():
    # 23:30 on Thu 12 Feb Beijing: same as a question known on 12 Feb.
    assert reply_due(received_at=at("2026-02-12 23:30")) == midnight("2026-03-01")


def test_it_takes_a_question_received_after_midnight_beijing_as_received_the_next_day():
    # 16:00 UTC on 12 Feb is 00:00 on Fri 13 Feb in Beijing: 14, 24, 25, 26, 27, 28, 2 Mar.
    received = datetime(2026, 2, 12, 16, 0, tzinfo=UTC)
    assert reply_due(received_at=received) == midnight("2026-03-03")


def test_it_refuses_a_naive_moment():
    with pytest.raises(ValueError):
        reply_due(received_at=datetime(2026, 3, 9, 10, 0))


# --- complaint_closes: 15 working days after the reply period ENDS (GPL Art 55, O94 Art 17)


def test_it_counts_the_complaint_window_from_the_last_day_of_the_reply_period():
    # Received Mon 9 Mar; reply period's last day Wed 18 Mar; then 19, 20, 23-27, 30, 31,
    # 1, 2, 3 Apr, [4-6 Apr Qingming], 7, 8, 9 Apr: the 15th working day is 9 Apr.
    assert complaint_closes(question_received_at=at("2026-03-09 10:00")) == midnight("2026-04-10")


def test_it_does_not_count_the_complaint_window_from_the_day_after_the_reply_period():
    # Taking 19 Mar (the day the reply period's 24:00 falls into) as the uncounted start day
    # would give one working day too many.
    wrong = period_end(reply_due(received_at=at("2026-03-09 10:00")), 15, working=True)
    assert complaint_closes(question_received_at=at("2026-03-09 10:00")) < wrong


def test_it_counts_the_complaint_window_from_the_reply_deadline_not_from_a_reply():
    # The reply period of a question received on Thu 24 Sep runs over Mid-Autumn and National
    # Day: 28, 29, 30 Sep, 8, 9, 10 (Sat, make-up), 12 Oct; then 15 working days: 13-16,
    # 19-23, 26-30 Oct, 2 Nov.
    received = at("2026-09-24 09:00")
    assert reply_due(received_at=received) == midnight("2026-10-13")
    assert complaint_closes(question_received_at=received) == midnight("2026-11-03")


def test_it_closes_the_complaint_window_22_working_days_after_the_receipt():
    received = at("2026-02-12 10:00")
    # Reply period's last day 28 Feb (make-up Saturday); 15 more: 2-6, 9-13, 16-20 Mar.
    assert complaint_closes(question_received_at=received) == midnight("2026-03-21")


# --- decision_due: 30 working days, pauses left out (GPL Art 56, O94 Arts 26-27) ------------


def test_it_gives_the_decision_30_working_days_after_receipt():
    # Received Mon 9 Mar: 10-13, 16-20, 23-27, 30, 31, 1-3 Apr, 7-10, 13-17, 20, 21 Apr.
    assert decision_due(received_at=at("2026-03-09 10:00")) == midnight("2026-04-22")


def test_it_counts_the_labour_day_makeup_saturday_in_the_decision_period():
    # Received Mon 20 Apr: 21-24, 27-30 Apr, [1-5 May], 6, 7, 8, 9 (Sat, make-up), 11-15,
    # 18-22, 25-29 May, 1, 2, 3 Jun.
    assert decision_due(received_at=at("2026-04-20 10:00")) == midnight("2026-06-04")


def test_it_leaves_a_correction_week_out_of_the_decision_period():
    # Correction asked Mon 16 Mar, received Fri 20 Mar: five working days left out.
    due = decision_due(
        received_at=at("2026-03-09 10:00"), paused=[(date(2026, 3, 16), date(2026, 3, 20))]
    )
    # 22, 23, 24, 27, 28 Apr.
    assert due == midnight("2026-04-29")


def test_it_leaves_out_both_the_day_the_request_is_sent_and_the_day_the_answer_arrives():
    one_day = decision_due(
        received_at=at("2026-03-09 10:00"), paused=[(date(2026, 3, 16), date(2026, 3, 16))]
    )
    assert one_day == midnight("2026-04-23")


def test_it_does_not_extend_the_decision_period_for_a_pause_over_a_weekend_or_holiday():
    received = at("2026-03-09 10:00")
    weekend = decision_due(received_at=received, paused=[(date(2026, 3, 14), date(2026, 3, 15))])
    qingming = decision_due(received_at=received, paused=[(date(2026, 4, 4), date(2026, 4, 6))])
    assert weekend == qingming == midnight("2026-04-22")


def test_it_counts_an_overlapping_pause_once():
    received = at("2026-03-09 10:00")
    paused = [(date(2026, 3, 16), date(2026, 3, 18)), (date(2026, 3, 17), date(2026, 3, 20))]
    assert decision_due(received_at=received, paused=paused) == midnight("2026-04-29")


def test_it_refuses_a_pause_that_ends_before_it_starts():
    with pytest.raises(ValueError):
        decision_due(
            received_at=at("2026-03-09 10:00"), paused=[(date(2026, 3, 20), date(2026, 3, 16))]
        )


# --- inquiry_reply_due: 3 working days (IR Art 52) --------------------------------------------


def test_it_answers_an_inquiry_within_three_working_days_counting_the_makeup_saturday():
    # Fri 13 Feb: 14 (Sat, make-up), 24, 25.
    assert inquiry_reply_due(received_at=at("2026-02-13 11:00")) == midnight("2026-02-26")


# --- properties --------------------------------------------------------------------------------

DAYS = st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 9, 30))
MOMENTS = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2026, 9, 30), timezones=st.just(SHANGHAI)
)
PROPERTY = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _is_end_of_working_day(moment: datetime) -> bool:
    local = moment.astimezone(SHANGHAI)
    return local.time() == datetime.min.time() and is_working_day(last_day(moment))


def _working_days(after: date, through: date) -> int:
    count, day = 0, after
    while day < through:
        day += timedelta(days=1)
        count += is_working_day(day)
    return count


@PROPERTY
@given(DAYS, DAYS)
def test_question_closes_is_monotone_and_ends_a_working_day(first, second):
    if first > second:
        first, second = second, first
    assert question_closes(knew_on=first) <= question_closes(knew_on=second)
    closes = question_closes(knew_on=first)
    assert _is_end_of_working_day(closes)
    assert _working_days(first, last_day(closes)) == 7


@PROPERTY
@given(MOMENTS, MOMENTS)
def test_reply_and_complaint_periods_are_monotone_and_end_working_days(first, second):
    if first > second:
        first, second = second, first
    assert reply_due(received_at=first) <= reply_due(received_at=second)
    assert complaint_closes(question_received_at=first) <= complaint_closes(
        question_received_at=second
    )
    reply = reply_due(received_at=first)
    complaint = complaint_closes(question_received_at=first)
    assert _is_end_of_working_day(reply) and _is_end_of_working_day(complaint)
    assert _working_days(last_day(reply), last_day(complaint)) == 15


@PROPERTY
@given(MOMENTS, MOMENTS)
def test_decision_due_is_monotone_and_ends_a_working_day(first, second):
    if first > second:
        first, second = second, first
    assert decision_due(received_at=first) <= decision_due(received_at=second)
    due = decision_due(received_at=first)
    assert _is_end_of_working_day(due)
    assert _working_days(first.astimezone(SHANGHAI).date(), last_day(due)) == 30


@PROPERTY
@given(MOMENTS, st.integers(min_value=0, max_value=40), st.integers(min_value=0, max_value=20))
def test_a_pause_extends_the_decision_by_exactly_the_working_days_it_covers(
    received, offset, length
):
    unpaused = decision_due(received_at=received)
    received_on = received.astimezone(SHANGHAI).date()
    first = received_on + timedelta(days=1 + offset)
    last = min(first + timedelta(days=length), last_day(unpaused))
    if first > last:
        return
    covered = _working_days(first - timedelta(days=1), last)
    paused = decision_due(received_at=received, paused=[(first, last)])
    assert _is_end_of_working_day(paused)
    if covered:
        assert last_day(paused) == add_working_days(last_day(unpaused), covered)
    else:
        assert paused == unpaused
