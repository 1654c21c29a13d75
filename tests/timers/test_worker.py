"""A real Celery worker process takes the sweep from Redis and runs a due action once."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.utils import timezone

from config.celery import app
from timers.models import ClockState
from timers.services import start_clock
from timers.tasks import sweep

from .worker_actions import KIND as ACTION_KIND
from .worker_actions import MARK, times_closed

REDIS_URL = os.environ.get("REDIS_URL", "")
ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.skipif(
        not REDIS_URL, reason="needs a Redis broker: set REDIS_URL (CI does; SQLite runs don't)"
    ),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the worker process must share the test database: run on PostgreSQL",
    ),
]


def database_url() -> str:
    s = connection.settings_dict
    credentials = quote(s["USER"] or "", safe="")
    if s["PASSWORD"]:
        credentials += ":" + quote(s["PASSWORD"], safe="")
    return f"postgres://{credentials}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def start_worker(log) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": database_url(),
        "REDIS_URL": REDIS_URL,
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "DJANGO_DEBUG": "0",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            f"--hostname=timers-test-{os.getpid()}@%h",
            # Registers the test kind and its due action in the worker, as an app's ready() would.
            "--include=tests.timers.worker_actions",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def test_a_real_worker_runs_the_sweep_and_the_due_action_once(transactional_db, scene):
    clock = start_clock(
        subject=scene.subject,
        kind=ACTION_KIND,
        due=timezone.now() - timedelta(minutes=1),
        responsible=None,
    )
    app.control.purge()  # nothing left over from an earlier run reaches this database
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    with tempfile.TemporaryFile(mode="w+") as log:
        worker = start_worker(log)
        try:
            sweep.delay()
            sweep.delay()  # a duplicate delivery changes nothing
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and times_closed(scene.subject) == 0:
                assert worker.poll() is None, "the worker died"
                time.sleep(0.2)
            time.sleep(1)  # let the duplicate sweep run too
        finally:
            app.conf.task_always_eager = eager
            worker.terminate()
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
            log.seek(0)
            output = log.read()
    assert times_closed(scene.subject) == 1, output
    # The effect came from the worker process, not from this one.
    assert f"{MARK}:{worker.pid}" in scene.subject.address
    clock.refresh_from_db()
    assert clock.state == ClockState.MET
    assert clock.action_done_at is not None
    assert "timers.tasks.sweep" in output
