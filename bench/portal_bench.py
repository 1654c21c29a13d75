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
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TARGET_RATIO = 1 / 3


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark the public portal with gunicorn.")
    parser.add_argument("n", nargs="?", type=int, default=100_000, help="announcements to seed")
    parser.add_argument("--database", default="yangguang_bench")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="server URL")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--reuse", action="store_true", help="keep a database seeded with N")
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (2*cores+1)")
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


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_env(args: argparse.Namespace) -> dict[str, str]:
    """Production-like settings, all from the environment as in production."""
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"{args.pg}/{args.database}",
        # Persistent connections, as a production deployment would configure.
        "DATABASE_CONN_MAX_AGE": "60",
        "REDIS_URL": args.redis,
        "CACHE_KEY_PREFIX": f"bench-{args.database}",
        "DJANGO_STATIC_ROOT": str(ROOT / "var" / "bench" / "static"),
        "LOG_LEVEL": "WARNING",
        "PORTAL_CACHE_SECONDS": "0" if args.no_cache else "60",
    }


def database_ready(args: argparse.Namespace) -> bool:
    """True when --reuse finds the database already seeded with exactly N announcements."""
    import psycopg

    try:
        with psycopg.connect(f"{args.pg}/{args.database}", connect_timeout=5) as conn:
            row = conn.execute("SELECT count(*) FROM procurement_announcement").fetchone()
    except psycopg.Error:
        return False
    return bool(row) and row[0] == args.n


def recreate_database(args: argparse.Namespace) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{args.pg}/postgres", autocommit=True, connect_timeout=5) as conn:
        name = sql.Identifier(args.database)
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))


def prepare(args: argparse.Namespace) -> dict:
    """Migrate, seed, collect static files; return the URLs to measure."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from bench.seed import seed, targets
    from portal.caching import forget_fragments

    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    if not (args.reuse and database_ready(args)):
        seed(n=args.n)
    seeded_in = time.perf_counter() - started
    call_command("collectstatic", verbosity=0, interactive=False)
    # A new generation rather than a flush: the cache may be a Redis database shared with others.
    forget_fragments()
    paths = targets()
    connections.close_all()
    return {"paths": paths, "seeded_in": round(seeded_in, 1)}


def wait_until_up(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    """Wait for the floor view to answer 200; give up at once if the app answers an error."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except urllib.error.HTTPError as exc:
            raise SystemExit(f"the floor view answered {exc.code}: the app is broken") from exc
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer in time")


def measure(base: str, paths: list[str], args: argparse.Namespace) -> dict:
    """Run the load generator in its own process against the given paths."""
    command = [
        PYTHON,
        str(ROOT / "bench" / "loadgen.py"),
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


def server_cpu_seconds(master_pid: int) -> float:
    """User+system CPU of gunicorn's master and workers so far (Linux /proc, clock ticks).

    Throughput on a busy shared machine mostly measures how much CPU the other processes
    leave; the CPU the server spends per request does not depend on them, so it is reported
    beside the requests per second.
    """
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(stat.parent.name), int(fields[1])
        if pid == master_pid or ppid == master_pid:
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def table(results: list[dict]) -> str:
    floor = next(r for r in results if r["name"] == "floor")["rps"] or 1.0
    floor_cpu = next(r for r in results if r["name"] == "floor")["cpu_ms"] or 1.0
    lines = [
        "| page | requests | errors | requests/s | p50 ms | p95 ms | ratio to floor "
        "| server CPU ms/request | CPU ratio (floor/page) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        cpu_ratio = floor_cpu / r["cpu_ms"] if r["cpu_ms"] else 0.0
        lines.append(
            f"| {r['name']} | {r['requests']} | {r['errors']} | {r['rps']:.0f} | "
            f"{r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['rps'] / floor:.2f} | "
            f"{r['cpu_ms']:.2f} | {cpu_ratio:.2f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # A terminated run still stops its gunicorn (the `finally` below runs on SystemExit).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    cores = os.cpu_count() or 1
    workers = args.workers or 2 * cores + 1
    env = bench_env(args)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    print(f"== database {args.database}: {args.n} announcements", flush=True)
    if not (args.reuse and database_ready(args)):
        recreate_database(args)
    prepared = prepare(args)
    print(f"   seeded in {prepared['seeded_in']} s", flush=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    gunicorn = shutil.which("gunicorn", path=str(Path(PYTHON).parent)) or "gunicorn"
    server = subprocess.Popen(  # noqa: S603 (fixed command)
        [
            gunicorn,
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
    )
    results = []
    try:
        wait_until_up(base + "/bench/floor/", server)
        print(f"== gunicorn: {workers} workers on {base}", flush=True)
        for name, paths in prepared["paths"].items():
            cpu_before = server_cpu_seconds(server.pid)
            figures = measure(base, paths, args)
            cpu = server_cpu_seconds(server.pid) - cpu_before
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
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    report = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {cores} cores, Python {platform.python_version()}",
        "n": args.n,
        "workers": workers,
        "concurrency": args.concurrency,
        "seeded_in_seconds": prepared["seeded_in"],
        "portal_cache": not args.no_cache,
        "results": results,
    }
    suffix = "-nocache" if args.no_cache else ""
    output = args.output or ROOT / "var" / "bench" / f"portal-{args.n}{suffix}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2, ensure_ascii=False))
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
