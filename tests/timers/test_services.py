"""Starting, moving, meeting, cancelling, pausing and resuming clocks."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction

from common.errors import InvalidTransition
from timers.models import Clock, ClockState, PausedSpan
from timers.registry import ONE_WORKING_DAY
from timers.services import (
    SweepReport,
    cancel_clock,
    meet_clock,
    pause_clocks,
    resume_clocks,
    start_clock,
    sweep,
)

from .conftest import at

STARTED = at(2026, 3, 17, 10)
DUE = at(2026, 3, 19)


def start(scene, **overrides) -> Clock:
    fields = {
        "subject": scene.subject,
        "kind": ONE_WORKING_DAY,
        "due": DUE,
        "responsible": scene.responsible,
        "started": STARTED,
    }
    return start_clock(**{**fields, **overrides})


def test_it_starts_a_running_clock(scene):
    with time_machine.travel(STARTED, tick=False):
        clock = start(scene, started=None)
    assert clock.started == STARTED
    assert clock.subject == scene.subject
    assert clock.state == ClockState.RUNNING
    assert clock.label == "一个工作日时限"
    assert clock.due_display == "2026-03-18 24:00"
    with time_machine.travel(at(2026, 3, 18, 22, 30), tick=False):
        assert clock.remaining == timedelta(hours=1, minutes=30)
    assert clock.history.get().history_change_reason == "started"


def test_starting_the_same_clock_again_changes_nothing(scene):
    first = start(scene)
    again = start(scene)
    assert again.pk == first.pk
    assert Clock.objects.count() == 1
    assert first.history.count() == 1


def test_starting_again_with_a_new_due_moves_the_open_clock(scene):
    clock = start(scene)
    moved = start(scene, due=DUE + timedelta(days=2))
    assert moved.pk == clock.pk
    assert Clock.objects.get().due == DUE + timedelta(days=2)


def test_moving_the_due_makes_the_reminders_owed_again_for_the_new_day(scene, cast):
    clock = start(scene)
    with time_machine.travel(at(2026, 3, 18, 22), tick=False):
        assert sweep().reminders == 1
    clock = start(scene, due=DUE + timedelta(days=2))  # now due 2026-03-20 24:00
    assert clock.reminded_morning_at is None
    assert clock.reminded_2h_at is None
    with time_machine.travel(at(2026, 3, 20, 8), tick=False):
        assert sweep().reminders == 1


def test_it_refuses_to_move_a_clock_that_was_already_breached(scene):
    start(scene)
    with time_machine.travel(DUE, tick=False):
        sweep()
    with pytest.raises(InvalidTransition):
        start(scene, due=DUE + timedelta(days=1))
    assert Clock.objects.get().due == DUE


def test_it_refuses_an_unknown_kind_and_a_naive_due(scene):
    with pytest.raises(ValueError, match="Unknown clock kind"):
        start(scene, kind="procurement.no_such_deadline")
    with pytest.raises(ValueError, match="aware"):
        start(scene, due=datetime(2026, 3, 19))  # noqa: DTZ001 - the point of the test
    assert not Clock.objects.exists()


def test_the_database_allows_one_open_clock_per_subject_and_kind(scene):
    clock = start(scene)
    with pytest.raises(IntegrityError), transaction.atomic():
        Clock.objects.create(
            subject_type=clock.subject_type,
            subject_id=clock.subject_id,
            kind=ONE_WORKING_DAY,
            started=STARTED,
            due=DUE,
        )
    # Once the first is met, the same deadline may start again (a second round, say).
    meet_clock(subject=scene.subject, kind=ONE_WORKING_DAY, at=at(2026, 3, 18, 9))
    second = start(scene, due=DUE + timedelta(days=7))
    assert second.pk != clock.pk


def test_it_meets_the_open_clock(scene):
    clock = start(scene)
    met = meet_clock(subject=scene.subject, kind=ONE_WORKING_DAY, at=at(2026, 3, 18, 9))
    assert met.pk == clock.pk
    assert met.met_at == at(2026, 3, 18, 9)
    assert met.state == ClockState.MET
    assert met.remaining is None


def test_meeting_without_an_open_clock_returns_none(scene):
    assert meet_clock(subject=scene.subject, kind=ONE_WORKING_DAY) is None
    start(scene)
    meet_clock(subject=scene.subject, kind=ONE_WORKING_DAY)
    assert meet_clock(subject=scene.subject, kind=ONE_WORKING_DAY) is None


def test_a_cancelled_clock_never_reminds_or_breaches(scene, cast):
    clock = start(scene)
    cancel_clock(subject=scene.subject, kind=ONE_WORKING_DAY)
    cancel_clock(subject=scene.subject, kind=ONE_WORKING_DAY)  # a second cancel is harmless
    clock.refresh_from_db()
    assert clock.state == ClockState.CANCELLED
    for moment in (at(2026, 3, 18, 8), at(2026, 3, 18, 22), DUE):
        with time_machine.travel(moment, tick=False):
            assert sweep() == SweepReport()


def test_pausing_and_resuming_moves_due_by_the_paused_span(scene):
    clock = start(scene)
    pause_clocks(subject=scene.subject, at=at(2026, 3, 18, 9))
    clock.refresh_from_db()
    assert clock.state == ClockState.PAUSED
    assert clock.remaining == timedelta(hours=15)  # frozen while paused

    resume_clocks(subject=scene.subject, at=at(2026, 3, 20, 15, 30))
    clock.refresh_from_db()
    paused = timedelta(days=2, hours=6, minutes=30)
    assert clock.paused_total == paused
    assert clock.due == DUE + paused
    assert clock.state == ClockState.RUNNING
    [span] = clock.paused_spans.all()
    assert (span.start, span.end, span.duration) == (
        at(2026, 3, 18, 9),
        at(2026, 3, 20, 15, 30),
        paused,
    )
    assert list(clock.history.values_list("history_change_reason", flat=True)) == [
        "resumed",
        "paused",
        "started",
    ]


def test_paused_time_does_not_count_across_several_suspensions(scene):
    clock = start(scene)
    pause_clocks(subject=scene.subject, at=at(2026, 3, 17, 12))
    pause_clocks(subject=scene.subject, at=at(2026, 3, 17, 13))  # already paused: no-op
    resume_clocks(subject=scene.subject, at=at(2026, 3, 17, 14))
    resume_clocks(subject=scene.subject, at=at(2026, 3, 17, 15))  # not paused: no-op
    pause_clocks(subject=scene.subject, at=at(2026, 3, 18, 10))
    resume_clocks(subject=scene.subject, at=at(2026, 3, 18, 13))
    clock.refresh_from_db()
    assert clock.paused_total == timedelta(hours=5)
    assert clock.due == DUE + timedelta(hours=5)
    assert PausedSpan.objects.filter(clock=clock).count() == 2


def test_a_paused_clock_is_not_breached_and_is_breached_at_its_moved_due(scene, cast):
    clock = start(scene)
    pause_clocks(subject=scene.subject, at=at(2026, 3, 18, 20))
    for moment in (DUE, DUE + timedelta(days=1)):
        with time_machine.travel(moment, tick=False):
            assert sweep() == SweepReport()
    clock.refresh_from_db()
    assert clock.breached_at is None

    resume_clocks(subject=scene.subject, at=at(2026, 3, 20, 20))  # paused 48 h
    new_due = DUE + timedelta(hours=48)
    with time_machine.travel(new_due - timedelta(seconds=1), tick=False):
        assert sweep().breaches == 0
    with time_machine.travel(new_due, tick=False):
        assert sweep().breaches == 1
    clock.refresh_from_db()
    assert clock.breached_at == new_due


def test_resuming_after_a_reminder_reminds_again_only_for_a_new_due_day(scene, cast):
    from notifications.models import Notification

    clock = start(scene, due=at(2026, 3, 18, 18))
    with time_machine.travel(at(2026, 3, 18, 8), tick=False):
        assert sweep().reminders == 1
    # Paused for ten minutes: still due on the 18th, so no second morning reminder.
    pause_clocks(subject=scene.subject, at=at(2026, 3, 18, 9))
    resume_clocks(subject=scene.subject, at=at(2026, 3, 18, 9, 10))
    clock.refresh_from_db()
    assert clock.due == at(2026, 3, 18, 18, 10)
    assert clock.reminded_morning_at == at(2026, 3, 18, 8)
    # Paused for a day: now due on the 19th, whose morning is owed its own reminder.
    pause_clocks(subject=scene.subject, at=at(2026, 3, 18, 10))
    resume_clocks(subject=scene.subject, at=at(2026, 3, 19, 10))
    clock.refresh_from_db()
    assert clock.due == at(2026, 3, 19, 18, 10)
    assert clock.reminded_morning_at is None
    with time_machine.travel(at(2026, 3, 19, 7, 59), tick=False):
        assert sweep().reminders == 0
    with time_machine.travel(at(2026, 3, 19, 8), tick=False):
        assert sweep().reminders == 1
    assert Notification.objects.filter(kind="timers.reminder").count() == 2


def test_pausing_touches_only_the_subjects_clocks(scene):
    mine = start(scene)
    other = start(scene, subject=scene.responsible)
    pause_clocks(subject=scene.subject, at=at(2026, 3, 18, 9))
    mine.refresh_from_db()
    other.refresh_from_db()
    assert (mine.state, other.state) == (ClockState.PAUSED, ClockState.RUNNING)


def test_meeting_a_paused_clock_closes_its_span(scene):
    start(scene)
    pause_clocks(subject=scene.subject, at=at(2026, 3, 18, 9))
    clock = meet_clock(subject=scene.subject, kind=ONE_WORKING_DAY, at=at(2026, 3, 18, 11))
    assert clock.paused_at is None
    assert clock.paused_total == timedelta(hours=2)
    assert clock.paused_spans.get().end == at(2026, 3, 18, 11)
    assert clock.state == ClockState.MET
