"""Short-lived caching of public page fragments in the shared cache (Redis in production).

The public pages are the same for every visitor, so the expensive parts (the home page's
notice lists, a list page's rows for one set of filters and cursor, a notice's body, a feed)
are rendered once and kept PORTAL_CACHE_SECONDS (60 by default; 0 turns caching off). The
layout around them (navigation, sign-in state) is rendered per request for a signed-in
visitor; for an anonymous one (no session, no pending message) the whole page is the same for
everybody who asks for that address in that language, so `anonymous_page` keeps it whole.
An anonymous page therefore carries no CSRF token: the only form on it, the language switch,
is CSRF-exempt (config/urls.py), and htmx's token header is sent only to signed-in users.

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
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
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


def cached(
    name: str,
    build: Callable[[], Any],
    *,
    vary: str = "",
    local: bool = False,
    keep: Callable[[Any], bool] | None = None,
) -> Any:
    """The cached result of `build()` for `name`/`vary` in the current language.

    `keep(value)` may refuse to store a built value (it is returned all the same).
    """
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
        if keep is not None and not keep(value):
            return value
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


# The message framework's cookie (django.contrib.messages CookieStorage): a visitor who carries
# one has a message to see, so its page is rendered for it.
MESSAGES_COOKIE = "messages"


def is_anonymous_visitor(request: HttpRequest) -> bool:
    """A plain GET by a visitor with no session and no pending message: its page is public."""
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and MESSAGES_COOKIE not in request.COOKIES
    )


def anonymous_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve `view` to anonymous visitors from a whole-page copy kept under the generation.

    Only 200 responses are kept (a 404 stays uncached, so a notice published later shows);
    the key is the full path with its query string, in the visitor's language. Signed-in
    visitors, and anonymous ones with a message to see, always get a freshly rendered page.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_anonymous_visitor(request):
            return view(request, *args, **kwargs)

        def build() -> tuple[int, bytes, str] | None:
            response = view(request, *args, **kwargs)
            # A page that set a cookie or used the CSRF token is this visitor's own.
            personal = response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            if response.status_code != 200 or response.streaming or personal:
                built["response"] = response
                return None
            return (response.status_code, response.content, response["Content-Type"])

        built: dict[str, HttpResponse] = {}
        vary = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
        page = cached("page", build, vary=vary, keep=lambda value: value is not None)
        if page is None:
            return built["response"]
        status, content, content_type = page
        return HttpResponse(content, status=status, content_type=content_type)

    return wrapped


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
