"""Model-level behaviour: transitions are in-memory and recorded by simple-history on save."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from procurement.models import LotState

from .factories import make_lot

pytestmark = pytest.mark.django_db


def test_it_walks_a_lot_through_its_lifecycle_with_history(cast):
    lot = make_lot(cast)
    now = timezone.now()
    lot.announce(at=now)
    lot.save()
    lot.close(at=now)
    lot.save()
    lot.suspend()
    lot.save()
    assert lot.state == LotState.SUSPENDED
    lot.resume()
    lot.save()
    assert lot.state == LotState.CLOSED
    lot.refresh_from_db()
    assert lot.state == LotState.CLOSED
    assert [h.state for h in lot.history.order_by("history_id")] == [
        "draft",
        "announced",
        "closed",
        "suspended",
        "closed",
    ]


def test_it_refuses_a_transition_from_the_wrong_state(cast):
    lot = make_lot(cast)
    with pytest.raises(TransitionNotAllowed):
        lot.close(at=timezone.now())


def test_it_protects_the_state_field(cast):
    lot = make_lot(cast)
    with pytest.raises(AttributeError):
        lot.state = LotState.AWARDED


def test_an_announced_lot_gives_its_deadline_and_issue_time_and_a_lot_without_them_refuses(cast):
    lot = make_lot(cast)
    with pytest.raises(ValueError, match="no bid deadline"):
        lot.announced_deadline()
    with pytest.raises(ValueError, match="no issue time"):
        lot.announced_issue_time()
    now = timezone.now()
    lot.bid_deadline = now + dt.timedelta(days=20)
    lot.announce(at=now)
    assert lot.announced_deadline() == now + dt.timedelta(days=20)
    assert lot.announced_issue_time() == now
