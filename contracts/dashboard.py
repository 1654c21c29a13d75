"""The purchaser's dashboard (issue 12 §7): every open clock it answers for, across its awards
and contracts — overdue first, then due today, then the rest — with the stage, the matter, the
due moment, how late, and the page where the step is done.

Read in a fixed number of queries: the clocks in one, then one per kind for their subjects
(timers.subjects), whatever the number of clocks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.home import HomeSection
from accounts.models import OrganisationKind
from accounts.selectors import organisation_of, role_of
from timers.models import Clock, day_bounds, format_duration
from timers.registry import kinds_owed
from timers.subjects import ClockSubject, describe_subjects


@dataclass
class OwedClock:
    clock: Clock
    subject: ClockSubject
    now: dt.datetime

    @property
    def late_by(self) -> str:
        """How long past due, '' when not (yet) overdue."""
        if self.clock.paused_at is not None or self.clock.due > self.now:
            return ""
        return format_duration(self.now - self.clock.due)


@dataclass
class PurchaserDashboard:
    overdue: list[OwedClock] = field(default_factory=list)
    due_today: list[OwedClock] = field(default_factory=list)
    later: list[OwedClock] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.overdue) + len(self.due_today) + len(self.later)


def may_see_dashboard(user) -> bool:
    return role_of(user) == OrganisationKind.PURCHASER


def open_clocks_of(organisation) -> list[Clock]:
    """The open clocks `organisation` answers for, of the kinds a party answers, soonest due."""
    return list(
        Clock.objects.open()
        .filter(responsible=organisation, kind__in=[spec.kind for spec in kinds_owed()])
        .order_by("due", "pk")
    )


def purchaser_dashboard(user, *, now: dt.datetime) -> PurchaserDashboard:
    clocks = open_clocks_of(organisation_of(user))
    subjects = describe_subjects(clocks, user=user)
    _start, end_of_today = day_bounds(now)
    board = PurchaserDashboard()
    for clock in clocks:
        row = OwedClock(clock=clock, subject=subjects[clock.pk], now=now)
        if clock.paused_at is None and clock.due <= now:
            board.overdue.append(row)
        elif clock.paused_at is None and clock.due <= end_of_today:
            board.due_today.append(row)
        else:
            board.later.append(row)
    return board


def purchaser_section(request, role):
    """The purchaser's home: how many steps are overdue and due today, and the way to the list."""
    if role != OrganisationKind.PURCHASER:
        return None
    now = timezone.now()
    organisation = organisation_of(request.user)
    clocks = Clock.objects.filter(
        responsible=organisation, kind__in=[spec.kind for spec in kinds_owed()]
    )
    return HomeSection(
        title=_("Due today and overdue"),
        template="contracts/home_dashboard.html",
        context={
            "overdue": clocks.overdue(now).count(),
            "due_today": clocks.due_today(now).count(),
        },
        order=20,
    )
