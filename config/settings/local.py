"""Development on the embedded default (SQLite, filesystem Celery broker)."""

from __future__ import annotations

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)

# Serve static files from the app folders without collectstatic (whitenoise, development only).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
