"""Walking the audit chain and reporting where it was tampered with.

The walk (one pass in seq order, streamed):

1. Each row's seq must be the previous row's seq + 1 (the first is 1); a jump means the rows in
   between were deleted ("gap").
2. Each row's stored hash must equal the SHA-256 recomputed from its content; otherwise the row
   was edited after it was written ("edited").
3. Row ids grow with seq, because record_event writes rows one at a time under a lock; a row
   whose id is larger than its successor's was written later and slipped in ("inserted").
4. Each row's prev_hash must equal the previous row's hash (64 zeros for the first); otherwise a
   row was inserted out of order, or the previous one was replaced ("unlinked").

After a problem the walk carries on from the row as it is, so one tampered row is reported once
and every later, independent problem is reported too.

The chain alone cannot show that its newest rows were cut off, nor that its whole tail was
rewritten with recomputed hashes. For that the walk is compared with anchors: heads (seq and
hash) published earlier on the public portal (`Anchor`, issue 16 §4), kept by anyone outside the
database (`manage.py verify_audit --anchors-file`), or given by hand (`--anchor SEQ:HASH`). An
anchor beyond the head means truncation; an anchored row with another hash means a rewrite.

A walk may start after a checkpoint (the head of the last intact check: seq, row id and hash)
instead of at the first row (issue 17 §3): it then expects the first row after it to link to
the checkpoint's hash, and checks that the checkpoint row itself is still there unchanged.

The sealed chain (`SealedEvent`: events about rows still sealed) is walked the same way, and each
of its rows that joined the main chain must still agree with the main-chain row it became.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext

from .models import GENESIS_HASH, Anchor, Event, SealedEvent

MAIN = "main"
SEALED = "sealed"
ANCHOR_BATCH = 500


class ProblemKind(StrEnum):
    GAP = "gap"
    EDITED = "edited"
    INSERTED = "inserted"
    UNLINKED = "unlinked"
    ANCHOR = "anchor"  # an anchored row missing or with another hash: rewritten
    TRUNCATED = "truncated"  # an anchor beyond the head: the newest rows were removed
    JOINED = "joined"  # a sealed row and the main-chain row it joined as differ


@dataclass(frozen=True)
class Problem:
    kind: ProblemKind
    seq: int  # the row at fault (for a gap: the first missing seq)
    event_id: int | None = None
    expected: str = ""
    found: str = ""
    next_seq: int | None = None  # gap: the row after the hole; inserted: the row it preceded
    chain: str = MAIN  # or SEALED
    when: str = ""  # an anchor's publication time, as text

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]) -> Problem:
        return cls(**{**value, "kind": ProblemKind(value["kind"])})

    @property
    def message(self) -> str:
        """A sentence for people, in the active language."""
        text = self._message()
        if self.chain == SEALED:
            return gettext("sealed chain: %(problem)s") % {"problem": text}
        return text

    def _message(self) -> str:
        if self.kind == ProblemKind.GAP:
            last_missing = (self.next_seq or self.seq + 1) - 1
            if last_missing == self.seq:
                return gettext(
                    "event #%(seq)s is missing (deleted): the chain jumps to #%(next)s."
                ) % {"seq": self.seq, "next": self.next_seq}
            return gettext(
                "events #%(seq)s to #%(last)s are missing (deleted): the chain jumps to #%(next)s."
            ) % {"seq": self.seq, "last": last_missing, "next": self.next_seq}
        if self.kind == ProblemKind.EDITED:
            return gettext(
                "event #%(seq)s was edited: its content hashes to %(found)s, "
                "but the stored hash is %(expected)s."
            ) % {"seq": self.seq, "found": self.found, "expected": self.expected}
        if self.kind == ProblemKind.INSERTED:
            return gettext(
                "event #%(seq)s was inserted out of order: it was written after #%(next)s "
                "(row id %(found)s > %(expected)s)."
            ) % {
                "seq": self.seq,
                "next": self.next_seq,
                "found": self.found,
                "expected": self.expected,
            }
        if self.kind == ProblemKind.UNLINKED:
            return gettext(
                "event #%(seq)s does not follow the event before it: its previous hash is "
                "%(found)s, but that event's hash is %(expected)s (a row was inserted, or the "
                "one before it was replaced)."
            ) % {"seq": self.seq, "found": self.found, "expected": self.expected}
        if self.kind == ProblemKind.TRUNCATED:
            return gettext(
                "the chain ends at event #%(head)s, but event #%(seq)s was its head when it was "
                "published%(when)s: the newest events were removed."
            ) % {
                "head": self.next_seq or 0,
                "seq": self.seq,
                "when": gettext(" on %(when)s") % {"when": self.when} if self.when else "",
            }
        if self.kind == ProblemKind.JOINED:
            return gettext(
                "event #%(seq)s does not hold what the sealed event it was made from holds "
                "(%(found)s differs): one of them was changed."
            ) % {"seq": self.seq, "found": self.found}
        if not self.found:
            return gettext(
                "event #%(seq)s, published as the head%(when)s with hash %(expected)s, is missing."
            ) % {
                "seq": self.seq,
                "expected": self.expected,
                "when": gettext(" on %(when)s") % {"when": self.when} if self.when else "",
            }
        return gettext(
            "event #%(seq)s does not match the head published%(when)s: expected hash "
            "%(expected)s, found %(found)s (the chain was rewritten from this event or earlier)."
        ) % {
            "seq": self.seq,
            "expected": self.expected,
            "found": self.found,
            "when": gettext(" on %(when)s") % {"when": self.when} if self.when else "",
        }


@dataclass(frozen=True)
class Checkpoint:
    """A row a walk may start after: the head of an earlier intact check."""

    seq: int
    id: int
    hash: str


@dataclass
class ChainReport:
    count: int = 0  # main-chain rows walked (from the first, or after the checkpoint)
    from_seq: int = 0  # the walk started after this seq (0: at the first row)
    head_seq: int | None = None
    head_id: int | None = None
    head_hash: str = GENESIS_HASH
    sealed_head: Checkpoint | None = None
    anchors_checked: int = 0
    problems: list[Problem] = field(default_factory=list)
    truncated: bool = False  # more problems existed than were kept

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_problem(self) -> Problem | None:
        return self.problems[0] if self.problems else None

    @property
    def head(self) -> Checkpoint | None:
        if self.head_seq is None or self.head_id is None:
            return None
        return Checkpoint(seq=self.head_seq, id=self.head_id, hash=self.head_hash)


@dataclass(frozen=True)
class AnchorValue:
    seq: int
    hash: str
    when: str = ""


class _Collector:
    def __init__(self, report: ChainReport, max_problems: int) -> None:
        self.report = report
        self.max_problems = max_problems
        self.reported: set[tuple[str, ProblemKind, int]] = set()

    def add(self, problem: Problem) -> None:
        key = (problem.chain, problem.kind, problem.seq)
        if key in self.reported:
            return  # e.g. a row before the first is both out of place and out of id order
        self.reported.add(key)
        if len(self.report.problems) < self.max_problems:
            self.report.problems.append(problem)
        else:
            self.report.truncated = True


CHAIN_FIELDS = [
    "id",
    "seq",
    "action",
    "actor_id",
    "organisation_id",
    "subject_content_type_id",
    "subject_object_id",
    "subject_repr",
    "data",
    "created",
    "prev_hash",
    "hash",
]


def _walk(
    rows: Iterable[Any],
    *,
    after: Checkpoint | None,
    chain: str,
    add: Callable[[Problem], None],
    on_row: Callable[[Any], None] | None = None,
) -> tuple[int, Checkpoint | None]:
    """Check rows in seq order (after `after`); return how many and the last one."""
    count = 0
    previous = after
    for event in rows:
        count += 1
        expected_seq = previous.seq + 1 if previous else 1
        expected_prev_hash = previous.hash if previous else GENESIS_HASH
        gap = event.seq != expected_seq
        if gap:
            if event.seq > expected_seq:
                add(Problem(ProblemKind.GAP, seq=expected_seq, next_seq=event.seq, chain=chain))
            else:  # only a seq below 1 can come first
                add(
                    Problem(
                        ProblemKind.INSERTED,
                        seq=event.seq,
                        event_id=event.pk,
                        next_seq=1,
                        chain=chain,
                    )
                )
        computed = event.compute_hash()
        if computed != event.hash:
            add(
                Problem(
                    ProblemKind.EDITED,
                    seq=event.seq,
                    event_id=event.pk,
                    expected=event.hash,
                    found=computed,
                    chain=chain,
                )
            )
        inserted = previous is not None and previous.id > event.pk
        if inserted and previous is not None:  # the second test only narrows the type
            add(
                Problem(
                    ProblemKind.INSERTED,
                    seq=previous.seq,
                    event_id=previous.id,
                    next_seq=event.seq,
                    expected=str(event.pk),
                    found=str(previous.id),
                    chain=chain,
                )
            )
        # A gap or an insertion already explains a broken link; don't report it twice.
        if not gap and not inserted and event.prev_hash != expected_prev_hash:
            add(
                Problem(
                    ProblemKind.UNLINKED,
                    seq=event.seq,
                    event_id=event.pk,
                    expected=expected_prev_hash,
                    found=event.prev_hash,
                    chain=chain,
                )
            )
        if on_row is not None:
            on_row(event)
        previous = Checkpoint(seq=event.seq, id=event.pk, hash=event.hash)
    return count, previous


def _check_joined(sealed: SealedEvent, add: Callable[[Problem], None]) -> None:
    """A sealed row that joined the main chain must hold what that row holds."""
    joined = sealed.joined
    if joined is None:
        return
    for name, value in sealed.content_fields().items():
        if getattr(joined, name) != value:
            add(
                Problem(
                    ProblemKind.JOINED,
                    seq=joined.seq,
                    event_id=joined.pk,
                    found=name,
                    chain=MAIN,
                )
            )
            return


def _check_anchors(
    anchors: list[AnchorValue],
    *,
    head_seq: int | None,
    using: str,
    add: Callable[[Problem], None],
) -> int:
    """Compare anchored rows with the anchors (in batches); return how many were compared."""
    head = head_seq or 0
    by_seq: dict[int, list[AnchorValue]] = {}
    for value in anchors:
        by_seq.setdefault(value.seq, []).append(value)
    seqs = sorted(by_seq)
    found: dict[int, tuple[int, str]] = {}
    for start in range(0, len(seqs), ANCHOR_BATCH):
        batch = seqs[start : start + ANCHOR_BATCH]
        for pk, seq, stored in (
            Event.objects.using(using).filter(seq__in=batch).values_list("pk", "seq", "hash")
        ):
            found[seq] = (pk, stored)
    for seq in seqs:
        for kept in by_seq[seq]:
            row = found.get(seq)
            if row is None and seq > head:
                add(
                    Problem(
                        ProblemKind.TRUNCATED,
                        seq=seq,
                        expected=kept.hash,
                        next_seq=head,
                        when=kept.when,
                    )
                )
            elif row is None or row[1] != kept.hash:
                add(
                    Problem(
                        ProblemKind.ANCHOR,
                        seq=seq,
                        event_id=row[0] if row else None,
                        expected=kept.hash,
                        found=row[1] if row else "",
                        when=kept.when,
                    )
                )
    return len(anchors)


def published_anchors(using: str = "default") -> list[AnchorValue]:
    """The heads published on the portal, as kept in the database."""
    from django.utils import timezone

    return [
        AnchorValue(
            seq=anchor.seq,
            hash=anchor.hash,
            when=timezone.localtime(anchor.published).strftime("%Y-%m-%d %H:%M"),
        )
        for anchor in Anchor.objects.using(using).order_by("seq", "published")
    ]


def verify_chain(
    *,
    chunk_size: int = 2000,
    max_problems: int = 100,
    anchors: Mapping[int, str] | Iterable[AnchorValue] | None = None,
    use_published: bool = True,
    after: Checkpoint | None = None,
    sealed_after: Checkpoint | None = None,
    progress: Callable[[int], None] | None = None,
    progress_every: int = 20000,
    using: str = "default",
) -> ChainReport:
    """Walk the chain in seq order (all of it, or after a checkpoint) and report tampering.

    `anchors` are heads recorded elsewhere ({seq: hash} or AnchorValue); the published ones
    (`Anchor`) are added unless `use_published` is False. `progress(count)` is called every
    `progress_every` rows walked.
    """
    report = ChainReport(from_seq=after.seq if after else 0)
    collector = _Collector(report, max_problems)
    add = collector.add

    given: list[AnchorValue] = []
    if isinstance(anchors, Mapping):
        given = [AnchorValue(seq=int(seq), hash=value.lower()) for seq, value in anchors.items()]
    elif anchors is not None:
        given = [AnchorValue(seq=a.seq, hash=a.hash.lower(), when=a.when) for a in anchors]
    if use_published:
        given += published_anchors(using)
    if after is not None:  # the checkpoint must still be there, unchanged
        given.append(AnchorValue(seq=after.seq, hash=after.hash))

    rows = Event.objects.using(using).order_by("seq").only(*CHAIN_FIELDS)
    if after is not None:
        rows = rows.filter(seq__gt=after.seq)

    walked = 0

    def on_row(event: Event) -> None:
        nonlocal walked
        walked += 1
        if progress is not None and walked % progress_every == 0:
            progress(walked)

    count, last = _walk(
        rows.iterator(chunk_size=chunk_size), after=after, chain=MAIN, add=add, on_row=on_row
    )
    report.count = count
    if count and last is not None:
        report.head_seq, report.head_id, report.head_hash = last.seq, last.id, last.hash

    # Truncation is judged against the newest row there is (the walk may have started after a
    # checkpoint that was itself removed).
    newest = Event.objects.using(using).order_by("-seq").values_list("seq", flat=True).first()
    report.anchors_checked = _check_anchors(given, head_seq=newest, using=using, add=add)

    sealed_rows = (
        SealedEvent.objects.using(using)
        .order_by("seq")
        .select_related("joined")
        .only(*CHAIN_FIELDS, *(f"joined__{name}" for name in CHAIN_FIELDS))
    )
    if sealed_after is not None:
        sealed_rows = sealed_rows.filter(seq__gt=sealed_after.seq)
    _, sealed_last = _walk(
        sealed_rows.iterator(chunk_size=chunk_size),
        after=sealed_after,
        chain=SEALED,
        add=add,
        on_row=lambda sealed: _check_joined(sealed, add),
    )
    report.sealed_head = sealed_last
    report.problems.sort(key=lambda problem: (problem.chain != MAIN, problem.seq))
    return report


def verify_event(event: Event) -> bool:
    """Whether one event's stored hash still matches its content (the admin shows it)."""
    return event.compute_hash() == event.hash
