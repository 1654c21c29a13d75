"""Appending to the audit log (the one function that writes events), joining sealed events to
the main chain when their seal ends, publishing the chain's head, and running chain checks."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connections, models, router, transaction
from django.db.models.functions import Cast
from django.utils import timezone

from common.sealing import is_sealed, seals

from .models import (
    GENESIS_HASH,
    SUBJECT_REPR_MAX_LENGTH,
    Anchor,
    AnchorReason,
    ChainCheck,
    CheckMode,
    CheckStatus,
    Event,
    SealedEvent,
    normalise_data,
    validate_action,
)
from .verify import ChainReport, Checkpoint, verify_chain

if TYPE_CHECKING:
    from accounts.models import Organisation, User

# pg_advisory_xact_lock key that serialises appends: "YGAUDIT" in ASCII. Both chains (main and
# sealed) take this one lock, so that a transaction appending to both, and the join that moves
# rows from one to the other, can never wait for each other in opposite orders.
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


def _head(model: type[Event] | type[SealedEvent], using: str) -> tuple[int, str]:
    last = model.objects.using(using).order_by("-seq").values("seq", "hash").first()
    return (last["seq"], last["hash"]) if last else (0, GENESIS_HASH)


def record_event(
    *,
    action: str,
    actor: User | None,
    organisation: Organisation | None = None,
    subject: models.Model | None = None,
    data: dict[str, Any] | None = None,
    sealed: bool | None = None,
) -> Event | SealedEvent:
    """Append one event to the chain. Call it inside the transaction of the write it records.

    `action` is "<app>.<object>.<verb>" ("procurement.lot.announced"); `data` must be a dict
    that AuditJSONEncoder can write (Decimal, datetime, date, UUID… are converted; see
    audit.models). Raises ValueError for a malformed action, TypeError/ValueError for data
    that cannot be stored.

    An event about a row that is sealed now (common.sealing: a bid before its opening's record)
    goes to the sealed chain instead (SealedEvent), so that the main chain shows no trace of it,
    not even a skipped number; it joins the main chain when the seal ends
    (join_unsealed_events). `sealed=True` or `False` decides it instead of the subject.
    """
    try:
        validate_action(action)
    except ValidationError as exc:
        raise ValueError(f"Invalid audit action {action!r}: {exc.messages[0]}") from exc
    payload = normalise_data(data)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None  # an anonymous visitor acts as nobody in particular
    subject_fields = _subject_fields(subject)
    if sealed is None:
        sealed = subject is not None and is_sealed(type(subject), subject.pk)
    model: type[Event] | type[SealedEvent] = SealedEvent if sealed else Event
    using = router.db_for_write(model)
    with transaction.atomic(using=using):
        _lock_chain(using)
        seq, prev_hash = _head(model, using)
        event = model(
            seq=seq + 1,
            action=action,
            actor=actor,
            organisation=organisation,
            data=payload,
            created=timezone.now(),
            prev_hash=prev_hash,
            **subject_fields,
        )
        event.hash = event.compute_hash()
        event.save(using=using)
    return event


def pending_joins(using: str = "default") -> models.QuerySet[SealedEvent]:
    """Sealed events whose seal has ended but which have not joined the main chain yet."""
    pending = SealedEvent.objects.using(using).filter(joined__isnull=True)
    for model, rows in seals():
        content_type = ContentType.objects.get_for_model(model)
        sealed_ids = rows().annotate(_sealed_id=Cast("pk", models.CharField())).values("_sealed_id")
        pending = pending.exclude(
            subject_content_type=content_type, subject_object_id__in=sealed_ids
        )
    return pending


def join_unsealed_events(*, publish_anchor: bool = True) -> int:
    """Append every sealed event whose seal has ended to the main chain; return how many.

    Call it in the transaction that ends a seal, after the write that ends it (bidding: the
    opening's record). Each event joins in the order it was recorded, with its content and
    time, as the next main-chain event, and its sealed row is linked to it. With
    `publish_anchor`, once the transaction commits the head of the chain is checked and
    published (issue 16 §4: at every opening).
    """
    using = router.db_for_write(Event)
    joined = 0
    with transaction.atomic(using=using):
        _lock_chain(using)
        seq, prev_hash = _head(Event, using)
        for sealed in pending_joins(using).order_by("seq"):
            seq += 1
            event = Event(seq=seq, prev_hash=prev_hash, **sealed.content_fields())
            event.hash = event.compute_hash()
            event.save(using=using)
            # The one change a sealed row ever gets; the queryset refuses every other update.
            models.QuerySet.update(
                SealedEvent.objects.using(using).filter(pk=sealed.pk), joined=event
            )
            prev_hash = event.hash
            joined += 1
        if publish_anchor:
            from .tasks import publish_chain_head

            publish_chain_head.delay_on_commit(reason=AnchorReason.OPENING)
    return joined


def publish_anchor(*, seq: int, hash_: str, reason: str) -> Anchor:
    """Publish a verified head of the chain (portal page and feed)."""
    anchor = Anchor(seq=seq, hash=hash_, reason=reason, published=timezone.now())
    anchor.save()
    return anchor


# --- chain checks (issue 17 §3) -------------------------------------------------------------

# A check queued or running for longer than this is taken as lost (its worker died).
CHECK_STALE_AFTER = dt.timedelta(hours=6)


def last_checkpoint() -> ChainCheck | None:
    """The newest intact check with a head: where the next incremental check starts."""
    return (
        ChainCheck.objects.filter(status=CheckStatus.INTACT, head_seq__isnull=False)
        .order_by("-finished", "-id")
        .first()
    )


def running_check() -> ChainCheck | None:
    since = timezone.now() - CHECK_STALE_AFTER
    return (
        ChainCheck.objects.filter(
            status__in=[CheckStatus.QUEUED, CheckStatus.RUNNING], requested__gte=since
        )
        .order_by("-requested")
        .first()
    )


def request_check(*, mode: str, user: User | None = None) -> tuple[ChainCheck, bool]:
    """Queue a chain check as a Celery task; (the check, whether it is a new one).

    A check already queued or running is returned instead of a second one.
    """
    if mode not in CheckMode.values:
        raise ValueError(mode)
    current = running_check()
    if current is not None:
        return current, False
    check = ChainCheck.objects.create(mode=mode, requested_by=user, requested=timezone.now())
    from .tasks import run_chain_check

    transaction.on_commit(lambda: run_chain_check.delay(check.pk))
    return check, True


def checkpoints_of(check: ChainCheck) -> tuple[Checkpoint | None, Checkpoint | None]:
    if check.head_seq is None or check.head_id is None:
        return None, None
    main = Checkpoint(seq=check.head_seq, id=check.head_id, hash=check.head_hash)
    sealed = None
    if check.sealed_head_seq is not None and check.sealed_head_id is not None:
        sealed = Checkpoint(
            seq=check.sealed_head_seq, id=check.sealed_head_id, hash=check.sealed_head_hash
        )
    return main, sealed


def run_check(check: ChainCheck, *, chunk_size: int = 2000) -> ChainReport:
    """Run a queued check now (in a worker, or from verify_audit), saving its progress."""
    after = sealed_after = None
    if check.mode == CheckMode.INCREMENTAL:
        checkpoint = last_checkpoint()
        if checkpoint is not None:
            after, sealed_after = checkpoints_of(checkpoint)
    check.status = CheckStatus.RUNNING
    check.started = timezone.now()
    check.from_seq = after.seq if after else 0
    check.to_seq = _head(Event, "default")[0]
    check.save(update_fields=["status", "started", "from_seq", "to_seq"])

    def progress(count: int) -> None:
        ChainCheck.objects.filter(pk=check.pk).update(checked=count)

    try:
        report = verify_chain(
            after=after,
            sealed_after=sealed_after,
            progress=progress,
            chunk_size=chunk_size,
            max_problems=getattr(settings, "AUDIT_CHECK_MAX_PROBLEMS", 100),
        )
    except Exception as exc:
        check.status = CheckStatus.FAILED
        check.error = f"{type(exc).__name__}: {exc}"
        check.finished = timezone.now()
        check.save(update_fields=["status", "error", "finished"])
        raise
    head = report.head or after
    sealed_head = report.sealed_head or sealed_after
    check.checked = report.count
    check.status = CheckStatus.INTACT if report.ok else CheckStatus.BROKEN
    check.problems = [problem.as_dict() for problem in report.problems]
    check.problems_truncated = report.truncated
    if head is not None:
        check.head_seq, check.head_id, check.head_hash = head.seq, head.id, head.hash
    if sealed_head is not None:
        check.sealed_head_seq = sealed_head.seq
        check.sealed_head_id = sealed_head.id
        check.sealed_head_hash = sealed_head.hash
    check.finished = timezone.now()
    check.save()
    if report.head is None and after is not None:  # nothing new: the head is the checkpoint's
        report.head_seq, report.head_id, report.head_hash = after.seq, after.id, after.hash
    return report
