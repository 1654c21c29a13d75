"""Readable history pages in the bureau's admin (simple-history's change list).

simple-history prints a record's change reason and the old and new values of a change as they
are stored: codes such as "opening finished" or "lowest_price". The project's override of
simple_history/object_history_list.html passes them through these filters, so the bureau reads
the translated reason and each choice's label.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.db.models import BooleanField, DateTimeField, Field, ForeignKey
from django.db.models.options import Options
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from simple_history.models import DeletedObject

register = template.Library()


@register.filter
def history_reason(reason: str | None) -> str:
    """The change reason in the reader's language; a dash when none was given.

    Services set reasons as English msgids; those in a catalogue are translated here, when the
    page is rendered, so a reason recorded before a translation existed reads translated too.
    """
    if not reason:
        return "—"
    return gettext(reason)


def _field_by_label(opts: Options, label: str) -> Field | None:
    """The concrete field whose capitalised verbose name is `label` (as simple-history shows it)."""
    for field in opts.concrete_fields:
        if str(capfirst(field.verbose_name)) == str(label):
            return field
    return None


@register.simple_tag
def history_value(opts: Options, label: str, value: Any) -> Any:
    """A changed value as the admin shows it: a choice's code becomes its label, a moment is
    shown in the site's time zone (not UTC with microseconds), a flag reads yes or no, no value
    is a dash."""
    if str(value) in ("", "None"):
        return "—"
    field = _field_by_label(opts, label)
    if isinstance(field, ForeignKey):
        return _related(field, str(value))
    if isinstance(field, DateTimeField):
        return _local_moment(str(value))
    if isinstance(field, BooleanField) and str(value) in ("True", "False"):
        return gettext("Yes") if str(value) == "True" else gettext("No")
    if field is None or not field.choices:
        return value
    labels = {str(code): name for code, name in field.flatchoices}
    name = labels.get(str(value))
    return value if name is None else name


def _related(field: ForeignKey, value: str) -> str:
    """A related row as simple-history words it when it cannot load one, "Deleted 存储文件
    (pk=None)" (half English): a dash when none was set, else the row's kind and number."""
    model = field.related_model
    if isinstance(model, str):  # an unresolved "self": not on a loaded model
        return value
    stand_in = str(DeletedObject(model, None))  # "Deleted <kind> (pk=None)"
    prefix = stand_in.removesuffix("None)")
    if not value.startswith(prefix) or not value.endswith(")"):
        return value
    pk = value.removeprefix(prefix).removesuffix(")")
    if pk == "None":
        return "—"
    return gettext("%(kind)s #%(pk)s (deleted)") % {
        "kind": capfirst(model._meta.verbose_name),
        "pk": pk,
    }


def _local_moment(value: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:  # shortened by simple-history, or not a moment: as stored
        return value
    if timezone.is_naive(moment):
        return value
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")
