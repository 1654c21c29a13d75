"""Reads of the audit log: one object's trail (events beside its recorded changes)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from django.urls import reverse
from django.utils.text import Truncator

from .models import Event

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

SHANGHAI = ZoneInfo("Asia/Shanghai")
VALUE_PREVIEW_CHARS = 120


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class TrailEntry:
    """One row of the side-by-side trail: an audit event or a history record (never both)."""

    when: dt.datetime
    event: Event | None = None
    record: Any = None  # a django-simple-history historical record
    changes: list[FieldChange] = field(default_factory=list)


@dataclass
class SubjectTrail:
    content_type: ContentType
    object_id: str
    label: str
    obj: models.Model | None  # None once the object was deleted
    has_history: bool
    entries: list[TrailEntry]

    @property
    def event_count(self) -> int:
        return sum(1 for entry in self.entries if entry.event is not None)

    @property
    def record_count(self) -> int:
        return sum(1 for entry in self.entries if entry.record is not None)


def can_view_events(user: User | AnonymousUser) -> bool:
    return bool(getattr(user, "is_active", False) and user.has_perm("audit.view_event"))


def subject_trail_url(obj: models.Model) -> str:
    """The admin page with `obj`'s audit events beside its change history."""
    content_type = ContentType.objects.get_for_model(obj)
    return reverse("admin:audit_event_subject", args=[content_type.pk, str(obj.pk)])


def _preview(value: Any) -> str:
    if value is None or value == "":
        return "—"
    return Truncator(str(value)).chars(VALUE_PREVIEW_CHARS)


def _history_manager(model: type[models.Model]) -> Any:
    name = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, name) if name else None


def _changes(record: Any, previous: Any) -> list[FieldChange]:
    if previous is None:
        return []
    delta = record.diff_against(previous)
    changes = []
    for change in delta.changes:
        try:
            label = str(record.instance_type._meta.get_field(change.field).verbose_name)
        except FieldDoesNotExist:  # a field the model no longer has
            label = change.field
        changes.append(FieldChange(label=label, old=_preview(change.old), new=_preview(change.new)))
    return changes


def get_subject_trail_for_user(*, user: User, content_type_id: int, object_id: str) -> SubjectTrail:
    """The trail of any object, for a user who may read audit events; 403 or 404 otherwise.

    Works for deleted objects too: their events and history outlive them.
    """
    if not can_view_events(user):
        raise PermissionDenied
    content_type = ContentType.objects.filter(pk=content_type_id).first()
    model = content_type.model_class() if content_type else None
    if content_type is None or model is None:
        raise Http404
    try:
        pk = model._meta.pk.to_python(object_id)
    except ValidationError as exc:
        raise Http404 from exc
    if pk is None:
        raise Http404
    object_id = str(pk)

    events = list(
        Event.objects.filter(subject_content_type=content_type, subject_object_id=object_id)
        .select_related("actor", "organisation")
        .order_by("seq")
    )
    history = _history_manager(model)
    records = (
        list(
            history.filter(**{model._meta.pk.attname: pk})
            .select_related("history_user")
            .order_by("history_date", "history_id")
        )
        if history is not None
        else []
    )
    obj = model._default_manager.filter(pk=pk).first()
    if obj is None and not events and not records:
        raise Http404

    entries = [TrailEntry(when=event.created, event=event) for event in events]
    previous = None
    for record in records:
        entries.append(
            TrailEntry(when=record.history_date, record=record, changes=_changes(record, previous))
        )
        previous = record
    # A write and the event describing it share a transaction: the change comes first.
    entries.sort(key=lambda entry: (entry.when, entry.event is not None))

    if obj is not None:
        label = str(obj)
    elif events:
        label = events[-1].subject_repr
    elif records:
        label = str(records[-1].instance)
    else:
        label = object_id
    return SubjectTrail(
        content_type=content_type,
        object_id=object_id,
        label=label,
        obj=obj,
        has_history=history is not None,
        entries=entries,
    )
