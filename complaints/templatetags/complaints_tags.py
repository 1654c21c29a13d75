"""Small helpers of the complaints pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def working_days_left(step, now):
    return step.working_days_left(now)


@register.filter
def overdue_at(step, now) -> bool:
    return step.overdue(now)
