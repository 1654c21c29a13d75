"""Short-lived caching of public page fragments in the shared cache (Redis in production).

The public pages are the same for every visitor, so the expensive parts (the home page's
notice lists, a list page's rows for one set of filters and cursor, a notice's body, a feed)
are rendered once and kept PORTAL_CACHE_SECONDS (60 by default; 0 turns caching off). The
layout around them (navigation, sign-in state, CSRF token) is rendered per request.

Every key carries a generation token; saving or deleting a notice, an intention or an
organisation replaces the token, so a publication shows at once everywhere and the old
entries simply expire. The token is read from the cache at most once a second per worker.
"""

from __future__ import annotations

import hashlib
import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

logger = logging.getLogger(__name__)
GENERATION_KEY = "portal:generation"


def ttl() -> int:
    return int(getattr(settings, "PORTAL_CACHE_SECONDS", 60))


# The token is re-read from the shared cache at most once a second per worker: a publication
# shows at once in the worker that made it and within a second in the others.
GENERATION_MEMO_SECONDS = 1.0
_memo: dict[str, Any] = {"token": None, "until": 0.0}


def _generation() -> str | None:
    """The current token; None when the cache cannot be reached (then nothing is cached)."""
    now = time.monotonic()
    if _memo["token"] is not None and now < _memo["until"]:
        return _memo["token"]
    try:
        token = cache.get(GENERATION_KEY)
        if token is None:
            cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
            token = cache.get(GENERATION_KEY)
    except Exception:  # a cache outage must not take the public pages down
        logger.warning("portal cache unavailable; serving uncached", exc_info=True)
        return None
    _memo.update(token=token, until=now + GENERATION_MEMO_SECONDS)
    return token


def vary_on(params: list[tuple[str, str]]) -> str:
    """A short, stable digest of query parameters (order-insensitive, empty values dropped)."""
    canonical = "&".join(f"{k}={v}" for k, v in sorted(params) if v != "")
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


# Small values every list page needs (the purchasers of the filter form) are also kept in the
# worker's memory under the same generation, which saves a cache round trip per page.
_local: dict[str, tuple[float, Any]] = {}
LOCAL_MAX = 64


def cached(name: str, build: Callable[[], Any], *, vary: str = "", local: bool = False) -> Any:
    """The cached result of `build()` for `name`/`vary` in the current language."""
    seconds = ttl()
    if seconds <= 0:
        return build()
    generation = _generation()
    if generation is None:
        return build()
    language = get_language() or settings.LANGUAGE_CODE
    key = f"portal:{generation}:{name}:{language}:{vary}"
    if local:
        hit = _local.get(key)
        if hit is not None and hit[0] > time.monotonic():
            return hit[1]
    try:
        value = cache.get(key)
    except Exception:
        logger.warning("portal cache unavailable; serving uncached", exc_info=True)
        return build()
    if value is None:
        value = build()
        try:
            cache.set(key, value, seconds)
        except Exception:
            logger.warning("portal cache unavailable; not caching", exc_info=True)
    if local:
        if len(_local) >= LOCAL_MAX:
            _local.clear()
        _local[key] = (time.monotonic() + seconds, value)
    return value


def cached_fragment(name: str, build: Callable[[], str], *, vary: str = "") -> SafeString:
    """The cached HTML of a fragment; `build` returns a rendered template (safe HTML)."""
    html = cached(name, lambda: str(build()), vary=vary)
    return mark_safe(html)  # noqa: S308 - our own rendered template output


def forget_fragments() -> None:
    """Start a new generation: every cached fragment is out of date from now on."""
    token = uuid.uuid4().hex
    _memo.update(token=token, until=time.monotonic() + GENERATION_MEMO_SECONDS)
    try:
        cache.set(GENERATION_KEY, token, None)
    except Exception:
        # A publication must not fail because the cache is down; other workers see the
        # change when their entries expire (PORTAL_CACHE_SECONDS).
        logger.warning("portal cache unavailable; fragments expire by themselves", exc_info=True)


def notice_changed(sender, **kwargs) -> None:
    """post_save/post_delete of a notice or organisation: new generation now and after commit.

    Now, so the same request or test sees the change; after commit, so a fragment built by
    another request between the write and the commit (from the old rows) does not stay.
    """
    forget_fragments()
    transaction.on_commit(forget_fragments)
