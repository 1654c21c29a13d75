"""The demo (scripts/demo.sh): the embedded default as a visitor meets the product.

DEBUG is off, so a missing page or an error shows the portal's Chinese 404 and 500 pages, not
Django's technical ones; WhiteNoise still serves the static files from the app folders (local.py),
which it does whatever DEBUG says. Each e-mail is printed as one line, so the console keeps the
demo's sign-ins readable; links in e-mails start with SITE_URL, which demo.sh sets to the
address it serves on.
"""

from __future__ import annotations

import os

from .base import env_bool
from .local import *  # noqa: F403

DEBUG = env_bool("DJANGO_DEBUG", False)
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "notifications.mail.OneLineEmailBackend")
