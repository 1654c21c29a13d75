#!/usr/bin/env bash
# Set up and run the whole test suite (unit, integration and browser tests).
# Uses DATABASE_URL / REDIS_URL when set (PostgreSQL and Redis in CI), SQLite otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements-dev.txt
# One worker per core, at most four (each takes its own Redis database, see config/settings/test.py).
exec .venv/bin/python -m pytest -n "${PYTEST_WORKERS:-auto}" --maxprocesses=4 "$@"
