"""Nothing a web worker keeps in its own memory is something another must see (issue 17 §5).

The portal keeps two things per worker: the generation token (re-read from the shared cache at
most once a second) and small values such as the purchaser options, under that token. Worker B
here is the same module with its own memory; worker A publishes (a new generation in the shared
cache). B sees it within GENERATION_MEMO_SECONDS and then never serves A's old options.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache

from portal import caching

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(caching.time, "monotonic", lambda: now[0])
    monkeypatch.setattr(caching, "_memo", {"token": None, "until": 0.0})
    monkeypatch.setattr(caching, "_local", {})
    return now


def test_another_workers_publication_reaches_this_worker_within_a_second(settings, clock):
    settings.PORTAL_CACHE_SECONDS = 60
    built = []

    def options():
        built.append(1)
        return [f"单位{len(built)}"]

    first = caching.cached("purchasers", options, local=True)
    assert caching.cached("purchasers", options, local=True) == first  # from this worker's memory
    # Worker A publishes: a new token in the shared cache, not in this worker's memory.
    cache.set(caching.GENERATION_KEY, "published-elsewhere", None)
    clock[0] += caching.GENERATION_MEMO_SECONDS + 0.01
    assert caching._generation() == "published-elsewhere"
    fresh = caching.cached("purchasers", options, local=True)
    assert fresh != first and len(built) == 2  # built anew under the new generation


def test_sessions_and_cache_are_shared_when_redis_is_configured():
    import importlib
    import os

    import config.settings.base as base

    saved = os.environ.get("REDIS_URL")
    os.environ["REDIS_URL"] = "redis://127.0.0.1:6379/15"
    try:
        reloaded = importlib.reload(base)
        assert reloaded.CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache"
        assert reloaded.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    finally:
        if saved is None:
            del os.environ["REDIS_URL"]
        else:
            os.environ["REDIS_URL"] = saved
        importlib.reload(base)
