#!/usr/bin/env bash
# Set up and run the whole test suite (unit, integration and browser tests).
# Uses DATABASE_URL / REDIS_URL when set (PostgreSQL and Redis in CI), SQLite otherwise.
#
# --reuse-db keeps each worker's migrated test database between runs (new migrations are still
# applied); pass --create-db to start afresh, e.g. after editing a migration or switching
# branches (CI does, see .ci/run). --durations=25 lists the slowest tests at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements-dev.txt
# One worker per core, at most four (each takes its own Redis database, see config/settings/test.py).
exec .venv/bin/python -m pytest -n "${PYTEST_WORKERS:-auto}" --maxprocesses=4 --reuse-db \
  --durations=25 "$@"
