"""Small filters for the audit admin pages."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django import template
from django.utils import timezone

from audit.selectors import SHANGHAI

register = template.Library()


@register.filter
def shanghai(value: dt.datetime | None) -> str:
    """An aware moment as Beijing time, to the second."""
    if value is None:
        return ""
    return timezone.localtime(value, SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")


@register.filter
def audit_value(value: Any) -> str:
    """A value from an event's data: text as it is, lists and objects as compact JSON."""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if value is None:
        return "null"
    return str(value)
