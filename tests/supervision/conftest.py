"""A known set of clocks for the bureau's dashboard, at Wednesday 2026-03-18 09:00 (Beijing).

Two purchasers, two of the one-day stages (result decided, contract signed):

| purchaser | stage   | on time | late | overdue (open) | running | cancelled |
| 市教育局   | result  | 2       | 1    | 1              | 1 (due tonight) | 1 |
| 市教育局   | signing | 1       |      |                |         |   |
| 市卫健委   | result  |         | 1    |                |         |   |
| 市卫健委   | signing |         |      | 1              | 1 (due tomorrow) | |

Breached: the three due 2026-03-16 24:00 that the 01:00 sweep found unmet, and the signing clock
due at 08:00 today that the sweep at 09:00 found unmet: four.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.cache import cache

from accounts.models import Organisation
from accounts.selectors import organisation_of
from contracts.services.clocks import SIGNING
from evaluation.services.report import RESULT_CLOCK
from tests.factories import OrganisationFactory
from tests.timers.conftest import at
from timers.models import Clock
from timers.services import cancel_clock, meet_clock, start_clock, sweep

NOW = at(2026, 3, 18, 9)
MONDAY = at(2026, 3, 16, 9)


@dataclass
class Clocks:
    p1: Organisation
    p2: Organisation
    made: dict[str, Clock]


def add_clock(responsible, kind, *, due, started=MONDAY) -> tuple[Organisation, Clock]:
    subject = OrganisationFactory()
    return subject, start_clock(
        subject=subject, kind=kind, due=due, responsible=responsible, started=started
    )


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clocks(cast) -> Clocks:
    p1, p2 = organisation_of(cast.purchaser), organisation_of(cast.purchaser2)
    made: dict[str, Clock] = {}
    subjects: dict[str, Organisation] = {}

    def add(name, responsible, kind, **kw):
        subjects[name], made[name] = add_clock(responsible, kind, **kw)

    add("p1_result_on_time_a", p1, RESULT_CLOCK, due=at(2026, 3, 18))
    add("p1_result_on_time_b", p1, RESULT_CLOCK, due=at(2026, 3, 18))
    add("p1_result_late", p1, RESULT_CLOCK, due=at(2026, 3, 17))
    add("p1_result_overdue", p1, RESULT_CLOCK, due=at(2026, 3, 17))
    add("p1_result_running", p1, RESULT_CLOCK, due=at(2026, 3, 19))
    add("p1_result_cancelled", p1, RESULT_CLOCK, due=at(2026, 3, 19))
    # Started late on Monday evening in Beijing (Monday 15:30 UTC): a Monday clock.
    add("p1_signing_on_time", p1, SIGNING, due=at(2026, 3, 18), started=at(2026, 3, 16, 23, 30))
    add("p2_result_late", p2, RESULT_CLOCK, due=at(2026, 3, 17))
    add("p2_signing_running", p2, SIGNING, due=at(2026, 3, 20), started=at(2026, 3, 17, 10))
    add("p2_signing_overdue", p2, SIGNING, due=at(2026, 3, 18, 8), started=at(2026, 3, 17, 9))

    sweep(at(2026, 3, 17, 1))
    for name, when in [
        ("p1_result_on_time_a", at(2026, 3, 17, 10)),
        ("p1_result_on_time_b", at(2026, 3, 17, 23)),
        ("p1_result_late", at(2026, 3, 17, 12)),
        ("p1_signing_on_time", at(2026, 3, 17, 15)),
        ("p2_result_late", at(2026, 3, 17, 12)),
    ]:
        meet_clock(subject=subjects[name], kind=made[name].kind, at=when)
    cancel_clock(subject=subjects["p1_result_cancelled"], kind=RESULT_CLOCK)
    sweep(NOW)
    for clock in made.values():
        clock.refresh_from_db()
    return Clocks(p1=p1, p2=p2, made=made)
