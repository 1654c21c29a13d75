"""A clock kind with a due action whose effect is a database write, for the sweep tests.

Imported by the tests and, through `celery worker --include`, by the real worker process, so
both register the same kind.
"""

from __future__ import annotations

import os

from accounts.models import Organisation
from timers.registry import register_clock_kind, register_due_action

KIND = "tests.close_window"
MARK = "|closed"


def close_window(clock) -> None:
    """Append a mark (with the pid of the process that ran it) to the subject's address."""
    organisation = Organisation.objects.select_for_update().get(pk=clock.subject_id)
    organisation.address = f"{organisation.address}{MARK}:{os.getpid()}"
    organisation.save()


def times_closed(organisation: Organisation) -> int:
    organisation.refresh_from_db()
    return organisation.address.count(MARK)


register_clock_kind(KIND, label="test window", remind=False, escalate=False)
register_due_action(KIND, close_window)
