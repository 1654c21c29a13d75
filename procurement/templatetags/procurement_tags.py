"""Display helpers for notices rendered from their structured data (Announcement.data)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django import template
from django.utils import timezone
from django.utils.translation import gettext

from timers.models import format_deadline

from ..models import (
    AnnouncementKind,
    ClarificationStatus,
    EvaluationMethod,
    IntentionStatus,
    LotState,
    PlanStatus,
    ProcurementKind,
    ProcurementMethod,
    SmeMode,
)

register = template.Library()

CHOICES = {
    "method": ProcurementMethod,
    "kind": ProcurementKind,
    "evaluation": EvaluationMethod,
    "sme_mode": SmeMode,
    "announcement": AnnouncementKind,
    "lot_state": LotState,
    "plan_status": PlanStatus,
    "intention_status": IntentionStatus,
    "question_status": ClarificationStatus,
}

BADGES = {
    "draft": "secondary",
    "published": "success",
    "submitted": "info",
    "filed": "success",
    "returned": "warning",
    "announced": "primary",
    "closed": "dark",
    "cancelled": "danger",
    "failed": "danger",
    "suspended": "warning",
    "awarded": "success",
    "open": "warning",
    "answered": "success",
    "pending": "info",
    "approved": "success",
    "rejected": "danger",
}


@register.filter
def label(value, choices: str) -> str:
    """The translated label of a stored choice value: {{ lot.kind|label:"kind" }}."""
    enum = CHOICES[choices]
    try:
        return str(enum(value).label)
    except ValueError:
        return value or ""


@register.filter
def moment(value) -> dt.datetime | None:
    """An ISO timestamp from `data` as an aware datetime in the current time zone."""
    if not value:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return timezone.localtime(value)


@register.filter
def deadline(value) -> str:
    """A period's end as the law words it: 00:00 reads as 24:00 of the day before."""
    if not value:
        return ""
    when = moment(value)
    return format_deadline(when) if when else ""


@register.filter
def yuan(value) -> str:
    """12,345.00 from a Decimal or its string form."""
    if value in (None, ""):
        return ""
    try:
        return f"{Decimal(str(value)):,.2f}"
    except InvalidOperation:
        return str(value)


@register.filter
def pct(value) -> str:
    if value in (None, ""):
        return ""
    return f"{Decimal(str(value)).normalize():f}%"


@register.filter
def badge(value) -> str:
    return BADGES.get(str(value), "secondary")


@register.filter
def until(value) -> str:
    """The end of a period as a notice writes it: 24:00 of its last day (stored as 00:00 of the
    next day, workdays.period_end) reads "2026-03-18 24:00"; any other moment as it is."""
    end = moment(value)
    if end is None:
        return ""
    if end.time() == dt.time(0, 0):
        return f"{end.date() - dt.timedelta(days=1):%Y-%m-%d} 24:00"
    return f"{end:%Y-%m-%d %H:%M}"


@register.filter
def period(value) -> str:
    """A period of `data` ({"days": 5, "working": true, ...}) as "5 working days"."""
    if not value:
        return ""
    if value.get("working"):
        return gettext("%(n)s working days") % {"n": value["days"]}
    return gettext("%(n)s calendar days") % {"n": value["days"]}
