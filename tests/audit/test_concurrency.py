"""Two transactions appending at once must take turns, never fork the chain (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from audit.models import Event
from audit.services import record_event
from audit.verify import verify_chain

APPENDS_PER_THREAD = 40


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers with BEGIN IMMEDIATE; the race needs PostgreSQL",
)
def test_it_never_forks_the_chain_under_concurrent_appends(transactional_db):
    from django.db import connections

    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def append(worker: str) -> None:
        try:
            start.wait(timeout=10)
            for i in range(APPENDS_PER_THREAD):
                with transaction.atomic():
                    # The caller's own work first: the read the lock must come after.
                    Event.objects.count()
                    record_event(
                        action="procurement.lot.updated",
                        actor=None,
                        data={"worker": worker, "i": i},
                    )
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            connections.close_all()  # each thread has its own connection

    threads = [threading.Thread(target=append, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    total = 2 * APPENDS_PER_THREAD
    assert list(Event.objects.order_by("seq").values_list("seq", flat=True)) == list(
        range(1, total + 1)
    )
    workers = set(Event.objects.values_list("data__worker", flat=True))
    assert workers == {"a", "b"}
    report = verify_chain()
    assert report.ok, [p.message for p in report.problems]
    assert report.count == total
