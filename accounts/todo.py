"""The to-do list (待办): every step the user's organisation owes, from every app that owes one.

DESIGN.md "What each role owes": each app registers a provider, like its home sections and
clock kinds; this module never imports them (the layers hold). A provider returns the items a
user's organisation owes in its role — an open clock or a pending decision — each with what to
do, for which project and lot, when it is due and the page where it is done. An item is not
stored: it is read from the state of the matter, so it is gone the moment the step is done.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from workdays.calendar import SHANGHAI, is_working_day

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class TodoItem:
    kind: str  # the provider's key, e.g. "procurement.plan_to_file"
    title: StrOrPromise  # what to do: 备案实施计划
    subject: str  # for which matter: the project (and lot)
    url: str  # the page where it is done
    due: dt.datetime | None = None  # when it is due, if a rule or clock says so
    note: str = ""  # a word more: the reason, the window, what blocks it

    def overdue(self, now: dt.datetime) -> bool:
        return self.due is not None and now >= self.due

    def working_days_left(self, now: dt.datetime) -> int | None:
        """Working days from today (Beijing) to the due day, the due day counted: 0 when it is
        due today, 1 when due on the next working day; None without a due moment or overdue."""
        if self.due is None or self.overdue(now):
            return None
        today = timezone.localtime(now, SHANGHAI).date()
        # A due moment of 00:00 ends the day before (24:00, workdays.period_end).
        last = timezone.localtime(self.due - dt.timedelta(microseconds=1), SHANGHAI).date()
        days, day = 0, today
        while day < last:
            day += dt.timedelta(days=1)
            if is_working_day(day):
                days += 1
        return days


@dataclass(frozen=True)
class Owed:
    """Who asks: the user, its organisation and role (what every provider needs)."""

    user: Any
    organisation: Any
    role: str | None


TodoProvider = Callable[[Owed], Iterable[TodoItem]]
_providers: list[TodoProvider] = []


def register_todo_provider(provider: TodoProvider) -> TodoProvider:
    """Decorator: `provider(owed)` returns the items the organisation owes in its role."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def todo_items(user) -> list[TodoItem]:
    """Every item the user's organisation owes, the soonest due first (no due date last)."""
    from .selectors import organisation_of, role_of

    if not getattr(user, "is_authenticated", False):
        return []
    owed = Owed(user=user, organisation=organisation_of(user), role=role_of(user))
    if owed.organisation is None and not getattr(user, "is_expert", False):
        return []
    items = [item for provider in _providers for item in provider(owed)]
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    return sorted(items, key=lambda item: (item.due or far, str(item.subject), str(item.title)))
