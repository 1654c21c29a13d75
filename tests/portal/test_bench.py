"""The benchmark harness end to end, tiny: so `bash scripts/bench_portal.sh` cannot rot.

Seeds 200 announcements into its own PostgreSQL database, serves them with gunicorn under
production settings and sends a handful of requests per page. The full run (100,000 rows,
thousands of requests) is docs/performance.md's business, not the test suite's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection

from bench.loadgen import is_loopback, percentile

ROOT = Path(__file__).resolve().parents[2]


def test_it_computes_nearest_rank_percentiles():
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 0.50) == 50.0
    assert percentile(values, 0.95) == 95.0
    assert percentile([7.0], 0.95) == 7.0
    assert percentile([], 0.5) == 0.0


def test_it_only_loads_loopback_hosts():
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("10.0.0.1") and not is_loopback("example.cn")
    from bench.loadgen import drive

    with pytest.raises(SystemExit):
        drive(urls=["http://192.168.1.10:8000/"], requests=1, duration=1, concurrency=1)


def test_the_benchmark_settings_turn_the_framework_floor_on():
    """Only a benchmark has /bench/floor/ (portal.views.bench_floor): its servers get the flag."""
    import argparse

    from bench.harness import production_env

    args = argparse.Namespace(pg="postgres://x@127.0.0.1", database="b", redis="redis://r")
    assert production_env(args)["YG_BENCHMARK"] == "1"


@pytest.mark.django_db
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the benchmark seeds a PostgreSQL database of its own: set DATABASE_URL (CI does)",
)
def test_the_harness_seeds_serves_and_measures_every_page(tmp_path):
    db = urlsplit(os.environ["DATABASE_URL"])
    server = f"postgres://{db.username or 'postgres'}@{db.hostname}:{db.port or 5432}"
    output = tmp_path / "bench.json"
    command = [
        sys.executable,
        str(ROOT / "bench" / "portal_bench.py"),
        "200",
        "--database",
        "yangguang_bench_smoke",
        "--pg",
        server,
        "--redis",
        os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/9",
        "--workers",
        "2",
        "--concurrency",
        "2",
        "--requests",
        "6",
        "--duration",
        "10",
        "--warmup",
        "2",
        "--output",
        str(output),
    ]
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    run = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    report = json.loads(output.read_text())
    assert report["n"] == 200
    pages = {r["name"]: r for r in report["results"]}
    assert set(pages) == {
        "floor",
        "home",
        "list_deep_filtered",
        "list_search",
        "intention_list",
        "detail",
        "feed",
    }
    for name, figures in pages.items():
        assert figures["errors"] == 0, (name, figures)
        assert figures["requests"] == 6, (name, figures)
        assert figures["statuses"] == {"200": 6}, (name, figures)
        assert 0 < figures["p50_ms"] <= figures["p95_ms"]
    assert "cursor=" in pages["list_deep_filtered"]["path"]
    assert "| floor |" in run.stdout and "ratio to floor" in run.stdout
