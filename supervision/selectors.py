"""The bureau's overview of the clocks (issue 12 §7): aggregated in the database, so the page
and the export run the same few queries whatever the number of clocks.

What is counted (cancelled clocks never are; only the kinds a party answers, stages.py):
1. running: open and not yet past due (a paused clock waits, it is not late);
2. due today: running and due by 24:00 today (Beijing);
3. overdue: open, not paused and past due — the step is still owed;
4. breached: the due moment passed unmet — met late since, or still owed (overdue). Read from
   the due and met moments, not from the sweeper's breached_at stamp, so a step met late
   while the sweeper was down counts the same.
Per responsible organisation and stage: met on time (met at or before due), met late, still
running, overdue; the share on time is met on time ÷ (met + overdue). A clock still open past
its due is already late, so it counts against the share: a purchaser that holds a supplier's
money does not show 100 % because it never paid.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from timers.models import OPEN, Clock, ClockQuerySet, day_bounds, format_duration
from timers.subjects import ClockSubject, describe_subjects

from .stages import measured_stages, stage_label

OVERDUE_LIMIT = 200  # rows of the overdue list on the page; the export has them all


def measured_clocks() -> ClockQuerySet:
    """Every clock the dashboard counts: not cancelled, of a kind a party answers."""
    return Clock.objects.filter(
        cancelled_at__isnull=True, kind__in=[spec.kind for spec in measured_stages()]
    )


@dataclass(frozen=True)
class Counts:
    running: int
    due_today: int
    overdue: int
    breached: int


@dataclass
class Tally:
    """One cell of the table: a responsible organisation's clocks of a stage (or a total)."""

    responsible_id: int | None
    responsible: str
    kind: str
    stage: str
    running: int = 0
    overdue: int = 0
    on_time: int = 0
    late: int = 0

    @property
    def decided(self) -> int:
        return self.on_time + self.late + self.overdue

    @property
    def share(self) -> float | None:
        """Met on time ÷ (met + overdue); None while nothing has fallen due."""
        return self.on_time / self.decided if self.decided else None

    @property
    def percent(self) -> str:
        return f"{self.share * 100:.1f}%" if self.share is not None else "—"

    def add(self, other: Tally) -> None:
        self.running += other.running
        self.overdue += other.overdue
        self.on_time += other.on_time
        self.late += other.late


@dataclass
class OverdueClock:
    clock: Clock
    stage: str
    subject: ClockSubject
    late_by: dt.timedelta

    @property
    def late_by_display(self) -> str:
        return format_duration(self.late_by)


@dataclass
class Overview:
    counts: Counts
    rows: list[Tally]  # per responsible organisation × stage, the stages in their order
    by_stage: list[Tally]  # every organisation together
    by_responsible: list[Tally]  # every stage together
    overdue: list[OverdueClock] = field(default_factory=list)
    overdue_total: int = 0

    def chart(self) -> dict[str, Any]:
        """The data of the ECharts bars: the share on time (%) per stage, and per
        organisation with one series per stage."""

        def percent(tally: Tally | None) -> float | None:
            share = tally.share if tally is not None else None
            return round(share * 100, 1) if share is not None else None

        cells = {(t.responsible_id, t.kind): t for t in self.rows}
        return {
            "title_stage": _("Share met on time per stage"),
            "title_responsible": _("Share met on time per purchaser and stage"),
            "stages": [t.stage for t in self.by_stage],
            "stage_shares": [percent(t) for t in self.by_stage],
            "responsibles": [t.responsible for t in self.by_responsible],
            "series": [
                {
                    "name": stage.stage,
                    "data": [
                        percent(cells.get((who.responsible_id, stage.kind)))
                        for who in self.by_responsible
                    ],
                }
                for stage in self.by_stage
            ],
        }


def clock_counts(clocks: ClockQuerySet, now: dt.datetime) -> Counts:
    _start, end = day_bounds(now)
    running = OPEN & (Q(paused_at__isnull=False) | Q(due__gt=now))
    found = clocks.aggregate(
        running=Count("pk", filter=running),
        due_today=Count("pk", filter=OPEN & Q(paused_at__isnull=True, due__gt=now, due__lte=end)),
        overdue=Count("pk", filter=OPEN & Q(paused_at__isnull=True, due__lte=now)),
        breached=Count(
            "pk",
            filter=Q(met_at__gt=F("due")) | (OPEN & Q(paused_at__isnull=True, due__lte=now)),
        ),
    )
    return Counts(**found)


def _tallies(clocks: ClockQuerySet, now: dt.datetime) -> list[Tally]:
    grouped = (
        clocks.order_by()
        .values("responsible_id", "responsible__name", "kind")
        .annotate(
            running=Count("pk", filter=OPEN & (Q(paused_at__isnull=False) | Q(due__gt=now))),
            overdue=Count("pk", filter=OPEN & Q(paused_at__isnull=True, due__lte=now)),
            on_time=Count("pk", filter=Q(met_at__isnull=False, met_at__lte=F("due"))),
            late=Count("pk", filter=Q(met_at__isnull=False, met_at__gt=F("due"))),
        )
    )
    nobody = _("(no responsible organisation)")
    return [
        Tally(
            responsible_id=row["responsible_id"],
            responsible=row["responsible__name"] or nobody,
            kind=row["kind"],
            stage=stage_label(row["kind"]),
            running=row["running"],
            overdue=row["overdue"],
            on_time=row["on_time"],
            late=row["late"],
        )
        for row in grouped
    ]


def build_overview(clocks: ClockQuerySet, *, now: dt.datetime, user: Any) -> Overview:
    """The counts, the table and the overdue list of these clocks (already filtered)."""
    order = {spec.kind: n for n, spec in enumerate(measured_stages())}
    tallies = _tallies(clocks, now)
    tallies.sort(key=lambda t: (t.responsible, order.get(t.kind, len(order))))
    by_stage: dict[str, Tally] = {}
    by_responsible: dict[int | None, Tally] = {}
    for tally in tallies:
        stage = by_stage.setdefault(
            tally.kind,
            Tally(responsible_id=None, responsible="", kind=tally.kind, stage=tally.stage),
        )
        stage.add(tally)
        who = by_responsible.setdefault(
            tally.responsible_id,
            Tally(
                responsible_id=tally.responsible_id,
                responsible=tally.responsible,
                kind="",
                stage="",
            ),
        )
        who.add(tally)
    overdue_clocks = list(
        clocks.overdue(now).select_related("responsible").order_by("due", "pk")[:OVERDUE_LIMIT]
    )
    counts = clock_counts(clocks, now)
    return Overview(
        counts=counts,
        rows=tallies,
        by_stage=sorted(by_stage.values(), key=lambda t: order.get(t.kind, len(order))),
        by_responsible=list(by_responsible.values()),
        overdue=overdue_list(overdue_clocks, now=now, user=user),
        overdue_total=counts.overdue,
    )


def overdue_list(clocks: list[Clock], *, now: dt.datetime, user: Any) -> list[OverdueClock]:
    subjects = describe_subjects(clocks, user=user)
    return [
        OverdueClock(
            clock=clock,
            stage=stage_label(clock.kind),
            subject=subjects[clock.pk],
            late_by=now - clock.due,
        )
        for clock in clocks
    ]
