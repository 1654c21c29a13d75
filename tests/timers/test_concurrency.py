"""Two sweeps at once on PostgreSQL: row locks with SKIP LOCKED give one effect per clock."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from audit.models import Event
from notifications.models import Notification
from tests.factories import OrganisationFactory
from timers import registry
from timers.registry import ONE_WORKING_DAY
from timers.services import SweepReport, start_clock, sweep

from .conftest import at
from .worker_actions import KIND as ACTION_KIND
from .worker_actions import times_closed

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks (SELECT ... FOR UPDATE SKIP LOCKED) need PostgreSQL; SQLite runs one writer",
)

DUE = at(2026, 3, 19)
STARTED = at(2026, 3, 17, 10)
N = 8


def test_two_sweeps_at_once_act_once_per_clock(transactional_db, scene, cast, monkeypatch):
    real = registry._actions[ACTION_KIND]

    def slow(clock):
        real(clock)
        time.sleep(0.05)  # hold the row lock while the other sweep reaches the same clock

    monkeypatch.setitem(registry._actions, ACTION_KIND, slow)
    for _ in range(N):
        breach_subject = OrganisationFactory()
        start_clock(
            subject=breach_subject,
            kind=ONE_WORKING_DAY,
            due=DUE,
            responsible=scene.responsible,
            started=STARTED,
        )
        remind_subject = OrganisationFactory()
        start_clock(
            subject=remind_subject,
            kind=ONE_WORKING_DAY,
            due=at(2026, 3, 19, 1),  # its two-hour reminder is owed at the sweep
            responsible=scene.responsible,
            started=STARTED,
        )
    action_subjects = OrganisationFactory.create_batch(N)
    for subject in action_subjects:
        start_clock(subject=subject, kind=ACTION_KIND, due=DUE, responsible=None, started=STARTED)

    now = at(2026, 3, 19, 0, 0, 30)
    barrier = threading.Barrier(2)
    reports: list[SweepReport] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            reports.append(sweep(now))
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert len(reports) == 2
    assert sum(r.breaches for r in reports) == N
    assert sum(r.reminders for r in reports) == N
    assert sum(r.actions_run for r in reports) == N
    assert sum(r.failures for r in reports) == 0
    assert Notification.objects.filter(kind="timers.breach", recipient=cast.bureau).count() == N
    assert (
        Notification.objects.filter(kind="timers.reminder", recipient=cast.purchaser).count() == N
    )
    assert Event.objects.filter(action="timers.clock.breached").count() == N
    assert [times_closed(subject) for subject in action_subjects] == [1] * N
    assert sweep(now) == SweepReport()
