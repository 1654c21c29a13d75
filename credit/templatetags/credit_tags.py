"""Display helpers of the credit pages."""

from __future__ import annotations

import datetime as dt

from django import template

from timers.models import format_deadline

register = template.Library()


@register.filter
def deadline(moment: dt.datetime | None) -> str:
    """A due moment as the notice writes it (24:00 of its last day)."""
    return format_deadline(moment) if moment else ""
