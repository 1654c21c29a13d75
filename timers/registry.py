"""Clock kinds and the due actions that stages register for them.

Higher apps call these from their AppConfig.ready(), e.g.::

    register_clock_kind("procurement.bid_deadline", label=_("bid deadline"), remind=False)
    register_due_action("procurement.bid_deadline", close_bidding_at_deadline)

A kind is a dotted name owned by one app. `remind` sends the responsible organisation the
reminders on the morning of the due day and two hours before due; `escalate` tells the finance
bureau when a clock of the kind is breached. A kind with a due action is met by its action
(the transition happens by itself at the deadline), so it is never breached.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from workdays.calendar import end_of_next_working_day

if TYPE_CHECKING:
    from .models import Clock

ONE_WORKING_DAY = "timers.one_working_day"

DueAction = Callable[["Clock"], None]


@dataclass(frozen=True)
class ClockKind:
    kind: str
    label: str | Promise
    remind: bool = True
    escalate: bool = True


_kinds: dict[str, ClockKind] = {}
_actions: dict[str, DueAction] = {}


def register_clock_kind(
    kind: str, *, label: str | Promise, remind: bool = True, escalate: bool = True
) -> None:
    """Declare a kind of clock; registering the same kind again replaces its settings."""
    if "." not in kind:
        raise ValueError(
            f"Clock kind {kind!r} must be a dotted name like 'procurement.bid_deadline'."
        )
    _kinds[kind] = ClockKind(kind=kind, label=label, remind=remind, escalate=escalate)


def register_due_action(kind: str, action: DueAction) -> None:
    """Run `action(clock)` once when a clock of `kind` falls due; it must be idempotent.

    The sweeper calls it inside the transaction that holds the clock's row lock and stamps
    `action_done_at`, so its database writes and the stamp commit (or roll back) together.
    """
    if kind not in _kinds:
        raise ValueError(f"Register clock kind {kind!r} before its due action.")
    if kind in _actions and _actions[kind] is not action:
        raise ValueError(f"Clock kind {kind!r} already has a due action.")
    _actions[kind] = action


def unregister_clock_kind(kind: str) -> None:
    """Forget a kind and its action (tests register throwaway kinds)."""
    _kinds.pop(kind, None)
    _actions.pop(kind, None)


def is_registered(kind: str) -> bool:
    return kind in _kinds


def get_clock_kind(kind: str) -> ClockKind:
    """The kind's settings; an unknown kind (its app was removed) reminds and escalates."""
    return _kinds.get(kind) or ClockKind(kind=kind, label=kind)


def due_action(kind: str) -> DueAction | None:
    return _actions.get(kind)


def kinds_with_actions() -> list[str]:
    return sorted(_actions)


def kinds_without_reminders() -> list[str]:
    """Kinds registered with remind=False (queries exclude them, so unknown kinds still remind)."""
    return sorted(k for k, spec in _kinds.items() if not spec.remind)


def registered_kinds() -> list[ClockKind]:
    """Every registered kind, by its dotted name."""
    return [spec for _kind, spec in sorted(_kinds.items())]


def kinds_owed() -> list[ClockKind]:
    """The kinds a party answers (no due action: the server does not meet them by itself);
    the dashboards measure these."""
    return [spec for spec in registered_kinds() if spec.kind not in _actions]


def kind_choices() -> list[tuple[str, str]]:
    return [(k, str(spec.label)) for k, spec in sorted(_kinds.items())]


def one_working_day_due(start: datetime) -> datetime:
    """Due moment of a "one working day" clock: 24:00 of the first working day after `start`."""
    return end_of_next_working_day(start)


register_clock_kind(ONE_WORKING_DAY, label=_("one working day"))
