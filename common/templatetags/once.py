"""`{% form_token %}`: the one-time token of a create form (common/once.py)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from common.once import FIELD, new_token

register = template.Library()


@register.simple_tag
def form_token() -> str:
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())
