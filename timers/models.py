"""Clock: every legal or one-day deadline as a row, swept every minute (timers.services.sweep)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.models import TimeStampedModel

from . import registry

if TYPE_CHECKING:
    from accounts.models import User

# Deadlines are shown, and "the morning of the due day" is reckoned, in Beijing time.
SHANGHAI = ZoneInfo("Asia/Shanghai")
OPEN = Q(met_at__isnull=True, cancelled_at__isnull=True)


def format_deadline(moment: datetime) -> str:
    """Local (Asia/Shanghai) text of a deadline; midnight is shown as 24:00 of the day it ends.

    A legal period's last day ends at 24:00 (RULES.md §2), so 2026-02-24 00:00 reads
    "2026-02-23 24:00", the way the notice that set the deadline wrote it.
    """
    local = timezone.localtime(moment, SHANGHAI)
    if local.time() == time(0):
        return f"{local.date() - timedelta(days=1):%Y-%m-%d} 24:00"
    return f"{local:%Y-%m-%d %H:%M}"


def format_duration(value: timedelta) -> str:
    """'2 d 3 h' style text of a non-negative duration (days and hours, or hours and minutes)."""
    minutes = int(value.total_seconds()) // 60
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return gettext("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
    if hours:
        return gettext("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    return gettext("%(minutes)d min") % {"minutes": minutes}


def day_bounds(moment: datetime) -> tuple[datetime, datetime]:
    """The Beijing day of `moment` as (00:00, 24:00): a due of 24:00 belongs to it, one of
    00:00 to the day before (format_deadline)."""
    day = timezone.localtime(moment, SHANGHAI).date()
    start = datetime.combine(day, time(0), tzinfo=SHANGHAI)
    return start, start + timedelta(days=1)


class ClockState(models.TextChoices):
    """Derived from the *_at stamps; never stored (a fact is a date, DESIGN.md "Time")."""

    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")
    MET = "met", _("Met")
    BREACHED = "breached", _("Breached")
    CANCELLED = "cancelled", _("Cancelled")


STATE_FILTERS: dict[str, Q] = {
    ClockState.CANCELLED: Q(cancelled_at__isnull=False),
    ClockState.MET: Q(met_at__isnull=False, cancelled_at__isnull=True),
    ClockState.BREACHED: OPEN & Q(breached_at__isnull=False),
    ClockState.PAUSED: OPEN & Q(breached_at__isnull=True, paused_at__isnull=False),
    ClockState.RUNNING: OPEN & Q(breached_at__isnull=True, paused_at__isnull=True),
}


class ClockQuerySet(models.QuerySet["Clock"]):
    def open(self) -> ClockQuerySet:
        """Neither met nor cancelled (a breached clock stays open until it is met late)."""
        return self.filter(OPEN)

    def for_subject(self, subject: models.Model) -> ClockQuerySet:
        return self.filter(
            subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
        )

    def in_state(self, state: str) -> ClockQuerySet:
        return self.filter(STATE_FILTERS[state])

    def overdue(self, now: datetime) -> ClockQuerySet:
        """Open, running and past due: the step is owed and late (breached or about to be)."""
        return self.filter(OPEN, paused_at__isnull=True, due__lte=now)

    def due_today(self, now: datetime) -> ClockQuerySet:
        """Open, running, not yet due, and due by 24:00 of today (Beijing)."""
        _start, end = day_bounds(now)
        return self.filter(OPEN, paused_at__isnull=True, due__gt=now, due__lte=end)


class Clock(TimeStampedModel):
    """A deadline: started by the event that triggers it, met by the event that answers it."""

    subject_type = models.ForeignKey(
        ContentType, verbose_name=_("subject type"), on_delete=models.PROTECT, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(_("subject id"))
    subject = GenericForeignKey("subject_type", "subject_id")
    kind = models.CharField(
        _("kind"),
        max_length=100,
        help_text=_("What the deadline is for, e.g. procurement.bid_deadline."),
    )
    started = models.DateTimeField(_("started"))
    # Read by timers.services.sweep every minute (reminders, breaches, due actions) through the
    # partial indexes below; this plain index serves the admin's "due today" list.
    due = models.DateTimeField(_("due"), db_index=True)
    met_at = models.DateTimeField(_("met at"), null=True, blank=True)
    breached_at = models.DateTimeField(
        _("breached at"),
        null=True,
        blank=True,
        help_text=_("The due moment that passed without the clock being met."),
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    responsible = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("responsible organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clocks",
    )
    reminded_morning_at = models.DateTimeField(
        _("reminded on the morning of the due day"), null=True, blank=True
    )
    reminded_2h_at = models.DateTimeField(_("reminded two hours before due"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated to the bureau at"), null=True, blank=True)
    action_done_at = models.DateTimeField(_("due action done at"), null=True, blank=True)
    paused_at = models.DateTimeField(
        _("paused at"), null=True, blank=True, help_text=_("Empty while the clock runs.")
    )
    paused_total = models.DurationField(
        _("total time paused"),
        default=timedelta(0),
        help_text=_("Already added to the due moment: paused time does not count."),
    )
    history = HistoricalRecords()
    # Set by services before save(); simple-history puts them on the historical row.
    _history_user: User | None
    _change_reason: str

    objects = ClockQuerySet.as_manager()

    class Meta:
        verbose_name = _("clock")
        verbose_name_plural = _("clocks")
        ordering = ["due", "id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"], name="timers_clock_subject"),
            # sweep(): reminders before due and breaches after it read open, unbreached clocks
            # by due.
            models.Index(
                fields=["due"],
                name="timers_clock_unbreached_due",
                condition=OPEN & Q(breached_at__isnull=True),
            ),
            # sweep(): the due actions read clocks of the kinds that have one, by due.
            models.Index(
                fields=["kind", "due"],
                name="timers_clock_action_due",
                condition=OPEN & Q(action_done_at__isnull=True),
            ),
        ]
        constraints = [
            # start_clock moves an open clock instead of starting a second one.
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "kind"],
                condition=OPEN,
                name="timers_clock_one_open_per_subject_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} · {self.subject_type.name} #{self.subject_id}"

    @property
    def label(self) -> str:
        return str(registry.get_clock_kind(self.kind).label)

    @property
    def due_display(self) -> str:
        return format_deadline(self.due)

    @property
    def is_open(self) -> bool:
        return self.met_at is None and self.cancelled_at is None

    @property
    def state(self) -> str:
        if self.cancelled_at is not None:
            return ClockState.CANCELLED
        if self.met_at is not None:
            return ClockState.MET
        if self.breached_at is not None:
            return ClockState.BREACHED
        if self.paused_at is not None:
            return ClockState.PAUSED
        return ClockState.RUNNING

    def get_state_display(self) -> str:
        return str(ClockState(self.state).label)

    @property
    def remaining(self) -> timedelta | None:
        """Time left until due (negative once overdue); frozen while paused; None when closed."""
        if not self.is_open:
            return None
        if self.paused_at is not None:
            return self.due - self.paused_at
        return self.due - timezone.now()


class PausedSpan(models.Model):
    """One suspension of a clock, kept as a row so the bureau sees each span in the admin.

    Rows rather than a JSON list: a span is queryable ("which clocks were paused by complaints
    last month"), constrained (one open span per clock) and shown as an inline.
    """

    clock = models.ForeignKey(
        Clock, verbose_name=_("clock"), on_delete=models.CASCADE, related_name="paused_spans"
    )
    start = models.DateTimeField(_("paused from"))
    end = models.DateTimeField(_("resumed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("paused span")
        verbose_name_plural = _("paused spans")
        ordering = ["start", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["clock"], condition=Q(end__isnull=True), name="timers_one_open_span"
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="timers_span_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        start = f"{timezone.localtime(self.start, SHANGHAI):%Y-%m-%d %H:%M}"
        return (
            f"{start} – {timezone.localtime(self.end, SHANGHAI):%Y-%m-%d %H:%M}"
            if self.end
            else start
        )

    @property
    def duration(self) -> timedelta | None:
        return self.end - self.start if self.end else None
