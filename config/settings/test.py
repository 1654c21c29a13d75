"""Test settings: DATABASE_URL / REDIS_URL from the environment (PostgreSQL and Redis in CI)."""

from __future__ import annotations

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Unit tests run tasks in-process; tests/timers drives a real worker against the real broker.
CELERY_TASK_ALWAYS_EAGER = True
# Browser tests run many sign-ins from one address; the lockout has its own tests.
AXES_FAILURE_LIMIT = 5
DEBUG = False
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
