"""Short-lived caching of public page fragments in the shared cache (Redis in production).

The public pages are the same for every visitor, so the expensive parts (the home page's
notice lists, a list page's rows for one set of filters and cursor, a notice's body, a feed)
are rendered once and kept PORTAL_CACHE_SECONDS (60 by default; 0 turns caching off). The
layout around them (navigation, sign-in state, CSRF token) is rendered per request.

Every key carries a generation token; saving or deleting a notice, an intention or an
organisation replaces the token, so a publication shows at once everywhere and the old
entries simply expire. Reading the token costs one cache round trip per page.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

GENERATION_KEY = "portal:generation"


def ttl() -> int:
    return int(getattr(settings, "PORTAL_CACHE_SECONDS", 60))


def _generation() -> str:
    token = cache.get(GENERATION_KEY)
    if token is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        token = cache.get(GENERATION_KEY)
    return token


def vary_on(params: list[tuple[str, str]]) -> str:
    """A short, stable digest of query parameters (order-insensitive, empty values dropped)."""
    canonical = "&".join(f"{k}={v}" for k, v in sorted(params) if v != "")
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


def cached(name: str, build: Callable[[], Any], *, vary: str = "") -> Any:
    """The cached result of `build()` for `name`/`vary` in the current language."""
    seconds = ttl()
    if seconds <= 0:
        return build()
    language = get_language() or settings.LANGUAGE_CODE
    key = f"portal:{_generation()}:{name}:{language}:{vary}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, seconds)
    return value


def cached_fragment(name: str, build: Callable[[], str], *, vary: str = "") -> SafeString:
    """The cached HTML of a fragment; `build` returns a rendered template (safe HTML)."""
    html = cached(name, lambda: str(build()), vary=vary)
    return mark_safe(html)  # noqa: S308 - our own rendered template output


def forget_fragments() -> None:
    """Start a new generation: every cached fragment is out of date from now on."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def notice_changed(sender, **kwargs) -> None:
    """post_save/post_delete of a notice or organisation: new generation now and after commit.

    Now, so the same request or test sees the change; after commit, so a fragment built by
    another request between the write and the commit (from the old rows) does not stay.
    """
    forget_fragments()
    transaction.on_commit(forget_fragments)
