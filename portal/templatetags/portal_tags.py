"""Small template helpers of the public pages."""

from __future__ import annotations

import functools
from decimal import Decimal

from django import forms, template
from django.forms.utils import flatatt
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from portal.presenters import money

register = template.Library()


@register.filter
def yuan(amount: Decimal | str | None) -> str:
    """ "1,234,567.00 yuan" in the current language; a dash when there is none."""
    return money(None if amount is None or amount == "" else Decimal(amount))


def _label(key: str) -> str:
    return str(key).replace("_", " ").strip().capitalize()


def _value(value) -> SafeString | str:
    if isinstance(value, dict):
        return render_data(value)
    if isinstance(value, list | tuple):
        return format_html(
            '<ul class="mb-0 ps-3">{}</ul>',
            format_html_join("", "<li>{}</li>", ((_value(v),) for v in value)),
        )
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if value is None or value == "":
        return "—"
    return str(value)


@register.filter
def render_data(data) -> SafeString:
    """A plain definition list of a notice's structured data (used until a kind has its own)."""
    if not isinstance(data, dict) or not data:
        return format_html('<p class="text-muted">{}</p>', _("No further details."))
    rows = format_html_join(
        "",
        '<dt class="col-sm-3">{}</dt><dd class="col-sm-9">{}</dd>',
        ((_label(k), _value(v)) for k, v in data.items()),
    )
    return format_html('<dl class="row mb-0 notice-data">{}</dl>', rows)


@functools.lru_cache(maxsize=32)
def _options(choices: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str, str], ...]:
    """(value, option HTML, selected option HTML) per choice, escaped once per set of choices."""
    out = []
    for value, label in choices:
        v, text = escape(value), escape(label)
        out.append(
            (
                str(value),
                f'<option value="{v}">{text}</option>',
                f'<option value="{v}" selected>{text}</option>',
            )
        )
    return tuple(out)


@register.simple_tag
def filter_control(bound_field, options=None) -> SafeString:
    """A filter form control, written directly (Django's widget templates cost ~10 ms a list).

    Handles the two kinds of widgets the public filters use: selects (with `options`, pairs of
    strings, or the field's own choices) and single-line inputs.
    """
    widget = bound_field.field.widget
    attrs = {**widget.attrs, "name": bound_field.html_name, "id": bound_field.auto_id}
    value = bound_field.value()
    if bound_field.errors:
        attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
        attrs["aria-invalid"] = "true"
    if isinstance(widget, forms.Select):
        if not options:
            options = tuple((str(v), str(label)) for v, label in bound_field.field.choices)
        chosen = "" if value is None else str(value)
        html = "".join(sel if v == chosen else plain for v, plain, sel in _options(options))
        return format_html("<select{}>{}</select>", flatatt(attrs), mark_safe(html))  # noqa: S308
    attrs.setdefault("type", getattr(widget, "input_type", "text"))
    max_length = getattr(bound_field.field, "max_length", None)
    if max_length:
        attrs["maxlength"] = str(max_length)
    if value not in (None, ""):
        attrs["value"] = widget.format_value(value)
    return format_html("<input{}>", flatatt(attrs))


@register.simple_tag
def filter_field(bound_field, options=None, col="col-12 col-sm-6 col-lg-3") -> SafeString:
    """A labelled filter control with its errors, in one grid column."""
    errors = format_html_join(
        "", '<div class="invalid-feedback d-block">{}</div>', ((e,) for e in bound_field.errors)
    )
    return format_html(
        '<div class="{}"><label class="form-label small mb-1" for="{}">{}</label>{}{}</div>',
        col,
        bound_field.auto_id,
        bound_field.label,
        filter_control(bound_field, options),
        errors,
    )
