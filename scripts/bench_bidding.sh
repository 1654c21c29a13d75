#!/usr/bin/env bash
# Benchmark sealed bidding in the last minute before a deadline (docs/performance.md):
#   bash scripts/bench_bidding.sh [N] [options]      # N suppliers, default 200
# Seeds a dedicated PostgreSQL database (yangguang_bench_bids), serves it with gunicorn under
# production settings on a loopback port, has N suppliers submit sealed bids at random moments
# in the last --window seconds (and --late of them just after the deadline), then checks that
# every accepted bid is stored before the deadline and decrypts, and every late one was
# refused; prints p50/p95 submission latency. Options: .venv/bin/python bench/bidding_bench.py -h
set -euo pipefail
cd "$(dirname "$0")/.."
# requirements-dev.txt: the lot is announced through the services with its earlier steps
# backdated by time-machine (bench/builders.py), a development dependency.
bash scripts/setup.sh requirements-dev.txt
exec .venv/bin/python bench/bidding_bench.py "$@"
