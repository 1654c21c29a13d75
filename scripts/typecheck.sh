#!/usr/bin/env bash
# Type-check the project with mypy and django-stubs (STYLE.md habit 11). Run from anywhere:
#   bash scripts/typecheck.sh            # every app, bench/ and scripts/ (pyproject's [tool.mypy])
#   bash scripts/typecheck.sh portal     # only these paths, same settings
# The settings live in pyproject.toml ([tool.mypy], [tool.django-stubs]); the Django plugin
# loads config.settings.test, so no database or Redis is needed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements-dev.txt
exec .venv/bin/mypy "$@"
