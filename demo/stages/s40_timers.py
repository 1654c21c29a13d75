"""Deadline clocks: one running, one breached, one met (issue 3 §2).

Until the procurement stages have demo lots, the clocks hang on organisation rows; each demo
clock is made once per subject, so running the stage again adds nothing.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from timers.models import Clock
from timers.registry import ONE_WORKING_DAY, one_working_day_due
from timers.services import meet_clock, start_clock, sweep

from . import DemoContext


def _exists(subject) -> bool:
    return Clock.objects.for_subject(subject).filter(kind=ONE_WORKING_DAY).exists()


def run(ctx: DemoContext) -> None:
    now = timezone.now()
    purchaser1, purchaser2, university = (
        ctx.orgs["purchaser1"],
        ctx.orgs["purchaser2"],
        ctx.orgs["university"],
    )

    # Running: started an hour ago, due at 24:00 of the next working day.
    if not _exists(purchaser1):
        started = now - timedelta(hours=1)
        start_clock(
            subject=purchaser1,
            kind=ONE_WORKING_DAY,
            due=one_working_day_due(started),
            responsible=purchaser1,
            started=started,
        )

    # Breached: started three days ago, its one working day ended; the sweep marks the breach,
    # tells the bureau (inbox) and writes the audit event, as the beat job would.
    if not _exists(purchaser2):
        started = now - timedelta(days=3)
        while one_working_day_due(started) > now:  # across a holiday: step back further
            started -= timedelta(days=1)
        start_clock(
            subject=purchaser2,
            kind=ONE_WORKING_DAY,
            due=one_working_day_due(started),
            responsible=purchaser2,
            started=started,
        )
        sweep(now)

    # Met: started yesterday morning and answered within the hour.
    if not _exists(university):
        started = now - timedelta(days=1)
        start_clock(
            subject=university,
            kind=ONE_WORKING_DAY,
            due=one_working_day_due(started),
            responsible=university,
            started=started,
        )
        meet_clock(subject=university, kind=ONE_WORKING_DAY, at=started + timedelta(minutes=40))

    ctx.say(
        "Deadline clocks: one running (平顶山市教育局), one breached (平顶山市卫生健康委员会), "
        "one met (平顶山学院) — bureau: /admin/timers/clock/"
    )
