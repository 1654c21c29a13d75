#!/usr/bin/env bash
# Benchmark the public portal at scale (docs/performance.md):
#   bash scripts/bench_portal.sh [N] [options]     # N announcements, default 100000
# Seeds a dedicated PostgreSQL database (yangguang_bench), serves it with gunicorn under
# production settings on a loopback port and reports requests/s and p50/p95 per page next to
# a trivial view (the framework floor). Options: see `.venv/bin/python bench/portal_bench.py -h`
# (--reuse keeps an already seeded database, --requests/--duration bound each page's run).
# Needs PostgreSQL at 127.0.0.1:5432 and Redis at 127.0.0.1:6379, as the tests do.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements.txt
exec .venv/bin/python bench/portal_bench.py "$@"
