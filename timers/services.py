"""Starting, meeting, pausing and sweeping clocks.

The sweep follows healthchecks' sendalerts and zulip's try_deliver_one_scheduled_message: find
due rows through an indexed query, then handle each row in its own transaction that re-reads it
under a lock and acts only if the row still calls for it, stamping what it did in the same
transaction. A duplicate sweep, a second worker or a redelivered task therefore changes
nothing, and a worker that was down does everything that fell due on its next sweep.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from accounts.models import Organisation
from audit.services import record_event
from common.errors import InvalidTransition
from notifications.services import close_notifications, notify_bureau, notify_organisation

from . import registry
from .models import OPEN, SHANGHAI, Clock, PausedSpan, format_deadline

logger = logging.getLogger(__name__)

REMINDER_KIND = "timers.reminder"
BREACH_KIND = "timers.breach"
BREACHED_EVENT = "timers.clock.breached"

MORNING = time(8, 0)
TWO_HOURS = timedelta(hours=2)
# 08:00 of the due day is at most 16 hours before due (a due of 24:00); the morning-reminder
# query looks no further ahead than this.
MORNING_LOOKAHEAD = timedelta(hours=16)
# Due actions closer than this are queued as exact-time Celery tasks (apply_async(eta=...)).
# Never further: the Redis transport redelivers a task whose ETA lies beyond its visibility
# timeout (config/settings/base.py sets 1 hour) to another worker, so an ETA days ahead would
# run many times. Five minutes sits far inside it; the task is idempotent all the same.
ETA_HORIZON = timedelta(minutes=5)
BATCH_SIZE = 200

CLOCK_ALREADY_DUE = _(
    "This deadline has already fallen due; cancel its clock and start a new one instead."
)


@dataclass
class SweepReport:
    """What one sweep did (the beat task logs it)."""

    reminders: int = 0
    breaches: int = 0
    actions_run: int = 0
    actions_scheduled: int = 0
    failures: int = 0


# Starting and stopping ----------------------------------------------------------------------


def _aware(moment: datetime, name: str) -> datetime:
    if timezone.is_naive(moment):
        raise ValueError(f"{name} must be an aware datetime, got {moment!r}")
    return moment


def _subject_key(subject: models.Model) -> dict[str, Any]:
    if subject.pk is None:
        raise ValueError("A clock's subject must be saved first.")
    return {"subject_type": ContentType.objects.get_for_model(subject), "subject_id": subject.pk}


def _open_clock_for_update(subject: models.Model, kind: str) -> Clock | None:
    return (
        Clock.objects.select_for_update().filter(OPEN, kind=kind, **_subject_key(subject)).first()
    )


def morning_reminder_at(due: datetime) -> datetime | None:
    """08:00 (Beijing) of the due day, or None when the clock falls due before then.

    A due of exactly 00:00 is 24:00 of the day before, so that day is the due day.
    """
    local = timezone.localtime(due, SHANGHAI)
    day = local.date() - timedelta(days=1) if local.time() == time(0) else local.date()
    moment = datetime.combine(day, MORNING, tzinfo=SHANGHAI)
    return moment if moment < due else None


def _forget_stale_reminders(clock: Clock) -> None:
    """After the due moved, a reminder sent for the old due is owed again for the new one.

    A reminder is never sent before its moment, so a stamp earlier than the moment computed
    from the new due belongs to an earlier due.
    """
    if clock.reminded_2h_at is not None and clock.reminded_2h_at < clock.due - TWO_HOURS:
        clock.reminded_2h_at = None
    morning = morning_reminder_at(clock.due)
    if (
        clock.reminded_morning_at is not None
        and morning is not None
        and clock.reminded_morning_at < morning
    ):
        clock.reminded_morning_at = None


def start_clock(
    *,
    subject: models.Model,
    kind: str,
    due: datetime,
    responsible: Organisation | None,
    started: datetime | None = None,
) -> Clock:
    """Start the clock of `kind` on `subject`; an open one is moved to the new due instead.

    Starting again with the same due is a no-op (a duplicate task); a different due moves the
    open clock (a correction notice extends a deadline). A clock that already fell due (it was
    breached or its due action ran) cannot be moved: InvalidTransition.
    """
    if not registry.is_registered(kind):
        raise ValueError(f"Unknown clock kind {kind!r}: call register_clock_kind() first.")
    _aware(due, "due")
    started = _aware(started, "started") if started is not None else timezone.now()
    with transaction.atomic():
        clock = _open_clock_for_update(subject, kind)
        if clock is None:
            try:
                # A savepoint: if a concurrent start wins the one-open-clock constraint, we
                # fall through and treat its clock as the open one.
                with transaction.atomic():
                    clock = Clock(
                        **_subject_key(subject),
                        kind=kind,
                        started=started,
                        due=due,
                        responsible=responsible,
                    )
                    clock._change_reason = gettext_noop("started")
                    clock.save()
                    return clock
            except IntegrityError:
                clock = _open_clock_for_update(subject, kind)
                if clock is None:
                    raise
        responsible_id = responsible.pk if responsible is not None else None
        if clock.due == due and clock.responsible_id == responsible_id:
            return clock
        if clock.breached_at is not None or clock.action_done_at is not None:
            raise InvalidTransition(str(CLOCK_ALREADY_DUE), code="clock_already_due")
        clock.due = due
        clock.responsible = responsible
        _forget_stale_reminders(clock)
        clock._change_reason = gettext_noop("due moved")
        clock.save()
        return clock


def _end_pause(clock: Clock, at: datetime) -> None:
    """Close the open paused span at `at`; the paused time is added to the due moment."""
    assert clock.paused_at is not None
    end = max(at, clock.paused_at)
    span = clock.paused_spans.filter(end__isnull=True).first()
    if span is None:  # a span row lost by hand: keep the clock consistent all the same
        span = PausedSpan(clock=clock, start=clock.paused_at)
    span.end = end
    span.save()
    paused = end - clock.paused_at
    clock.paused_total += paused
    clock.due += paused
    clock.paused_at = None


def meet_clock(*, subject: models.Model, kind: str, at: datetime | None = None) -> Clock | None:
    """Mark the open clock of `kind` on `subject` met (late if it was breached); None if none."""
    at = _aware(at, "at") if at is not None else timezone.now()
    with transaction.atomic():
        clock = _open_clock_for_update(subject, kind)
        if clock is None:
            return None
        if clock.paused_at is not None:
            _end_pause(clock, at)
        clock.met_at = at
        clock._change_reason = gettext_noop("met")
        clock.save()
        # The step is done: the reminders that asked for it are closed.
        close_notifications(kinds=[REMINDER_KIND], subject=subject, at=at)
        return clock


def cancel_clock(*, subject: models.Model, kind: str) -> None:
    """Stop the open clock of `kind` on `subject` for good (the step is no longer needed)."""
    now = timezone.now()
    with transaction.atomic():
        clock = _open_clock_for_update(subject, kind)
        if clock is None:
            return
        if clock.paused_at is not None:
            _end_pause(clock, now)
        clock.cancelled_at = now
        clock._change_reason = gettext_noop("cancelled")
        clock.save()
        close_notifications(kinds=[REMINDER_KIND], subject=subject, at=now)


def pause_clocks(
    *, subject: models.Model, at: datetime | None = None, kinds: Iterable[str] | None = None
) -> None:
    """Stop every running clock of `subject` (a complaint suspends the procurement), or only
    those of `kinds`."""
    at = _aware(at, "at") if at is not None else timezone.now()
    with transaction.atomic():
        clocks = Clock.objects.select_for_update().filter(
            OPEN, paused_at__isnull=True, **_subject_key(subject)
        )
        if kinds is not None:
            clocks = clocks.filter(kind__in=list(kinds))
        for clock in clocks:
            clock.paused_at = at
            clock._change_reason = gettext_noop("paused")
            clock.save()
            PausedSpan.objects.create(clock=clock, start=at)


def resume_clocks(
    *, subject: models.Model, at: datetime | None = None, kinds: Iterable[str] | None = None
) -> None:
    """Restart the paused clocks of `subject` (or only those of `kinds`); each due moves later
    by the time it was paused."""
    at = _aware(at, "at") if at is not None else timezone.now()
    with transaction.atomic():
        clocks = Clock.objects.select_for_update().filter(
            OPEN, paused_at__isnull=False, **_subject_key(subject)
        )
        if kinds is not None:
            clocks = clocks.filter(kind__in=list(kinds))
        for clock in clocks:
            _end_pause(clock, at)
            _forget_stale_reminders(clock)
            clock._change_reason = gettext_noop("resumed")
            clock.save()


# The sweep -------------------------------------------------------------------------------------


def sweep(now: datetime | None = None) -> SweepReport:
    """Send the reminders, mark the breaches and run the due actions that are due at `now`.

    The beat task runs it every minute. Each clock is handled in its own transaction; one
    failing clock is logged and retried on the next sweep without holding up the others.
    """
    now = _aware(now, "now") if now is not None else timezone.now()
    report = SweepReport()
    _sweep_reminders(now, report)
    _sweep_breaches(now, report)
    _sweep_due_actions(now, report)
    if report != SweepReport():
        logger.info("timers sweep at %s: %s", now.isoformat(), report)
    return report


def _batches(queryset: models.QuerySet[Clock]) -> Iterator[tuple[int, datetime, datetime]]:
    """(id, due, started) of matching clocks in (due, id) order, BATCH_SIZE rows per query.

    Keyset pagination: a row that was skipped (locked by another worker, or failing) is not
    read again in the same sweep, so the loop always ends.
    """
    after: tuple[datetime, int] | None = None
    while True:
        page = queryset
        if after is not None:
            page = page.filter(Q(due__gt=after[0]) | Q(due=after[0], pk__gt=after[1]))
        rows = list(page.order_by("due", "pk").values_list("pk", "due", "started")[:BATCH_SIZE])
        yield from rows
        if len(rows) < BATCH_SIZE:
            return
        after = (rows[-1][1], rows[-1][0])


def _lock(clock_id: int) -> Clock | None:
    """The clock under a row lock, or None if another worker holds it (it is handling it)."""
    return (
        Clock.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("responsible", "subject_type")
        .filter(pk=clock_id)
        .first()
    )


def _run_guarded(report: SweepReport, step: str, clock_id: int, func, *args) -> bool:
    try:
        return func(clock_id, *args)
    except Exception:  # one broken clock must not stop the sweep; it is retried next minute
        logger.exception("timers sweep: %s failed for clock %s", step, clock_id)
        report.failures += 1
        return False


def _message_context(clock: Clock, now: datetime) -> dict[str, Any]:
    subject = clock.subject
    left = max(clock.due - now, timedelta(0))
    hours, seconds = divmod(int(left.total_seconds()), 3600)
    return {
        "clock": clock,
        "label": registry.get_clock_kind(clock.kind).label,
        "subject_name": str(subject) if subject is not None else f"#{clock.subject_id}",
        "due": format_deadline(clock.due),
        "hours_left": hours,
        "minutes_left": seconds // 60,
        "responsible": clock.responsible,
    }


# Reminders: on the morning of the due day (08:00 Beijing) and two hours before due.


# History change reasons are English msgids, translated when the history page is shown.
REMINDED_REASONS = {
    "2h": gettext_noop("reminded (2h)"),
    "morning": gettext_noop("reminded (morning)"),
}


def reminder_owed(clock: Clock, now: datetime) -> str | None:
    """Which reminder `clock` should get at `now`: "2h", "morning" or None.

    A reminder is owed once its moment has come, if the clock was already running at that
    moment (a clock started at 15:00 gets no "this morning" reminder). The two-hour reminder
    also stands for a morning one not yet sent, so a late sweep sends one message, not two.
    """
    if (
        not clock.is_open
        or clock.breached_at is not None
        or clock.paused_at is not None
        or clock.responsible_id is None
        or clock.due <= now
        or not registry.get_clock_kind(clock.kind).remind
    ):
        return None
    two_hours_before = clock.due - TWO_HOURS
    if clock.reminded_2h_at is None and clock.started <= two_hours_before <= now:
        return "2h"
    morning = morning_reminder_at(clock.due)
    if (
        clock.reminded_morning_at is None
        and clock.reminded_2h_at is None
        and morning is not None
        and clock.started <= morning <= now
    ):
        return "morning"
    return None


def _remind_one(clock_id: int, now: datetime) -> bool:
    with transaction.atomic():
        clock = _lock(clock_id)
        if clock is None:
            return False
        which = reminder_owed(clock, now)
        if which is None:
            return False
        responsible = clock.responsible
        assert responsible is not None  # reminder_owed owes nothing to a clock without one
        notify_organisation(
            organisation=responsible,
            kind=REMINDER_KIND,
            context={**_message_context(clock, now), "reminder": which},
            subject=clock.subject,
        )
        if which == "2h":
            clock.reminded_2h_at = now
        if clock.reminded_morning_at is None:
            clock.reminded_morning_at = now
        clock._change_reason = REMINDED_REASONS[which]
        clock.save()
        return True


def _sweep_reminders(now: datetime, report: SweepReport) -> None:
    remindable = (
        Clock.objects.filter(OPEN, breached_at__isnull=True, paused_at__isnull=True, due__gt=now)
        .filter(responsible__isnull=False)
        .exclude(kind__in=registry.kinds_without_reminders())
    )
    # Two-hour reminders first: a sweep that comes late sends that one and skips the morning's.
    two_hours = remindable.filter(
        reminded_2h_at__isnull=True,
        due__lte=now + TWO_HOURS,
        started__lte=F("due") - TWO_HOURS,
    )
    for clock_id, _due, _started in _batches(two_hours):
        report.reminders += _run_guarded(report, "reminder", clock_id, _remind_one, now)
    mornings = remindable.filter(
        reminded_morning_at__isnull=True,
        reminded_2h_at__isnull=True,
        due__lte=now + MORNING_LOOKAHEAD,
    )
    for clock_id, due, started in _batches(mornings):
        morning = morning_reminder_at(due)
        if morning is None or not (started <= morning <= now):
            continue  # not yet (or never) owed: no lock taken
        report.reminders += _run_guarded(report, "reminder", clock_id, _remind_one, now)


# Breaches: past due, not met, not paused; the bureau is told for kinds that escalate.


def _breach_one(clock_id: int, now: datetime) -> bool:
    with transaction.atomic():
        clock = _lock(clock_id)
        if (
            clock is None
            or not clock.is_open
            or clock.breached_at is not None
            or clock.paused_at is not None
            or clock.due > now
            or registry.due_action(clock.kind) is not None
        ):
            return False
        # The breach happened at the due moment, whenever the sweep noticed it.
        clock.breached_at = clock.due
        if registry.get_clock_kind(clock.kind).escalate:
            notify_bureau(
                kind=BREACH_KIND,
                context={
                    **_message_context(clock, now),
                    "url": reverse("admin:timers_clock_change", args=[clock.pk]),
                },
                subject=clock.subject,
            )
            clock.escalated_at = now
        clock._change_reason = gettext_noop("breached")
        clock.save()
        record_event(
            action=BREACHED_EVENT,
            actor=None,
            organisation=clock.responsible,
            subject=clock,
            data={
                "kind": clock.kind,
                "subject_type": clock.subject_type.natural_key(),
                "subject_id": clock.subject_id,
                "due": clock.due.isoformat(),
                "escalated": clock.escalated_at is not None,
            },
        )
        return True


def _sweep_breaches(now: datetime, report: SweepReport) -> None:
    overdue = Clock.objects.filter(
        OPEN, breached_at__isnull=True, paused_at__isnull=True, due__lte=now
    ).exclude(kind__in=registry.kinds_with_actions())
    for clock_id, _due, _started in _batches(overdue):
        report.breaches += _run_guarded(report, "breach", clock_id, _breach_one, now)


# Due actions: the transitions that happen by themselves at a deadline.


def run_due_action(*, clock_id: int, now: datetime | None = None) -> bool:
    """Run the due action of one clock if it is due and not yet done; True if it ran.

    Idempotent: the row is re-read under a lock and the action runs only while
    `action_done_at` is empty; the action's writes and the stamp commit together. A kind with a
    due action is met by it: the deadline's event has happened.
    """
    now = _aware(now, "now") if now is not None else timezone.now()
    with transaction.atomic():
        clock = _lock(clock_id)
        if (
            clock is None
            or not clock.is_open
            or clock.action_done_at is not None
            or clock.paused_at is not None
            or clock.due > now
        ):
            return False
        action = registry.due_action(clock.kind)
        if action is None:
            return False
        action(clock)
        # The action may have met or cancelled the clock through the services: re-read it.
        clock.refresh_from_db()
        clock.action_done_at = now
        if clock.is_open:
            clock.met_at = now
        clock._change_reason = gettext_noop("due action done")
        clock.save()
        return True


def _schedule_due_action(clock_id: int, due: datetime) -> bool:
    """Queue an exact-time task for a due action in the next few minutes, once per due."""
    from .tasks import run_due_action as run_due_action_task

    # Every sweep in the five minutes before due sees the clock; one task is enough. Should
    # the key be lost, a second task finds action_done_at stamped and does nothing.
    key = f"timers:due-action:{clock_id}:{due.timestamp()}"
    if not cache.add(key, 1, timeout=int(ETA_HORIZON.total_seconds()) * 2):
        return False
    run_due_action_task.apply_async(args=[clock_id], eta=due)
    return True


def _sweep_due_actions(now: datetime, report: SweepReport) -> None:
    kinds = registry.kinds_with_actions()
    if not kinds:
        return
    due_soon = Clock.objects.filter(
        OPEN,
        action_done_at__isnull=True,
        paused_at__isnull=True,
        kind__in=kinds,
        due__lte=now + ETA_HORIZON,
    )
    for clock_id, due, _started in _batches(due_soon):
        if due <= now:
            ran = _run_guarded(
                report, "due action", clock_id, lambda pk: run_due_action(clock_id=pk, now=now)
            )
            report.actions_run += ran
        else:
            report.actions_scheduled += _run_guarded(
                report, "scheduling", clock_id, _schedule_due_action, due
            )
