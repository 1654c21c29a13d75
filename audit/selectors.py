"""Reads of the audit log for people: the events they may see, and one object's trail (events
beside its recorded changes). Every page, list or export of events goes through `visible_events`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.db.models.functions import Cast
from django.http import Http404
from django.urls import reverse
from django.utils.text import Truncator

from common.sealing import is_sealed, seals

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


def visible_events(queryset: models.QuerySet[Event] | None = None) -> models.QuerySet[Event]:
    """The events people may read: all but those about a row still sealed (common.sealing).

    An event is about the row that is its subject, so an app records what must stay secret with
    the secret as the subject (bidding: every event of a bid has the bid as its subject, which is
    sealed until its opening's record is made). The sealed rows are a subquery per seal: the
    query count does not grow with the number of events or of sealed rows.

    Nobody is exempt, not the bureau and not a superuser: the seal is not a permission but the
    platform's own duty (RULES.md C-1, EBID: every bid inaccessible until the opening; DESIGN.md
    "Sealed bids": not the bureau, not the platform itself), and a superuser is the platform's
    operator. The events stay in the chain unchanged (verify_chain walks every row) and show by
    themselves when the seal ends.
    """
    if queryset is None:
        queryset = Event.objects.all()
    for model, rows in seals():
        content_type = ContentType.objects.get_for_model(model)
        # subject_object_id is text: compare it with the sealed rows' pks as text.
        sealed_ids = rows().annotate(_sealed_id=Cast("pk", models.CharField())).values("_sealed_id")
        queryset = queryset.exclude(
            subject_content_type=content_type, subject_object_id__in=sealed_ids
        )
    return queryset


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
    # A sealed row has no trail yet, the same 404 as a row that never existed: its recorded
    # changes would tell what its events no longer show.
    if is_sealed(model, pk):
        raise Http404

    events = list(
        visible_events()
        .filter(subject_content_type=content_type, subject_object_id=object_id)
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
    # An event shown as a subject must be one its reader may see (its label names its action).
    rows = visible_events() if model is Event else model._default_manager.all()
    obj = rows.filter(pk=pk).first()
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
