#!/usr/bin/env bash
# Benchmark the pages people work in, at a city's five years (docs/performance.md, issue 17):
#   bash scripts/bench_workspace.sh [N] [options]   # N addresses per page, each asked once
# Fills the PostgreSQL database yangguang_bench_city with bench/city.py when it is missing
# (--refill makes it anew), signs in as each role, serves it with gunicorn under production
# settings on a loopback port and reports requests/s and p50/p95 per page next to the
# framework floor. Options: `.venv/bin/python bench/workspace_bench.py -h`.
# Needs PostgreSQL at 127.0.0.1:5432 and Redis at 127.0.0.1:6379, as the tests do.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements.txt
exec .venv/bin/python bench/workspace_bench.py "$@"
