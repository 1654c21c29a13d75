"""A small HTTP load generator: threads with keep-alive http.client connections.

    python bench/loadgen.py http://127.0.0.1:8765/path [/other/path ...] \
        --requests 2000 --duration 20 --concurrency 8 --warmup 50

Loopback only (it refuses any other host), bounded by a request count and a time limit,
so it always stops by itself. Paths given after the first URL are taken on the same host
in turn (e.g. several detail pages). Prints one JSON object: requests, errors, seconds,
requests per second, and p50/p95/p99 latency in milliseconds.
"""

from __future__ import annotations

import argparse
import http.client
import ipaddress
import itertools
import json
import socket
import sys
import threading
import time
from urllib.parse import urlsplit

LOOPBACK_NAMES = {"localhost"}


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an already sorted list (0 for an empty list)."""
    if not sorted_values:
        return 0.0
    rank = max(1, round(fraction * len(sorted_values) + 0.5 - 1e-9))
    return sorted_values[min(rank, len(sorted_values)) - 1]


class Run:
    """Shared state of one run: the request budget, the deadline, and what was measured."""

    def __init__(self, *, host: str, port: int, paths: list[str], budget: int, deadline: float):
        self.host, self.port = host, port
        self._paths = itertools.cycle(paths)
        self._budget = budget
        self.deadline = deadline
        self._lock = threading.Lock()
        self.latencies: list[float] = []
        self.errors = 0
        self.statuses: dict[int, int] = {}

    def take(self) -> str | None:
        """The next path to request, or None when the count or the time is used up."""
        with self._lock:
            if self._budget <= 0 or time.monotonic() >= self.deadline:
                return None
            self._budget -= 1
            return next(self._paths)

    def record(self, status: int | None, seconds: float) -> None:
        with self._lock:
            if status is None or status >= 400:
                self.errors += 1
            if status is not None:
                self.statuses[status] = self.statuses.get(status, 0) + 1
                self.latencies.append(seconds)


def worker(run: Run) -> None:
    conn: http.client.HTTPConnection | None = None
    while (path := run.take()) is not None:
        if conn is None:
            conn = http.client.HTTPConnection(run.host, run.port, timeout=30)
        started = time.perf_counter()
        status: int | None = None
        try:
            conn.request("GET", path, headers={"Host": run.host, "Accept-Language": "zh-hans"})
            response = conn.getresponse()
            response.read()
            status = response.status
            if response.will_close:
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException):
            if conn is not None:
                conn.close()
            conn = None
        run.record(status, time.perf_counter() - started)
    if conn is not None:
        conn.close()


def drive(
    *, urls: list[str], requests: int, duration: float, concurrency: int, warmup: int = 0
) -> dict:
    """Send up to `requests` GETs (and at most for `duration` seconds); return the figures."""
    first = urlsplit(urls[0])
    host, port = first.hostname or "", first.port or 80
    if not is_loopback(host):
        raise SystemExit(f"refusing to load a non-loopback host: {host!r}")
    paths = []
    for url in urls:
        parts = urlsplit(url)
        if parts.hostname != host or (parts.port or 80) != port:
            raise SystemExit("every URL must be on the same loopback host and port")
        paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    warmed = 0
    if warmup:
        warm = Run(host=host, port=port, paths=paths, budget=warmup, deadline=time.monotonic() + 30)
        _spawn(warm, min(concurrency, warmup))
        warmed = len(warm.latencies)
    run = Run(
        host=host, port=port, paths=paths, budget=requests, deadline=time.monotonic() + duration
    )
    started = time.perf_counter()
    _spawn(run, concurrency)
    elapsed = time.perf_counter() - started
    latencies = sorted(run.latencies)
    done = len(latencies)
    return {
        "requests": done,
        "errors": run.errors,
        "statuses": {str(k): v for k, v in sorted(run.statuses.items())},
        "seconds": round(elapsed, 3),
        "rps": round(done / elapsed, 1) if elapsed else 0.0,
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 2),
        "p95_ms": round(percentile(latencies, 0.95) * 1000, 2),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 2),
        "concurrency": concurrency,
        "warmup_done": warmed,
    }


def _spawn(run: Run, concurrency: int) -> None:
    threads = [
        threading.Thread(target=worker, args=(run,), daemon=True) for _ in range(concurrency)
    ]
    for t in threads:
        t.start()
    for t in threads:
        # The deadline bounds the run; a stuck socket is bounded by its 30 s timeout.
        t.join()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=0)
    args = parser.parse_args(argv)
    socket.setdefaulttimeout(30)
    result = drive(
        urls=args.urls,
        requests=args.requests,
        duration=args.duration,
        concurrency=args.concurrency,
        warmup=args.warmup,
    )
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
