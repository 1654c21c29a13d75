"""Every write about experts and committees: `verb_noun(*, ..., acting_user)`.

- draw: the pool of candidates, the exclusions, the seeded pick and its replay;
- committee: forming a committee, the invitations and answers, replacements, the check at the
  opening's end, the leader;
- database: the expert's own periods of unavailability, the bureau's import.
"""

from __future__ import annotations

from .committee import (
    COMPLETE,
    INVITATION_CLOCK,
    INVITED,
    REMOVED,
    SHORT,
    CommitteeValues,
    accept_invitation,
    decline_invitation,
    earliest_draw_day,
    expire_at_due,
    expire_invitation,
    form_committee,
    minimum_size,
    recheck_after_opening,
    replace_missing,
    seats_missing,
    size_problems,
)
from .draw import Replay, export, replay

__all__ = [
    "COMPLETE",
    "INVITATION_CLOCK",
    "INVITED",
    "REMOVED",
    "SHORT",
    "CommitteeValues",
    "Replay",
    "accept_invitation",
    "decline_invitation",
    "earliest_draw_day",
    "expire_at_due",
    "expire_invitation",
    "export",
    "form_committee",
    "minimum_size",
    "recheck_after_opening",
    "replace_missing",
    "replay",
    "seats_missing",
    "size_problems",
]
