"""The deadline-rush benchmark's harness, run small against the live test server so it can't rot."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from bench.bidding_bench import ok, run_load, seed, verify


@pytest.mark.django_db(transaction=True)
def test_the_harness_submits_checks_and_decrypts_ten_bids(live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    deadline = timezone.now() + dt.timedelta(seconds=25)
    scenario = seed(n=10, deadline=deadline)
    # The test server's shared-cache in-memory SQLite refuses concurrent writers outright
    # ("table is locked"), so there the submissions take turns; PostgreSQL takes them at once.
    parallel = 1 if connection.vendor == "sqlite" else 10
    run_load(live_server.url, scenario, window=20, late=2, slack=5, max_parallel=parallel)
    report = verify(scenario)
    assert ok(report), report
    assert report["accepted"] == 8 and report["late_refused"] == 2
    assert report["p95_ms"] is not None
