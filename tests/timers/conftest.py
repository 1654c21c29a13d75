"""Shared pieces of the timers tests: Beijing-time moments and a subject with a responsible org."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pytest
from django.core.cache import cache

from accounts.models import Organisation
from accounts.selectors import organisation_of
from timers.models import SHANGHAI

from . import worker_actions  # noqa: F401 - registers tests.close_window


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0):
    """An aware moment in Beijing time."""
    return datetime(year, month, day, hour, minute, second, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The sweep remembers queued due-action tasks in the cache; ids repeat between tests."""
    cache.clear()
    yield
    cache.clear()


@dataclass
class Scene:
    subject: Organisation  # any saved row can carry clocks; an organisation is at hand
    responsible: Organisation
    bureau: Organisation


@pytest.fixture
def scene(cast) -> Scene:
    return Scene(
        subject=organisation_of(cast.agency),
        responsible=organisation_of(cast.purchaser),
        bureau=organisation_of(cast.bureau),
    )
