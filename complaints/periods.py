"""The periods of questions (质疑) and complaints (投诉), public so the rules can be checked.

Each function returns an aware moment (Asia/Shanghai): the end of the last day of the period,
24:00 Beijing time, given as 00:00 of the next day, like `workdays.calendar.period_end`; an act
is in time when it happens strictly before it (`moment < due`).

The counting rule is 《政府采购质疑和投诉办法》（财政部令第94号）第四十二条 (RULES.md §2.1
R-T1): the day the period starts is not counted. Every period here is counted in working days
(工作日), so its last day is always a working day: make-up working days (调休上班) count, and
holidays and weekends are skipped (`workdays` is the one place that knows the calendar).

1. Question (质疑): within 7 working days of the day the supplier knew or should have known
   of the harm (《中华人民共和国政府采购法》第五十二条; 财政部令第94号第十条、第十一条). The day
   is given by the caller, as 《中华人民共和国政府采购法实施条例》第五十三条 defines it (see
   `knew_on_after_period`).
2. Reply (质疑答复): within 7 working days of receiving the question (政府采购法第五十三条;
   财政部令第94号第十三条).
3. Complaint (投诉): within 15 working days after the reply period ends ("答复期满后15个工作日
   内", 政府采购法第五十五条; 财政部令第94号第十七条) — counted from the last day of the reply
   period whether or not a reply came, never from the reply itself.
4. Decision (投诉处理决定): within 30 working days of receiving the complaint (政府采购法第五十六
   条; 财政部令第94号第二十六条), leaving out the time for testing, expert review or the
   complainant's correction: from the day the request is sent to the day the answer is
   received (财政部令第94号第二十七条; 政府采购法实施条例第五十八条).
5. Inquiry (询问): answered within 3 working days (政府采购法实施条例第五十二条).

The law fixes these numbers, so they are constants here, each with its article.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from workdays.calendar import SHANGHAI, add_working_days, is_working_day

__all__ = [
    "ANSWER_WORKING_DAYS",
    "COMPLAINT_WORKING_DAYS",
    "DECISION_WORKING_DAYS",
    "INQUIRY_REPLY_WORKING_DAYS",
    "NOTICE_WORKING_DAYS",
    "QUESTION_WORKING_DAYS",
    "REPLY_WORKING_DAYS",
    "REVIEW_WORKING_DAYS",
    "complaint_closes",
    "complaint_review_due",
    "decision_due",
    "end_of_day",
    "inquiry_reply_due",
    "knew_on_after_period",
    "last_day",
    "question_closes",
    "reply_due",
    "respondent_answer_due",
    "respondent_notice_due",
]

QUESTION_WORKING_DAYS = 7  # 政府采购法第五十二条; 财政部令第94号第十条
REPLY_WORKING_DAYS = 7  # 政府采购法第五十三条; 财政部令第94号第十三条
COMPLAINT_WORKING_DAYS = 15  # 政府采购法第五十五条; 财政部令第94号第十七条
DECISION_WORKING_DAYS = 30  # 政府采购法第五十六条; 财政部令第94号第二十六条
INQUIRY_REPLY_WORKING_DAYS = 3  # 政府采购法实施条例第五十二条


def question_closes(*, knew_on: date) -> datetime:
    """When the 7-working-day question window opened by `knew_on` (a Beijing date) closes."""
    return _end_of(add_working_days(_check_day(knew_on), QUESTION_WORKING_DAYS))


def reply_due(*, received_at: datetime) -> datetime:
    """When the reply to a question received at `received_at` is due (7 working days)."""
    return _end_of(_reply_last_day(received_at))


def complaint_closes(*, question_received_at: datetime) -> datetime:
    """When the complaint window closes: 15 working days after the reply period of the question
    received at `question_received_at` ends.

    The reply period ends at 24:00 of its last day; that day is the start of the complaint
    period and is not counted (财政部令第94号第四十二条), so the first day counted is the day
    after it. (Counting from 00:00 of the next day instead would skip one working day.)
    """
    return _end_of(
        add_working_days(_reply_last_day(received_at=question_received_at), COMPLAINT_WORKING_DAYS)
    )


def decision_due(*, received_at: datetime, paused: Iterable[tuple[date, date]] = ()) -> datetime:
    """When the decision on a complaint received at `received_at` is due (30 working days).

    `paused`: (from, to) Beijing dates, both included, left out of the period — from the day a
    request for testing, expert review or correction is sent to the day its answer is received
    (财政部令第94号第二十七条). Ranges may overlap; a working day in any of them is not counted.
    """
    start = _local_day(received_at)
    ranges = [_check_range(first, last) for first, last in paused]
    day = start
    remaining = DECISION_WORKING_DAYS
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day) and not any(first <= day <= last for first, last in ranges):
            remaining -= 1
    return _end_of(day)


def inquiry_reply_due(*, received_at: datetime) -> datetime:
    """When the answer to an inquiry (询问) received at `received_at` is due (3 working days)."""
    return _end_of(add_working_days(_local_day(received_at), INQUIRY_REPLY_WORKING_DAYS))


def last_day(moment: datetime) -> date:
    """The Beijing date of the last day of a period ending at `moment` (24:00 of that day)."""
    return (moment.astimezone(SHANGHAI) - timedelta(microseconds=1)).date()


def knew_on_after_period(period_ends_at: datetime) -> date:
    """The day a supplier should have known, for a period that ends at `period_ends_at`.

    政府采购法实施条例第五十三条: for the documents, the day the document announcement period
    ends (or the day the documents were received); for the result, the day the result
    announcement period ends ("公告期限届满之日"): the last day of that period.
    """
    return last_day(period_ends_at)


def _reply_last_day(received_at: datetime) -> date:
    return add_working_days(_local_day(received_at), REPLY_WORKING_DAYS)


def _end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=SHANGHAI)


def _local_day(moment: datetime) -> date:
    if not isinstance(moment, datetime) or moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("pass an aware datetime")
    return moment.astimezone(SHANGHAI).date()


def _check_day(day: date) -> date:
    if isinstance(day, datetime) or not isinstance(day, date):
        raise TypeError("pass a Beijing date; convert a moment with .astimezone(SHANGHAI).date()")
    return day


def _check_range(first: date, last: date) -> tuple[date, date]:
    _check_day(first)
    _check_day(last)
    if last < first:
        raise ValueError("a paused range ends on or after the day it starts")
    return first, last


# --- the bureau's steps on a complaint (财政部令第94号第二十一条、第二十二条) -------------------

REVIEW_WORKING_DAYS = 5  # 财政部令第94号第二十一条: 收到投诉书后5个工作日内进行审查
NOTICE_WORKING_DAYS = 8  # 财政部令第94号第二十一条（四）: 收到投诉后8个工作日内发出
ANSWER_WORKING_DAYS = 5  # 财政部令第94号第二十二条: 收到之日起5个工作日内作出说明


def end_of_day(day: date) -> datetime:
    """24:00 Beijing of `day` (a deadline the bureau sets as a date, such as a correction's)."""
    return _end_of(_check_day(day))


def complaint_review_due(*, received_at: datetime) -> datetime:
    """When the bureau's review of a complaint received at `received_at` is due (5 working
    days): it asks for a correction, refuses, points elsewhere or accepts by then."""
    return _end_of(add_working_days(_local_day(received_at), REVIEW_WORKING_DAYS))


def respondent_notice_due(*, received_at: datetime) -> datetime:
    """When the respondent must have been sent the complaint (8 working days from receipt)."""
    return _end_of(add_working_days(_local_day(received_at), NOTICE_WORKING_DAYS))


def respondent_answer_due(*, notified_at: datetime) -> datetime:
    """When the respondent's written answer is due (5 working days from the notice)."""
    return _end_of(add_working_days(_local_day(notified_at), ANSWER_WORKING_DAYS))
