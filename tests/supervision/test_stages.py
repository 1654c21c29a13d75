"""The dashboard's stages: every kind a party answers, the four one-day targets first in the
order of the cycle, whatever order the apps registered them in; kinds with a due action never."""

from __future__ import annotations

import pytest

from contracts.services.clocks import SIGNING, SIGNING_LIMIT
from evaluation.services.report import DECISION_CLOCK, RESULT_CLOCK
from procurement.services.announcements import BID_DEADLINE_CLOCK
from supervision.stages import ACCEPTANCE, PAYMENT, measured_stages
from timers import registry


@pytest.fixture
def acceptance_and_payment():
    """The acceptance and payment kinds, registered here if their app has not (yet)."""
    added = [k for k in (PAYMENT, ACCEPTANCE) if not registry.is_registered(k)]
    for kind in added:
        registry.register_clock_kind(kind, label=kind)
    yield
    for kind in added:
        registry.unregister_clock_kind(kind)


def test_the_four_one_day_targets_come_first_in_the_order_of_the_cycle(acceptance_and_payment):
    kinds = [spec.kind for spec in measured_stages()]
    assert kinds[:4] == [RESULT_CLOCK, SIGNING, ACCEPTANCE, PAYMENT]
    assert SIGNING_LIMIT in kinds[4:]
    rest = [str(spec.label) for spec in measured_stages()[4:]]
    assert rest == sorted(rest)


def test_kinds_the_server_meets_by_itself_are_not_measured():
    kinds = {spec.kind for spec in measured_stages()}
    assert BID_DEADLINE_CLOCK not in kinds
    assert DECISION_CLOCK not in kinds  # rank 1 is deemed chosen at its due moment
