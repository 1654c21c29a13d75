"""The deadline-rush benchmark's harness, run small against the live test server so it can't rot."""

from __future__ import annotations

import pytest
from django.db import connection

from bench.bidding_bench import announce, ok, run_load, seed, verify
from procurement.models import Announcement, Lot, LotState
from timers.models import Clock


@pytest.mark.django_db(transaction=True)
def test_the_harness_submits_checks_and_decrypts_ten_bids(live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    scenario = announce(seed(n=10), seconds=25)
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
    run_load(live_server.url, scenario, window=20, late=2, slack=5, max_parallel=parallel)
    report = verify(scenario)
    assert ok(report), report
    assert report["accepted"] == 8 and report["late_refused"] == 2
    assert report["p95_ms"] is not None
