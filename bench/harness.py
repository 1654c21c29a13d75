"""What the benchmarks share: a fresh PostgreSQL database, production settings, gunicorn.

bench/portal_bench.py and bench/bidding_bench.py each measure something of their own against
the same stage: a dedicated database dropped and made anew, migrated, static files collected,
gunicorn started with `config.settings.production` (all settings from the environment, as in
production) on a free loopback port, waited for until the framework floor (/bench/floor/)
answers, and stopped at the end even when the run is terminated. The figures go out as a
Markdown table and as JSON under var/bench/.

A benchmark's main() goes

    args = parser(...).parse_args(argv)          # plus its own options
    begin(production_env(args, ...))             # before Django is set up
    recreate_database(args); setup_django()
    ...seed...
    with serve(workers=workers(args)) as server:
        ...load against server.base...
    write_json(path, report); print(markdown_table(...))

Everything stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
VAR = ROOT / "var" / "bench"
FLOOR = "/bench/floor/"


def parser(
    description: str, *, n: int, n_help: str, database: str, redis: str
) -> argparse.ArgumentParser:
    """The options every benchmark has: N, where its database and Redis are, how many workers."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("n", nargs="?", type=int, default=n, help=n_help)
    parser.add_argument("--database", default=database)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="server URL")
    parser.add_argument("--redis", default=redis)
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (2*cores+1)")
    return parser


def cores() -> int:
    return os.cpu_count() or 1


def workers(args: argparse.Namespace) -> int:
    return args.workers or 2 * cores() + 1


def production_env(args: argparse.Namespace, **extra: str) -> dict[str, str]:
    """Production-like settings, all from the environment as in production, plus `extra`."""
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
        "DJANGO_STATIC_ROOT": str(VAR / "static"),
        "LOG_LEVEL": "WARNING",
        "YG_BENCHMARK": "1",  # the framework floor (/bench/floor/) answers only then
        **extra,
    }


def begin(env: dict[str, str]) -> None:
    """Make `env` this process's settings (and so gunicorn's); stop cleanly on SIGTERM.

    A terminated run still stops its gunicorn: SIGTERM becomes SystemExit, which runs the
    `finally` of serve().
    """
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    os.environ.update(env)


def recreate_database(args: argparse.Namespace) -> None:
    """Drop the benchmark's database (whoever is connected) and create it empty."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{args.pg}/postgres", autocommit=True, connect_timeout=5) as conn:
        name = sql.Identifier(args.database)
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))


def setup_django() -> None:
    """Set Django up under the environment begin() set, migrate, collect the static files."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    """Wait for `url` to answer 200; give up at once if the app answers an error."""
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


@dataclass
class Server:
    base: str  # http://127.0.0.1:PORT
    process: subprocess.Popen

    def cpu_seconds(self) -> float:
        return server_cpu_seconds(self.process.pid)


@contextmanager
def serve(*, workers: int) -> Iterator[Server]:
    """gunicorn on a free loopback port with this process's environment, up until the end.

    Close Django's database connections before: the workers are separate processes.
    """
    port = free_port()
    gunicorn = shutil.which("gunicorn", path=str(Path(PYTHON).parent)) or "gunicorn"
    process = subprocess.Popen(  # noqa: S603 (fixed command)
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
    )
    server = Server(base=f"http://127.0.0.1:{port}", process=process)
    try:
        wait_until_up(server.base + FLOOR, process)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def markdown_table(header: list[str], rows: list[list[object]], *, text_columns: int = 0) -> str:
    """A Markdown table; the first `text_columns` columns left-aligned, the rest right."""
    align = ["---" if i < text_columns else "---:" for i in range(len(header))]
    lines: list[Sequence[object]] = [header, align, *rows]
    return "\n".join("| " + " | ".join(str(cell) for cell in line) + " |" for line in lines)


def write_json(path: Path, report: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False))
