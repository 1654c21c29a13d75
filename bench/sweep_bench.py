"""The clock sweep at a city's five years (issue 17 §4). Run it with

    bash scripts/bench_sweep.sh          # on yangguang_bench_city (bench/city.py fills it)

The city has 500,000 clocks, 5,000 of them open. Before each sweep timed, the open ones are
made due 30 seconds apart from two hours ago on: two a minute, each owing a two-hour reminder,
a breach and an escalation (a city of 10,000 procurements a year starts about 800 clocks a
working day, under two a minute over office hours: the figures are for a busy hour). The benchmark runs timers.services.sweep — what the beat task runs every minute — in this
process against that database, twice over:

1. **a minute of work**: the clocks as the sweep of a minute ago left them, then the sweep
   at now is timed: the steady cost, target under 5 s;
2. **a worker back after ten minutes**: the clocks as a sweep ten minutes ago left them, one
   sweep at now is timed — everything that fell due in the ten minutes is handled by it — and
   a second sweep right after must find nothing left to do.

--runs N repeats each (set back before each) and reports the median. The sweep
writes what it would in production (reminder notifications, breaches, audit events); the
notifications and deliveries it made are deleted afterwards and the clocks cleared, so the
fixture stays as filled. Deliveries are queued for the Celery worker (the filesystem broker
under var/ without Redis), as beat's sweep does.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

if not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import city, harness  # noqa: E402

TARGET_SECONDS = 5.0
SPACING = dt.timedelta(seconds=30)


def clear(now: dt.datetime, gap: dt.timedelta) -> None:
    """The open clocks as the sweeps up to `now - gap` left them; the bench's notifications gone.

    The open clocks are re-anchored SPACING apart from two hours before now on; those due by
    `now - gap` are breached and escalated, their reminders sent, like the reminders owed by
    then (two hours before due; the morning one of every clock due today): the state a worker
    that stopped at `now - gap` left behind.
    """
    from django.db import connection

    swept = now - gap
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM notifications_delivery WHERE notification_id IN "
            "(SELECT id FROM notifications_notification WHERE created >= %s)",
            [now - dt.timedelta(hours=3)],
        )
        cursor.execute(
            "DELETE FROM notifications_notification WHERE created >= %s",
            [now - dt.timedelta(hours=3)],
        )
        cursor.execute(
            "UPDATE timers_clock c SET due = %s - interval '2 hours' + o.n * %s::interval FROM (SELECT id, "
            "row_number() OVER (ORDER BY id) AS n FROM timers_clock WHERE met_at IS NULL AND "
            "cancelled_at IS NULL) o WHERE c.id = o.id",
            [now, f"{int(SPACING.total_seconds())} seconds"],
        )
        cursor.execute(
            "UPDATE timers_clock SET reminded_morning_at = %(swept)s, "
            "reminded_2h_at = CASE WHEN due <= %(swept)s + interval '2 hours' THEN %(swept)s END, "
            "breached_at = CASE WHEN due <= %(swept)s THEN due END, "
            "escalated_at = CASE WHEN due <= %(swept)s THEN due END "
            "WHERE met_at IS NULL AND cancelled_at IS NULL",
            {"swept": swept},
        )


def timed(now: dt.datetime) -> tuple[float, dict]:
    from dataclasses import asdict

    from timers.services import sweep

    started = time.perf_counter()
    report = sweep(now)
    return time.perf_counter() - started, asdict(report)


def scenario(now: dt.datetime, gap_minutes: int, runs: int) -> dict:
    gap = dt.timedelta(minutes=gap_minutes)
    seconds, reports, after = [], [], []
    for _ in range(runs):
        clear(now, gap)
        took, report = timed(now)
        seconds.append(took)
        reports.append(report)
        after.append(timed(now)[1])  # a second sweep at the same moment: nothing left
    clear(now, dt.timedelta(0))
    return {
        "gap_minutes": gap_minutes,
        "seconds": [round(s, 3) for s in seconds],
        "median_seconds": round(statistics.median(seconds), 3),
        "work": reports[0],
        "left_for_the_next_sweep": after[0],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time the clock sweep on the city database.")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default=city.CITY_DB)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--output", type=Path, default=None)
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = f"{args.pg}/{args.database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.utils import timezone

    from timers.models import Clock

    now = timezone.now()
    counts = {
        "clocks": Clock.objects.count(),
        "open": Clock.objects.open().count(),
        "due_in_the_last_10_minutes": Clock.objects.open()
        .filter(due__gt=now - dt.timedelta(minutes=10), due__lte=now)
        .count(),
    }
    print(f"== {args.database}: {counts}", flush=True)
    # A worker is a long-lived process: the first sweep of one pays its imports, templates and
    # broker connection (about 3 s here); one untimed round first, as the worker has done.
    scenario(now, 1, 1)
    clear(now, dt.timedelta(0))
    idle = timed(now)[0]
    results = {
        "idle": {
            "median_seconds": round(idle, 3),
            "seconds": [round(idle, 3)],
            "gap_minutes": 0,
            "work": {},
            "left_for_the_next_sweep": {},
        },
        "minute": scenario(now, 1, args.runs),
        "restart_after_10_minutes": scenario(now, 10, args.runs),
    }
    for name, r in results.items():
        print(
            f"   {name:<26} median {r['median_seconds']:.2f} s {r['seconds']}  "
            f"work {r['work']}  left {r['left_for_the_next_sweep']}",
            flush=True,
        )
    report = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": args.database,
        "counts": counts,
        "results": results,
    }
    output = args.output or harness.VAR / "sweep.json"
    harness.write_json(output, report)
    print(f"figures written to {output}")
    slow = [n for n, r in results.items() if r["median_seconds"] > TARGET_SECONDS]
    left = [n for n, r in results.items() if any(r["left_for_the_next_sweep"].values())]
    if slow:
        print(f"over {TARGET_SECONDS} s: {', '.join(slow)}")
    if left:
        print(f"work left after one sweep: {', '.join(left)}")
    return 1 if slow or left else 0


if __name__ == "__main__":
    raise SystemExit(main())
