"""The bid deadline clock closes the lot by itself, exactly once."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from audit.models import Event
from procurement.models import LotState
from procurement.services import close_lot, publish_correction
from procurement.services.announcements import CorrectionValues
from timers.models import Clock
from timers.services import sweep

from .factories import make_announced_project
from .timeline import DEADLINE, NOW, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(cast):
    with time_machine.travel(NOW, tick=False):
        return make_announced_project(cast, deadline=DEADLINE)


def states(project) -> set[str]:
    return set(project.lots.values_list("state", flat=True))


def closed_once_at(lot, moment) -> bool:
    """Closed at `moment`, exactly once. What follows the close (the opening, or a failure
    for too few bids) belongs to the bidding app, which reacts to procurement.signals.lot_closed
    in the same transaction; so the lot's state now may already be past "closed"."""
    lot.refresh_from_db()
    history = [h.state for h in lot.history.order_by("history_id")]
    return lot.closed_at == moment and history.count("closed") == 1 and lot.state != "announced"


def test_nothing_happens_before_the_deadline(project):
    with time_machine.travel(DEADLINE - dt.timedelta(seconds=1), tick=False):
        sweep()
    assert states(project) == {LotState.ANNOUNCED}
    assert not Event.objects.filter(action="procurement.lot.closed").exists()


def test_the_sweep_at_the_deadline_closes_every_lot_once(project):
    # The provision periods of the documents ended long before (their check runs then).
    with time_machine.travel(DEADLINE - dt.timedelta(days=1), tick=False):
        assert sweep().actions_run == 2
    with time_machine.travel(DEADLINE, tick=False):
        report = sweep()
    assert report.actions_run == 2
    for lot in project.lots.all():
        assert closed_once_at(lot, DEADLINE)
        clock = Clock.objects.for_subject(lot).get(kind="procurement.bid_deadline")
        assert clock.action_done_at == DEADLINE
    closed = Event.objects.filter(action="procurement.lot.closed")
    assert closed.count() == 2 and closed.first().actor is None
    with time_machine.travel(DEADLINE + dt.timedelta(minutes=1), tick=False):
        again = sweep()
    assert again.actions_run == 0
    assert Event.objects.filter(action="procurement.lot.closed").count() == 2
    assert all(closed_once_at(lot, DEADLINE) for lot in project.lots.all())


def test_close_lot_is_idempotent_and_waits_for_a_moved_deadline(project):
    lot = project.lots.get(number=1)
    with time_machine.travel(DEADLINE - dt.timedelta(minutes=1), tick=False):
        assert close_lot(lot_id=lot.pk) is False
    with time_machine.travel(DEADLINE, tick=False):
        assert close_lot(lot_id=lot.pk) is True
        assert close_lot(lot_id=lot.pk) is False
    assert closed_once_at(lot, DEADLINE)


def test_a_moved_deadline_moves_the_clock(cast, project):
    new_deadline = at(2026, 4, 7, 9, 30)
    with time_machine.travel(at(2026, 3, 10, 10, 0), tick=False):
        publish_correction(
            project=project,
            values=CorrectionValues(corrections="延期", new_deadline=new_deadline),
            acting_user=cast.purchaser,
        )
    with time_machine.travel(DEADLINE + dt.timedelta(hours=1), tick=False):
        sweep()
    assert states(project) == {LotState.ANNOUNCED}
    with time_machine.travel(new_deadline, tick=False):
        sweep()
    assert all(closed_once_at(lot, new_deadline) for lot in project.lots.all())
