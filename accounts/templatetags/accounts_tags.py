"""Display helpers for the to-do list (accounts.todo)."""

from __future__ import annotations

import datetime as dt

from django import template

from ..todo import TodoItem

register = template.Library()


@register.filter
def todo_overdue(item: TodoItem, now: dt.datetime) -> bool:
    return item.overdue(now)


@register.filter
def todo_left(item: TodoItem, now: dt.datetime) -> int | None:
    """Working days left until the item is due (0: due today)."""
    return item.working_days_left(now)
