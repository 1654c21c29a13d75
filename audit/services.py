"""Appending to the audit log: the one function that writes events."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connections, models, router, transaction
from django.utils import timezone

from .models import GENESIS_HASH, SUBJECT_REPR_MAX_LENGTH, Event, normalise_data, validate_action

if TYPE_CHECKING:
    from accounts.models import Organisation, User

# pg_advisory_xact_lock key that serialises appends: "YGAUDIT" in ASCII.
CHAIN_LOCK_KEY = 0x59_47_41_55_44_49_54


def _lock_chain(using: str) -> None:
    """Make concurrent appenders take turns until their transactions end.

    Without it two transactions could both read row N as the last one and both write N+1:
    the unique seq refuses the second, but it should wait, not fail. On PostgreSQL a
    transaction-level advisory lock does it (released at COMMIT/ROLLBACK, after the new row
    is visible, so the next holder reads it under READ COMMITTED). On SQLite the settings
    open every transaction with BEGIN IMMEDIATE, which takes the database's write lock first.
    """
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


def _subject_fields(subject: models.Model | None) -> dict[str, Any]:
    if subject is None:
        return {"subject_content_type": None, "subject_object_id": "", "subject_repr": ""}
    if subject.pk is None:
        raise ValueError(f"The audit subject {subject!r} has not been saved yet.")
    return {
        "subject_content_type": ContentType.objects.get_for_model(subject),
        "subject_object_id": str(subject.pk),
        "subject_repr": str(subject)[:SUBJECT_REPR_MAX_LENGTH],
    }


def record_event(
    *,
    action: str,
    actor: User | None,
    organisation: Organisation | None = None,
    subject: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> Event:
    """Append one event to the chain. Call it inside the transaction of the write it records.

    `action` is "<app>.<object>.<verb>" ("procurement.lot.announced"); `data` must be a dict
    that AuditJSONEncoder can write (Decimal, datetime, date, UUID… are converted; see
    audit.models). Raises ValueError for a malformed action, TypeError/ValueError for data
    that cannot be stored.
    """
    try:
        validate_action(action)
    except ValidationError as exc:
        raise ValueError(f"Invalid audit action {action!r}: {exc.messages[0]}") from exc
    payload = normalise_data(data)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None  # an anonymous visitor acts as nobody in particular
    using = router.db_for_write(Event)
    with transaction.atomic(using=using):
        _lock_chain(using)
        last = Event.objects.using(using).order_by("-seq").values("seq", "hash").first()
        event = Event(
            seq=last["seq"] + 1 if last else 1,
            action=action,
            actor=actor,
            organisation=organisation,
            data=payload,
            created=timezone.now(),
            prev_hash=last["hash"] if last else GENESIS_HASH,
            **_subject_fields(subject),
        )
        event.hash = event.compute_hash()
        event.save(using=using)
    return event
