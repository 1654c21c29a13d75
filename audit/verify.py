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
and every later, independent problem is reported too. The chain alone cannot show that its
newest rows were cut off; for that, compare the head (seq and hash) with one recorded elsewhere
earlier (`anchors`, `manage.py verify_audit --anchor SEQ:HASH`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext

from .models import GENESIS_HASH, Event


class ProblemKind(StrEnum):
    GAP = "gap"
    EDITED = "edited"
    INSERTED = "inserted"
    UNLINKED = "unlinked"
    ANCHOR = "anchor"


@dataclass(frozen=True)
class Problem:
    kind: ProblemKind
    seq: int  # the row at fault (for a gap: the first missing seq)
    event_id: int | None = None
    expected: str = ""
    found: str = ""
    next_seq: int | None = None  # gap: the row after the hole; inserted: the row it preceded

    @property
    def message(self) -> str:
        """A sentence for people, in the active language."""
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
        return gettext(
            "event #%(seq)s does not match the recorded anchor: expected hash %(expected)s, "
            "found %(found)s."
        ) % {"seq": self.seq, "expected": self.expected, "found": self.found or "—"}


@dataclass
class ChainReport:
    count: int = 0
    head_seq: int | None = None
    head_hash: str = GENESIS_HASH
    problems: list[Problem] = field(default_factory=list)
    truncated: bool = False  # more problems existed than were kept

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_problem(self) -> Problem | None:
        return self.problems[0] if self.problems else None


@dataclass
class _Previous:
    seq: int
    id: int
    hash: str


def verify_chain(
    *,
    chunk_size: int = 2000,
    max_problems: int = 100,
    anchors: Mapping[int, str] | None = None,
    using: str = "default",
) -> ChainReport:
    """Walk the whole chain in seq order and report every place it was tampered with."""
    report = ChainReport()
    anchors = {int(seq): value.lower() for seq, value in (anchors or {}).items()}
    seen_anchors: set[int] = set()

    reported: set[tuple[ProblemKind, int]] = set()

    def add(problem: Problem) -> None:
        if (problem.kind, problem.seq) in reported:
            return  # e.g. a row before the first is both out of place and out of id order
        reported.add((problem.kind, problem.seq))
        if len(report.problems) < max_problems:
            report.problems.append(problem)
        else:
            report.truncated = True

    rows = (
        Event.objects.using(using)
        .order_by("seq")
        .only(
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
        )
    )
    previous: _Previous | None = None
    for event in rows.iterator(chunk_size=chunk_size):
        report.count += 1
        expected_seq = previous.seq + 1 if previous else 1
        expected_prev_hash = previous.hash if previous else GENESIS_HASH
        gap = event.seq != expected_seq
        if gap:
            if event.seq > expected_seq:
                add(Problem(ProblemKind.GAP, seq=expected_seq, next_seq=event.seq))
            else:  # only a seq below 1 can come first
                add(Problem(ProblemKind.INSERTED, seq=event.seq, event_id=event.pk, next_seq=1))
        computed = event.compute_hash()
        if computed != event.hash:
            add(
                Problem(
                    ProblemKind.EDITED,
                    seq=event.seq,
                    event_id=event.pk,
                    expected=event.hash,
                    found=computed,
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
                )
            )
        if event.seq in anchors:
            seen_anchors.add(event.seq)
            if anchors[event.seq] != event.hash:
                add(
                    Problem(
                        ProblemKind.ANCHOR,
                        seq=event.seq,
                        event_id=event.pk,
                        expected=anchors[event.seq],
                        found=event.hash,
                    )
                )
        previous = _Previous(seq=event.seq, id=event.pk, hash=event.hash)
    for seq in sorted(set(anchors) - seen_anchors):
        add(Problem(ProblemKind.ANCHOR, seq=seq, expected=anchors[seq]))
    report.problems.sort(key=lambda problem: problem.seq)  # stable: walk order within a row
    if previous is not None:
        report.head_seq, report.head_hash = previous.seq, previous.hash
    return report


def verify_event(event: Event) -> bool:
    """Whether one event's stored hash still matches its content (the admin shows it)."""
    return event.compute_hash() == event.hash
