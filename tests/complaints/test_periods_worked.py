"""Worked examples of the question and complaint periods, counted by hand on the 2026 calendar.

Written independently of tests/complaints/test_periods.py, from the texts themselves:

- GPL Art 52 / O94 Art 10: a question "在知道或者应知其权益受到损害之日起7个工作日内";
- IR Art 53: the day "应知" is (一) the day the documents were received or the documents'
  announcement period ended, (二) the day the procedural step ended, (三) the day the result
  announcement period ended; O87 Art 69: "中标公告期限为1个工作日";
- GPL Art 53 / O94 Art 13: the reply "在收到质疑函后7个工作日内";
- GPL Art 55 / O94 Art 17: the complaint "在答复期满后15个工作日内";
- GPL Art 56 / O94 Art 26: the decision "自收到投诉之日起30个工作日内"; O94 Art 27: time for
  the complainant's correction is not counted;
- IR Art 52: an inquiry answered "在3个工作日内";
- O94 Art 42 / O87 Art 85: the start day is not counted.

The 2026 arrangement (国务院办公厅, RULES.md R-T5), checked against chinese-calendar 1.11.0:
春节 2-15 (Sun) .. 2-23 (Mon) off, 2-14 (Sat) and 2-28 (Sat) worked; 中秋 9-25 (Fri) .. 9-27
off, 9-20 (Sun) worked; 国庆 10-01 (Thu) .. 10-07 (Wed) off, 10-10 (Sat) worked; 元旦 1-01 ..
1-03 off, 1-04 (Sun) worked.

Every deadline is 24:00 Beijing of the last day, written as 00:00 of the next day.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from complaints.periods import (
    complaint_closes,
    decision_due,
    inquiry_reply_due,
    knew_on_after_period,
    question_closes,
    reply_due,
)
from workdays.calendar import SHANGHAI, period_end

pytestmark = pytest.mark.django_db


def bj(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI)


def test_worked_result_published_on_the_eve_of_national_day():
    """A result announced on Wed 2026-09-30 at 15:00; a bidder questions the result.

    Announcement period, 1 working day (O87 Art 69), 9-30 not counted:
        10-01 .. 10-07 holiday; 10-08 (Thu) is working day 1  -> the period ends 10-08 24:00.
    The day the bidder should have known (IR Art 53(三)): 2026-10-08.
    Question window, 7 working days, 10-08 not counted:
        10-09 Fri 1, 10-10 Sat (make-up) 2, 10-11 Sun off, 10-12 Mon 3, 10-13 Tue 4,
        10-14 Wed 5, 10-15 Thu 6, 10-16 Fri 7  -> closes 2026-10-16 24:00 = 10-17 00:00.
    """
    announcement_ends = period_end(bj("2026-09-30 15:00"), 1, working=True)
    assert announcement_ends == bj("2026-10-09 00:00")
    knew_on = knew_on_after_period(announcement_ends)
    assert knew_on == date(2026, 10, 8)
    closes = question_closes(knew_on=knew_on)
    assert closes == bj("2026-10-17 00:00")
    # A question at 23:59 on Friday 10-16 is in time; one at 00:00 on Saturday is late.
    assert bj("2026-10-16 23:59") < closes <= bj("2026-10-17 00:00")


def test_worked_question_before_mid_autumn_reply_and_complaint_over_national_day():
    """A question received Thu 2026-09-24 at 16:00.

    Reply, 7 working days, 9-24 not counted:
        9-25 .. 9-27 中秋 off; 9-28 Mon 1, 9-29 Tue 2, 9-30 Wed 3; 10-01 .. 10-07 off;
        10-08 Thu 4, 10-09 Fri 5, 10-10 Sat (make-up) 6, 10-11 Sun off, 10-12 Mon 7
        -> reply due 2026-10-12 24:00 = 10-13 00:00.
    Complaint, 15 working days after the reply period ends, 10-12 not counted:
        10-13 1, 10-14 2, 10-15 3, 10-16 4, 10-19 5, 10-20 6, 10-21 7, 10-22 8, 10-23 9,
        10-26 10, 10-27 11, 10-28 12, 10-29 13, 10-30 14, 11-02 Mon 15
        -> closes 2026-11-02 24:00 = 11-03 00:00, whether or when the reply came.
    """
    received = bj("2026-09-24 16:00")
    assert reply_due(received_at=received) == bj("2026-10-13 00:00")
    assert complaint_closes(question_received_at=received) == bj("2026-11-03 00:00")


def test_worked_spring_festival_question_reply_and_inquiry():
    """A question and an inquiry, both received Fri 2026-02-13 at 10:00.

    Reply, 7 working days, 2-13 not counted:
        2-14 Sat (make-up) 1; 2-15 .. 2-23 春节 off; 2-24 Tue 2, 2-25 Wed 3, 2-26 Thu 4,
        2-27 Fri 5, 2-28 Sat (make-up) 6, 3-01 Sun off, 3-02 Mon 7
        -> reply due 2026-03-02 24:00 = 3-03 00:00.
    Inquiry, 3 working days (IR Art 52): 2-14 Sat 1, 2-24 Tue 2, 2-25 Wed 3
        -> answer due 2026-02-25 24:00 = 2-26 00:00.
    Complaint: 15 working days after 3-02: 3-03 .. 3-06 (4), 3-09 .. 3-13 (9),
        3-16 .. 3-20 (14), 3-23 Mon 15 -> closes 3-24 00:00.
    """
    received = bj("2026-02-13 10:00")
    assert reply_due(received_at=received) == bj("2026-03-03 00:00")
    assert inquiry_reply_due(received_at=received) == bj("2026-02-26 00:00")
    assert complaint_closes(question_received_at=received) == bj("2026-03-24 00:00")


def test_worked_documents_known_on_the_new_year_makeup_sunday():
    """The documents' announcement period ends on the make-up Sunday 2026-01-04 (a working
    day), so a supplier that obtained them earlier should have known on 1-04 (IR Art 53(一)).

    Question window, 7 working days, 1-04 not counted:
        1-05 Mon 1, 1-06 2, 1-07 3, 1-08 4, 1-09 Fri 5, 1-10/1-11 weekend off, 1-12 Mon 6,
        1-13 Tue 7 -> closes 2026-01-13 24:00 = 1-14 00:00.
    """
    knew_on = knew_on_after_period(bj("2026-01-05 00:00"))  # 24:00 of 1-04
    assert knew_on == date(2026, 1, 4)
    assert question_closes(knew_on=knew_on) == bj("2026-01-14 00:00")


def test_worked_decision_over_national_day_with_a_correction_left_out():
    """A complaint received Mon 2026-09-28 at 09:00.

    Decision, 30 working days, 9-28 not counted:
        9-29 1, 9-30 2; 10-01 .. 10-07 off; 10-08 3, 10-09 4, 10-10 Sat (make-up) 5,
        10-12 .. 10-16 (6-10), 10-19 .. 10-23 (11-15), 10-26 .. 10-30 (16-20),
        11-02 .. 11-06 (21-25), 11-09 .. 11-13 (26-30)
        -> due 2026-11-13 24:00 = 11-14 00:00.
    A correction asked on Wed 10-14 and received Fri 10-16 (O94 Art 27): 10-14, 10-15, 10-16
    are left out, three working days, so the 30th working day moves three working days on:
        11-13 becomes the 27th; 11-16 Mon 28, 11-17 29, 11-18 Wed 30 -> due 11-19 00:00.
    """
    received = bj("2026-09-28 09:00")
    assert decision_due(received_at=received) == bj("2026-11-14 00:00")
    paused = [(date(2026, 10, 14), date(2026, 10, 16))]
    assert decision_due(received_at=received, paused=paused) == bj("2026-11-19 00:00")
