"""The deadline-rush benchmark's harness, run small against the live test server so it can't rot."""

from __future__ import annotations

import pytest
from django.db import connection

from bench.bidding_bench import (
    announce,
    ok,
    open_all,
    run_load,
    seal_all,
    seed,
    verify,
    wait_for_opening,
)
from procurement.models import Announcement, Lot, LotState
from timers.models import Clock
from timers.services import sweep


@pytest.mark.django_db(transaction=True)
def test_the_harness_seals_submits_opens_and_checks_ten_bids(live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    scenario = announce(seed(n=10), seconds=60)
    lot = Lot.objects.get(pk=scenario.lot_id)
    assert lot.state == LotState.ANNOUNCED and lot.bid_deadline == scenario.deadline
    assert Announcement.objects.filter(project=lot.project_id, kind="tender").exists()
    assert (
        Clock.objects.get(subject_id=lot.pk, kind="procurement.bid_deadline").due
        == lot.bid_deadline
    )
    # SQLite takes one writer at a time (the others wait for its lock), so there the
    # submissions take turns; PostgreSQL takes them at once.
    parallel = 1 if connection.vendor == "sqlite" else 10
    seal_all(scenario, files=2, size=30_000, folder=tmp_path / "sealed")
    run_load(live_server.url, scenario, window=55, late=2, slack=20, max_parallel=parallel)
    sweep()  # the lot's clock closes it (past its deadline now) and the opening starts
    assert wait_for_opening(scenario, timeout=10) is not None
    open_all(live_server.url, scenario, parallel=parallel)
    report = verify(scenario)
    assert ok(report), report
    # One at a time on SQLite, with each receipt rendered in the request (Celery eager), a
    # bidder may reach the server only after the deadline: refused, and counted apart.
    assert report["accepted"] >= 3 and report["accepted"] + report["sent_late"] == 8
    assert report["late_refused"] == 2
    assert report["p95_ms"] is not None
