"""The append-only, hash-chained event log.

Every row stores the SHA-256 of its own content, and that content includes the hash of the row
before it, so editing, deleting or slipping in a row anywhere breaks the chain from that row on
(`audit.verify`, `manage.py verify_audit`). Rows are written only by
`audit.services.record_event`; the model and its queryset refuse updates and deletes.

Canonical content (format version "1"), for anyone who wants to recompute a hash outside Django:

1. Build a JSON object with exactly these keys (every id is a string, absent values are null):

   ====================  ===================================================================
   ``v``                 ``"1"`` (the format version)
   ``seq``               the row's sequence number as a decimal string, e.g. ``"42"``
   ``action``            the dotted action name, e.g. ``"accounts.organisation.created"``
   ``actor``             the acting user's id as a string, or null
   ``organisation``      the organisation's id as a string, or null
   ``subject_type``      ``"<app_label>.<model>"`` of the subject (lowercase), or null
   ``subject_id``        the subject's primary key as a string, or null
   ``subject_repr``      the subject's text when the event was recorded ("" without subject)
   ``data``              the event's data object, exactly as stored (see below)
   ``created``           the moment in UTC, ``YYYY-MM-DDTHH:MM:SS.ffffff+00:00``
   ``prev_hash``         the previous row's ``hash``, or 64 zeros for the first row
   ====================  ===================================================================

2. Serialise it as Python's ``json.dumps(obj, sort_keys=True, separators=(",", ":"),
   ensure_ascii=False)`` does: keys sorted (at every depth) by code point, no whitespace,
   non-ASCII characters written as themselves, only ``"``, ``\\`` and control characters
   escaped. For this content (strings, integers, booleans, null; no floats) that is the same
   text as RFC 8785 (JCS) produces.
3. Encode the text as UTF-8; ``hash`` is the lowercase hex SHA-256 of those bytes.

`data` holds only JSON strings, integers, booleans, null, lists and objects. Before storing,
`record_event` converts other values with `AuditJSONEncoder`: Decimal -> its fixed-point text
("1234.50"), aware datetime -> ISO 8601 in UTC with microseconds, date and time -> ISO 8601,
timedelta -> ISO 8601 duration, UUID -> its text, lazy translations -> text; any float becomes
the text of its JSON literal ("85.5"), so numbers survive every database's JSON type unchanged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import uuid
from collections.abc import Collection, Iterable
from decimal import Decimal
from typing import Any, NoReturn

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.duration import duration_iso_string
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

FORMAT_VERSION = "1"
GENESIS_HASH = "0" * 64

# <app_label>.<object>.<verb>, lowercase, e.g. "procurement.lot.announced".
ACTION_PATTERN = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*){2,}")
ACTION_MAX_LENGTH = 100
SUBJECT_REPR_MAX_LENGTH = 200

INVALID_ACTION = _(
    "“%(action)s” is not an action name: use lowercase dotted words that start with an "
    "installed app, like “procurement.lot.announced”."
)


class AppendOnlyError(RuntimeError):
    """Someone tried to change or remove an audit event: the log only grows."""


def validate_action(action: str) -> None:
    """Raise ValidationError unless `action` is `<installed app>.<object>.<verb>`."""
    if (
        not isinstance(action, str)
        or len(action) > ACTION_MAX_LENGTH
        or not ACTION_PATTERN.fullmatch(action)
        or not apps.is_installed(action.split(".", 1)[0])
    ):
        raise ValidationError(INVALID_ACTION, code="invalid_action", params={"action": action})


class AuditJSONEncoder(json.JSONEncoder):
    """JSON for event data; the conversions are part of the canonical format (module docstring)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime):
            if o.tzinfo is None or o.utcoffset() is None:
                raise ValueError(f"Audit data holds a naive datetime ({o!r}); use an aware one.")
            return o.astimezone(dt.UTC).isoformat(timespec="microseconds")
        if isinstance(o, dt.date):
            return o.isoformat()
        if isinstance(o, dt.time):
            return o.isoformat()
        if isinstance(o, dt.timedelta):
            return duration_iso_string(o)
        if isinstance(o, Decimal):
            if not o.is_finite():
                raise ValueError(f"Audit data holds a non-finite Decimal ({o!r}).")
            return format(o, "f")
        if isinstance(o, uuid.UUID):
            return str(o)
        if isinstance(o, Promise):
            return str(o)
        if isinstance(o, models.Model):
            raise TypeError(
                f"Audit data holds a model instance ({o!r}); store its pk or a text instead."
            )
        return super().default(o)


def normalise_data(data: dict[str, Any] | None) -> dict[str, Any]:
    """`data` as plain JSON values, exactly as it will be stored and hashed."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise TypeError(f"Audit data must be a dict, not {type(data).__name__}.")
    text = json.dumps(data, cls=AuditJSONEncoder, ensure_ascii=False, allow_nan=False)
    # A float becomes the text of its literal: PostgreSQL's jsonb would print 1e+100 back as
    # 1000…0, and the recomputed hash would no longer match.
    return json.loads(text, parse_float=str)


def canonical_content(
    *,
    seq: int,
    action: str,
    actor_id: int | None,
    organisation_id: int | None,
    subject_type: str | None,
    subject_id: str | None,
    subject_repr: str,
    data: dict[str, Any],
    created: dt.datetime,
    prev_hash: str,
) -> bytes:
    """The bytes an event's hash is computed over (module docstring, "Canonical content")."""

    def text(value: Any) -> str | None:
        return None if value is None else str(value)

    payload = {
        "v": FORMAT_VERSION,
        "seq": str(seq),
        "action": action,
        "actor": text(actor_id),
        "organisation": text(organisation_id),
        "subject_type": subject_type,
        "subject_id": text(subject_id),
        "subject_repr": subject_repr,
        "data": data,
        "created": created.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "prev_hash": prev_hash,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def sha256_hex(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


class EventQuerySet(models.QuerySet["Event"]):
    """Filters for events; every bulk write is refused, because the log only grows."""

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Audit events are never updated.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit events are never deleted.")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        raise AppendOnlyError("Audit events are never updated.")

    def bulk_create(
        self,
        objs: Iterable[Event],
        batch_size: int | None = None,
        ignore_conflicts: bool = False,
        update_conflicts: bool = False,
        update_fields: Collection[str] | None = None,
        unique_fields: Collection[str] | None = None,
    ) -> NoReturn:
        raise AppendOnlyError("Audit events are appended one by one with record_event().")

    def for_subject(self, obj: models.Model) -> EventQuerySet:
        return self.filter(
            subject_content_type=ContentType.objects.get_for_model(obj),
            subject_object_id=str(obj.pk),
        )

    def with_action_prefix(self, prefix: str) -> EventQuerySet:
        """Events whose action is `prefix` or starts with `prefix.` ("procurement.lot")."""
        prefix = prefix.rstrip(".")
        return self.filter(models.Q(action=prefix) | models.Q(action__startswith=f"{prefix}."))


class Event(models.Model):
    """One thing that happened. Written by audit.services.record_event; never changed."""

    seq = models.PositiveBigIntegerField(_("sequence number"), unique=True, editable=False)
    action = models.CharField(
        _("action"), max_length=ACTION_MAX_LENGTH, db_index=True, validators=[validate_action]
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        # A person with a trail is deactivated, never deleted: the log must not lose them.
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    subject_content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("subject type"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    subject_object_id = models.CharField(_("subject id"), max_length=64, blank=True)
    subject_repr = models.CharField(_("subject"), max_length=SUBJECT_REPR_MAX_LENGTH, blank=True)
    subject = GenericForeignKey("subject_content_type", "subject_object_id")
    data = models.JSONField(_("data"), default=dict, blank=True, encoder=AuditJSONEncoder)
    created = models.DateTimeField(_("time"), db_index=True, editable=False)
    prev_hash = models.CharField(_("previous hash"), max_length=64, editable=False)
    hash = models.CharField(_("hash"), max_length=64, unique=True, editable=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-seq"]
        # The base manager too: related-object access and Django internals get the guarded
        # queryset, so no path updates or deletes events in bulk.
        base_manager_name = "objects"
        # Nobody may add, change or delete events through a screen; there is only "view".
        default_permissions = ("view",)
        indexes = [
            # The side-by-side trail of one object (admin "subject" page).
            models.Index(
                fields=["subject_content_type", "subject_object_id", "seq"],
                name="audit_event_subject_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"Audit event #{self.seq} cannot be changed.")
        chained = self.hash and self.seq is not None and self.created is not None
        if not chained or self.hash != self.compute_hash():
            raise AppendOnlyError(
                "An audit event must be chained before it is saved: use "
                "audit.services.record_event()."
            )
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"Audit event #{self.seq} cannot be deleted.")

    @property
    def subject_type_label(self) -> str | None:
        """The subject as "app_label.model", the way it enters the hash."""
        if self.subject_content_type_id is None:
            return None
        content_type = ContentType.objects.get_for_id(self.subject_content_type_id)
        return f"{content_type.app_label}.{content_type.model}"

    def canonical_content(self) -> bytes:
        return canonical_content(
            seq=self.seq,
            action=self.action,
            actor_id=self.actor_id,
            organisation_id=self.organisation_id,
            subject_type=self.subject_type_label,
            subject_id=self.subject_object_id or None,
            subject_repr=self.subject_repr,
            data=self.data,
            created=self.created,
            prev_hash=self.prev_hash,
        )

    def compute_hash(self) -> str:
        return sha256_hex(self.canonical_content())
