"""The sweep: nothing before due, exactly one effect after, and a second sweep changes nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core import mail

from audit.models import Event
from notifications.models import Notification
from timers.models import Clock, ClockState
from timers.registry import ONE_WORKING_DAY
from timers.services import SweepReport, start_clock, sweep

from .conftest import at
from .worker_actions import KIND as ACTION_KIND
from .worker_actions import times_closed

# A one-working-day clock started Tuesday 2026-0317 10:00, due Wednesday 24:00.
STARTED = at(2026, 3, 17, 10)
DUE = at(2026, 3, 19)  # = 2026-03-18 24:00
MORNING = at(2026, 3, 18, 8)
TWO_HOURS_BEFORE = at(2026, 3, 18, 22)


def sweep_at(moment) -> SweepReport:
    with time_machine.travel(moment, tick=False):
        return sweep()


def reminders(user) -> list[Notification]:
    return list(Notification.objects.filter(kind="timers.reminder", recipient=user))


def breaches(user) -> list[Notification]:
    return list(Notification.objects.filter(kind="timers.breach", recipient=user))


@pytest.fixture
def clock(scene) -> Clock:
    return start_clock(
        subject=scene.subject,
        kind=ONE_WORKING_DAY,
        due=DUE,
        responsible=scene.responsible,
        started=STARTED,
    )


def test_it_does_nothing_before_the_morning_of_the_due_day(clock, cast):
    for moment in (STARTED, at(2026, 3, 17, 23, 59), at(2026, 3, 18, 7, 59, 59)):
        assert sweep_at(moment) == SweepReport()
    assert reminders(cast.purchaser) == []
    clock.refresh_from_db()
    assert clock.reminded_morning_at is None
    assert clock.state == ClockState.RUNNING


def test_it_reminds_at_eight_on_the_due_day_exactly_once(clock, cast):
    assert sweep_at(MORNING).reminders == 1
    assert sweep_at(MORNING + timedelta(minutes=1)) == SweepReport()
    assert sweep_at(at(2026, 3, 18, 21, 59)) == SweepReport()

    [notice] = reminders(cast.purchaser)
    assert "2026-03-18 24:00" in notice.title
    assert "市教育局" in notice.body  # the responsible organisation is addressed
    clock.refresh_from_db()
    assert clock.reminded_morning_at == MORNING
    assert clock.reminded_2h_at is None


def test_it_reminds_only_the_responsible_organisation(clock, cast):
    sweep_at(MORNING)
    assert len(reminders(cast.purchaser)) == 1
    for other in (cast.purchaser2, cast.agency, cast.supplier, cast.bureau):
        assert reminders(other) == []


def test_it_writes_the_reminder_in_chinese_and_e_mails_it(
    clock, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sweep_at(MORNING)
    [notice] = reminders(cast.purchaser)
    assert notice.title == "提醒：一个工作日时限将于 2026-03-18 24:00 到期"
    assert "北京时间" in notice.body
    assert [m.subject for m in mail.outbox] == [notice.title]
    assert mail.outbox[0].to == [cast.purchaser.email]


def test_it_reminds_two_hours_before_due_exactly_once(clock, cast):
    sweep_at(MORNING)
    assert sweep_at(TWO_HOURS_BEFORE - timedelta(seconds=1)) == SweepReport()
    assert sweep_at(TWO_HOURS_BEFORE).reminders == 1
    assert sweep_at(TWO_HOURS_BEFORE + timedelta(minutes=1)) == SweepReport()
    assert sweep_at(DUE - timedelta(seconds=1)) == SweepReport()

    assert len(reminders(cast.purchaser)) == 2
    clock.refresh_from_db()
    assert clock.reminded_2h_at == TWO_HOURS_BEFORE
    assert clock.reminded_morning_at == MORNING


def test_it_sends_no_reminder_for_a_moment_before_the_clock_started(scene, cast):
    # Started at 23:00 on the due day: neither this morning's nor the two-hour reminder is owed.
    start_clock(
        subject=scene.subject,
        kind=ONE_WORKING_DAY,
        due=DUE,
        responsible=scene.responsible,
        started=at(2026, 3, 18, 23),
    )
    assert sweep_at(at(2026, 3, 18, 23, 1)) == SweepReport()
    assert reminders(cast.purchaser) == []


def test_it_reckons_a_due_of_midnight_as_the_end_of_the_day_before(scene, cast):
    # Due 2026-03-19 00:00 is 2026-03-18 24:00: the morning reminder is on the 18th, not the 19th.
    start_clock(
        subject=scene.subject,
        kind=ONE_WORKING_DAY,
        due=DUE,
        responsible=scene.responsible,
        started=STARTED,
    )
    assert sweep_at(MORNING).reminders == 1


def test_it_does_not_breach_one_second_before_due(clock, cast):
    sweep_at(MORNING)
    sweep_at(TWO_HOURS_BEFORE)
    assert sweep_at(DUE - timedelta(seconds=1)) == SweepReport()
    clock.refresh_from_db()
    assert clock.breached_at is None
    assert breaches(cast.bureau) == []


def test_it_marks_a_breach_exactly_once_and_tells_the_bureau(clock, cast):
    sweep_at(MORNING)
    sweep_at(TWO_HOURS_BEFORE)

    assert sweep_at(DUE).breaches == 1
    assert sweep_at(DUE + timedelta(minutes=1)) == SweepReport()
    assert sweep_at(DUE + timedelta(days=3)) == SweepReport()

    clock.refresh_from_db()
    assert clock.state == ClockState.BREACHED
    assert clock.breached_at == DUE
    assert clock.escalated_at == DUE
    [notice] = breaches(cast.bureau)
    assert notice.title.startswith("时限已超期")
    assert "市教育局" in notice.body
    assert notice.url == f"/admin/timers/clock/{clock.pk}/change/"
    for other in (cast.purchaser, cast.purchaser2, cast.agency, cast.supplier):
        assert breaches(other) == []
    [event] = Event.objects.filter(action="timers.clock.breached")
    assert event.actor is None
    assert event.organisation_id == clock.responsible_id
    assert event.data["kind"] == ONE_WORKING_DAY
    assert datetime.fromisoformat(event.data["due"]) == DUE
    assert clock.history.filter(history_change_reason="breached").count() == 1


def test_it_meets_a_breached_clock_late_and_keeps_the_breach(clock, scene):
    from timers.services import meet_clock

    sweep_at(DUE)
    with time_machine.travel(DUE + timedelta(hours=3), tick=False):
        met = meet_clock(subject=scene.subject, kind=ONE_WORKING_DAY)
    assert met.pk == clock.pk
    assert met.state == ClockState.MET
    assert met.breached_at == DUE
    assert sweep_at(DUE + timedelta(hours=4)) == SweepReport()


def test_it_does_not_breach_or_remind_a_met_clock(clock, scene, cast):
    from timers.services import meet_clock

    meet_clock(subject=scene.subject, kind=ONE_WORKING_DAY, at=at(2026, 3, 18, 9))
    assert sweep_at(TWO_HOURS_BEFORE) == SweepReport()
    assert sweep_at(DUE) == SweepReport()
    assert reminders(cast.purchaser) == []
    assert not Event.objects.filter(action="timers.clock.breached").exists()


def test_it_runs_a_due_action_exactly_once(scene, cast):
    clock = start_clock(
        subject=scene.subject, kind=ACTION_KIND, due=DUE, responsible=None, started=STARTED
    )
    assert sweep_at(DUE - timedelta(seconds=1)).actions_run == 0
    assert times_closed(scene.subject) == 0

    report = sweep_at(DUE)
    assert report.actions_run == 1
    assert report.breaches == 0  # a kind with a due action is met by it, never breached
    assert sweep_at(DUE + timedelta(minutes=1)) == SweepReport()
    assert sweep_at(DUE + timedelta(days=1)) == SweepReport()

    assert times_closed(scene.subject) == 1
    clock.refresh_from_db()
    assert clock.action_done_at == DUE
    assert clock.state == ClockState.MET
    assert breaches(cast.bureau) == []


def test_it_queues_a_due_action_within_five_minutes_and_the_early_task_does_nothing(scene):
    # In tests Celery runs tasks at once, so the exact-time task runs before its ETA: it must
    # find the clock not yet due and leave it alone; the sweep at due time runs the action.
    start_clock(subject=scene.subject, kind=ACTION_KIND, due=DUE, responsible=None, started=STARTED)
    assert sweep_at(DUE - timedelta(minutes=6)).actions_scheduled == 0
    assert sweep_at(DUE - timedelta(minutes=5)).actions_scheduled == 1
    assert sweep_at(DUE - timedelta(minutes=4)).actions_scheduled == 0  # queued once per due
    assert times_closed(scene.subject) == 0
    assert sweep_at(DUE).actions_run == 1
    assert times_closed(scene.subject) == 1


def test_the_due_action_task_is_idempotent(scene):
    from timers.tasks import run_due_action

    clock = start_clock(
        subject=scene.subject, kind=ACTION_KIND, due=DUE, responsible=None, started=STARTED
    )
    with time_machine.travel(DUE + timedelta(seconds=1), tick=False):
        assert run_due_action.delay(clock.pk).get() is True
        assert run_due_action.delay(clock.pk).get() is False
        assert sweep() == SweepReport()
    assert times_closed(scene.subject) == 1


def test_a_failing_due_action_changes_nothing_and_is_retried(scene, monkeypatch):
    from timers import registry

    clock = start_clock(
        subject=scene.subject, kind=ACTION_KIND, due=DUE, responsible=None, started=STARTED
    )
    real = registry._actions[ACTION_KIND]

    def broken(clock):
        real(clock)  # its write is rolled back with the stamp
        raise RuntimeError("gateway down")

    monkeypatch.setitem(registry._actions, ACTION_KIND, broken)
    report = sweep_at(DUE)
    assert (report.actions_run, report.failures) == (0, 1)
    clock.refresh_from_db()
    assert clock.action_done_at is None
    assert times_closed(scene.subject) == 0

    monkeypatch.setitem(registry._actions, ACTION_KIND, real)
    assert sweep_at(DUE + timedelta(minutes=1)).actions_run == 1
    assert times_closed(scene.subject) == 1


def test_a_worker_down_for_hours_catches_up_with_one_effect_per_clock(scene, cast):
    """Down from 07:00 on the due day until 01:30 after due: one sweep does everything owed."""
    remind_me = start_clock(
        subject=scene.subject,
        kind=ONE_WORKING_DAY,
        due=at(2026, 3, 19, 3),
        responsible=scene.responsible,
        started=STARTED,
    )
    breach_me = start_clock(
        subject=scene.responsible,
        kind=ONE_WORKING_DAY,
        due=DUE,
        responsible=scene.responsible,
        started=STARTED,
    )
    act_on_me = start_clock(
        subject=scene.subject, kind=ACTION_KIND, due=DUE, responsible=None, started=STARTED
    )
    sweep_at(at(2026, 3, 18, 7))  # the last sweep before the outage

    back = at(2026, 3, 19, 1, 30)
    report = sweep_at(back)
    assert report == SweepReport(reminders=1, breaches=1, actions_run=1)
    assert sweep_at(back + timedelta(minutes=1)) == SweepReport()

    # remind_me: due 03:00, so the two-hour reminder (01:00) is owed; it also stands for the
    # morning reminder of the 18th that was missed: one message, not two.
    for clock in (remind_me, breach_me, act_on_me):
        clock.refresh_from_db()
    assert len(reminders(cast.purchaser)) == 1
    assert remind_me.reminded_2h_at == back
    assert remind_me.reminded_morning_at == back
    assert breach_me.breached_at == DUE
    assert len(breaches(cast.bureau)) == 1
    assert act_on_me.action_done_at == back
    assert times_closed(scene.subject) == 1
    assert Event.objects.filter(action="timers.clock.breached").count() == 1


def test_it_handles_more_clocks_than_one_batch(scene, monkeypatch):
    from accounts.models import OrganisationKind
    from tests.factories import OrganisationFactory
    from timers import services

    monkeypatch.setattr(services, "BATCH_SIZE", 3)
    subjects = OrganisationFactory.create_batch(7, kind=OrganisationKind.SUPPLIER)
    for subject in subjects:
        start_clock(
            subject=subject,
            kind=ONE_WORKING_DAY,
            due=DUE,
            responsible=scene.responsible,
            started=STARTED,
        )
    assert sweep_at(DUE).breaches == 7
    assert sweep_at(DUE).breaches == 0


def test_the_sweep_reads_the_due_clocks_in_a_fixed_number_of_queries(
    scene, django_assert_max_num_queries
):
    from accounts.models import OrganisationKind
    from tests.factories import OrganisationFactory

    for subject in OrganisationFactory.create_batch(20, kind=OrganisationKind.SUPPLIER):
        start_clock(
            subject=subject, kind=ONE_WORKING_DAY, due=DUE, responsible=None, started=STARTED
        )
    # Nothing is owed before the morning: the candidate queries only, whatever the row count.
    with django_assert_max_num_queries(4):
        assert sweep_at(at(2026, 3, 18, 7)) == SweepReport()


def test_meeting_the_clock_closes_its_reminders(clock, cast, scene):
    from timers.services import meet_clock

    sweep_at(MORNING)
    [notice] = reminders(cast.purchaser)
    assert notice.closed_at is None
    meet_clock(subject=scene.subject, kind=ONE_WORKING_DAY, at=MORNING + timedelta(hours=1))
    notice.refresh_from_db()
    assert notice.closed_at == MORNING + timedelta(hours=1) and notice.read_at is not None
