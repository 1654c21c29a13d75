"""Test settings: DATABASE_URL / REDIS_URL from the environment (PostgreSQL and Redis in CI)."""

from __future__ import annotations

import os
import re

# Under pytest-xdist each worker gets its own Redis database (cache.clear() flushes a whole
# database), set in the environment so subprocesses such as a real Celery worker agree.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker and os.environ.get("REDIS_URL"):
    _index = int(re.sub(r"\D", "", _worker) or 0)
    os.environ["REDIS_URL"] = re.sub(r"/\d*$", "", os.environ["REDIS_URL"]) + f"/{12 + _index}"

from .base import *  # noqa: E402, F403

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not Django's in-memory default, so that `--reuse-db` (scripts/test.sh) keeps the
    # migrated database between local runs: migrating takes 10-20 s per xdist worker
    # (pytest-django names each worker's copy ..._gw0, ..._gw1). A kept database still gets
    # new migrations (Django migrates it on every start); after editing or dropping a migration
    # (or switching to a branch without it) run once with --create-db. A throwaway database,
    # so SQLite need not wait for the disk at each commit.
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}  # noqa: F405
    DATABASES["default"]["OPTIONS"]["init_command"] = "PRAGMA synchronous=OFF"  # noqa: F405

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# scrypt at n=2**15 costs 32 MiB and 0.1–0.4 s of a core when a bid is sealed and again when it
# is opened; at 2**10 about a millisecond. Each bid stores its parameters, and
# tests/bidding/test_opening.py opens one bid sealed at the production cost.
BIDDING_SCRYPT_LOG2 = 10
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Unit tests run tasks in-process; tests/timers drives a real worker against the real broker.
CELERY_TASK_ALWAYS_EAGER = True
# Browser tests run many sign-ins from one address; the lockout has its own tests.
AXES_FAILURE_LIMIT = 5
DEBUG = False
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
