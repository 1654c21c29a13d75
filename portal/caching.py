"""Short-lived caching of public page fragments in the shared cache (Redis in production).

Only the home page's notice lists are cached: every visitor sees the same ones and the page
is the busiest of the site. A fragment lives PORTAL_CACHE_SECONDS (60 by default, 0 turns
caching off) and is dropped as soon as an announcement or intention is saved or deleted, so
a publication shows at once; the TTL only bounds staleness from changes elsewhere (e.g. a
purchaser renamed).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

FRAGMENTS = ("home",)


def ttl() -> int:
    return int(getattr(settings, "PORTAL_CACHE_SECONDS", 60))


def fragment_key(name: str, language: str | None = None) -> str:
    return f"portal:{name}:{language or get_language() or settings.LANGUAGE_CODE}"


def cached_fragment(name: str, build: Callable[[], str]) -> SafeString:
    """The cached HTML of fragment `name` in the current language, built on a miss.

    `build` returns HTML that is safe to show (a rendered template).
    """
    seconds = ttl()
    if seconds <= 0:
        return mark_safe(build())  # noqa: S308 - rendered template output
    key = fragment_key(name)
    html = cache.get(key)
    if html is None:
        html = str(build())
        cache.set(key, html, seconds)
    return mark_safe(html)  # noqa: S308 - rendered template output, stored by us


def forget_fragments() -> None:
    keys = [fragment_key(name, code) for name in FRAGMENTS for code, _label in settings.LANGUAGES]
    cache.delete_many(keys)


def notice_changed(sender, **kwargs) -> None:
    """post_save/post_delete of a notice: drop the fragments now and again after commit.

    Now, so the same request or test sees the change; after commit, so a page built by
    another request between the write and the commit (with the old rows) does not stay.
    """
    forget_fragments()
    transaction.on_commit(forget_fragments)
