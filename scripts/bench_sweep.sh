#!/usr/bin/env bash
# Time the clock sweep at a city's five years (docs/performance.md, issue 17 §4):
#   bash scripts/bench_sweep.sh [options]    # `.venv/bin/python bench/sweep_bench.py -h`
# Runs on yangguang_bench_city (fill it first: .venv/bin/python bench/city.py, or run
# scripts/bench_workspace.sh). Needs PostgreSQL at 127.0.0.1:5432.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements.txt
exec .venv/bin/python bench/sweep_bench.py "$@"
