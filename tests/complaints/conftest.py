"""Each test starts with an empty per-process calendar cache (workdays/calendar.py)."""

from __future__ import annotations

from datetime import datetime

import pytest

from workdays import calendar
from workdays.calendar import SHANGHAI


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    calendar.forget()
    yield
    calendar.forget()


def at(text: str) -> datetime:
    """An aware moment in Beijing time from 'YYYY-MM-DD HH:MM'."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI)
