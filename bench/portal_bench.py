"""Benchmark of the public portal at scale (issue 4, item 7). Run it with

    bash scripts/bench_portal.sh [N]          # N announcements, default 100000

What it does, in order:
1. creates a dedicated PostgreSQL database (default `yangguang_bench`; dropped and made anew
   unless --reuse finds it already seeded with N announcements), migrates it;
2. seeds N published announcements and N/4 intentions with bulk_create in batches
   (bench/seed.py: a benchmark fixture, so it bypasses the procurement services on purpose);
3. collects static files and starts gunicorn with production settings (DEBUG off,
   config.settings.production, whitenoise, ALLOWED_HOSTS=127.0.0.1, no SSL redirect) on a
   free loopback port;
4. drives load from a second process (bench/loadgen.py: threads, keep-alive, bounded by count
   and time, loopback only) against the framework floor (/bench/floor/), the home page, a
   filtered announcement list deep in the results (via a cursor), a full-text search, the
   intention list and announcement detail pages;
5. prints a Markdown table of requests/s, p50/p95 latency and the ratio to the floor, and
   writes the same figures as JSON under var/bench/.

Everything stays on 127.0.0.1. Exit status 1 when a page returned errors or fell under the
target (a third of the floor's throughput) and --check is given.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

if not __package__:  # run as a script (python bench/portal_bench.py): the repository's packages
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness  # noqa: E402

TARGET_RATIO = 1 / 3


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = harness.parser(
        "Benchmark the public portal with gunicorn.",
        n=100_000,
        n_help="announcements to seed",
        database="yangguang_bench",
        redis="redis://127.0.0.1:6379/9",
    )
    parser.add_argument("--reuse", action="store_true", help="keep a database seeded with N")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads")
    parser.add_argument("--requests", type=int, default=3000, help="requests per page, at most")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per page, at most")
    parser.add_argument("--warmup", type=int, default=100, help="unmeasured requests first")
    parser.add_argument("--output", type=Path, default=None, help="JSON file for the figures")
    parser.add_argument("--check", action="store_true", help="fail below the 1/3 target")
    parser.add_argument(
        "--no-cache", action="store_true", help="serve without the portal's fragment cache"
    )
    return parser.parse_args(argv)


def database_ready(args: argparse.Namespace) -> bool:
    """True when --reuse finds the database already seeded with exactly N announcements."""
    import psycopg

    try:
        with psycopg.connect(f"{args.pg}/{args.database}", connect_timeout=5) as conn:
            row = conn.execute("SELECT count(*) FROM procurement_announcement").fetchone()
    except psycopg.Error:
        return False
    return row is not None and row[0] == args.n


def prepare(*, n: int, seeded: bool) -> dict:
    """Migrate, collect static files, seed unless `seeded`; return the URLs to measure."""
    harness.setup_django()
    from django.db import connections

    from bench.seed import seed, targets
    from portal.caching import forget_fragments

    started = time.perf_counter()
    if not seeded:
        seed(n=n)
    seeded_in = time.perf_counter() - started
    # A new generation rather than a flush: the cache may be a Redis database shared with others.
    forget_fragments()
    paths = targets()
    connections.close_all()
    return {"paths": paths, "seeded_in": round(seeded_in, 1)}


def measure(base: str, paths: list[str], args: argparse.Namespace) -> dict:
    """Run the load generator in its own process against the given paths."""
    command = [
        harness.PYTHON,
        str(harness.ROOT / "bench" / "loadgen.py"),
        *[base + p for p in paths],
        "--requests",
        str(args.requests),
        "--duration",
        str(args.duration),
        "--concurrency",
        str(args.concurrency),
        "--warmup",
        str(args.warmup),
    ]
    out = subprocess.run(  # noqa: S603 - our own script, loopback URLs
        command, check=True, capture_output=True, text=True, timeout=600
    )
    return json.loads(out.stdout)


def table(results: list[dict]) -> str:
    floor = next(r for r in results if r["name"] == "floor")["rps"] or 1.0
    floor_cpu = next(r for r in results if r["name"] == "floor")["cpu_ms"] or 1.0
    rows = []
    for r in results:
        cpu_ratio = floor_cpu / r["cpu_ms"] if r["cpu_ms"] else 0.0
        rows.append(
            [
                r["name"],
                r["requests"],
                r["errors"],
                f"{r['rps']:.0f}",
                f"{r['p50_ms']:.1f}",
                f"{r['p95_ms']:.1f}",
                f"{r['rps'] / floor:.2f}",
                f"{r['cpu_ms']:.2f}",
                f"{cpu_ratio:.2f}",
            ]
        )
    header = ["page", "requests", "errors", "requests/s", "p50 ms", "p95 ms", "ratio to floor"]
    header += ["server CPU ms/request", "CPU ratio (floor/page)"]
    return harness.markdown_table(header, rows, text_columns=1)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    workers = harness.workers(args)
    harness.begin(harness.production_env(args, PORTAL_CACHE_SECONDS="0" if args.no_cache else "60"))
    print(f"== database {args.database}: {args.n} announcements", flush=True)
    seeded = args.reuse and database_ready(args)
    if not seeded:
        harness.recreate_database(args)
    prepared = prepare(n=args.n, seeded=seeded)
    print(f"   seeded in {prepared['seeded_in']} s", flush=True)
    results = []
    with harness.serve(workers=workers) as server:
        print(f"== gunicorn: {workers} workers on {server.base}", flush=True)
        for name, paths in prepared["paths"].items():
            cpu_before = server.cpu_seconds()
            figures = measure(server.base, paths, args)
            cpu = server.cpu_seconds() - cpu_before
            # The warm-up requests ran on the server too: spread its CPU over all of them.
            served = figures["requests"] + figures.get("warmup_done", 0)
            figures["cpu_ms"] = round(cpu * 1000 / served, 3) if served else 0.0
            figures["name"] = name
            figures["path"] = paths[0]
            results.append(figures)
            print(
                f"   {name:<16} {figures['rps']:>8.1f} req/s  p50 {figures['p50_ms']:.1f} ms"
                f"  p95 {figures['p95_ms']:.1f} ms  server CPU {figures['cpu_ms']:.2f} ms/request"
                f"  errors {figures['errors']}",
                flush=True,
            )
    report = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {harness.cores()} cores, "
        f"Python {platform.python_version()}",
        "n": args.n,
        "workers": workers,
        "concurrency": args.concurrency,
        "seeded_in_seconds": prepared["seeded_in"],
        "portal_cache": not args.no_cache,
        "results": results,
    }
    suffix = "-nocache" if args.no_cache else ""
    output = args.output or harness.VAR / f"portal-{args.n}{suffix}.json"
    harness.write_json(output, report)
    print()
    print(table(results))
    print(f"\nfigures written to {output}")
    floor = next(r for r in results if r["name"] == "floor")["rps"] or 1.0
    failing = [r["name"] for r in results if r["errors"]]
    slow = [r["name"] for r in results if r["rps"] < floor * TARGET_RATIO]
    if failing:
        print(f"ERRORS on: {', '.join(failing)}")
    if slow:
        print(f"under a third of the floor: {', '.join(slow)}")
    return 1 if failing or (args.check and slow) else 0


if __name__ == "__main__":
    raise SystemExit(main())
