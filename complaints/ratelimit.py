"""The status page's limit on wrong access codes (issue 13 §5).

The sign-in lockout (django-axes, config/settings/base.py AXES_*) counts failures per user name
and address in the database; a case number is not a user, so this counts them in Django's cache
(Redis in production, shared by every worker) per client address and per case number, with the
same limit and cool-off as the sign-in. The client address is the one axes resolves (behind the
same proxies). A number that does not exist is counted like one that does.
"""

from __future__ import annotations

import hashlib

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache


def _limit() -> int:
    return int(settings.AXES_FAILURE_LIMIT)


def _cooloff_seconds() -> int:
    return int(float(settings.AXES_COOLOFF_TIME) * 3600)


def _key(request, number: str) -> str:
    address = get_client_ip_address(request) or "unknown"
    digest = hashlib.sha256(f"{address}|{number.strip().upper()}".encode()).hexdigest()[:32]
    return f"complaints:status-failures:{digest}"


def is_locked(request, number: str) -> bool:
    return int(cache.get(_key(request, number), 0)) >= _limit()


def count_failure(request, number: str) -> None:
    key = _key(request, number)
    if cache.add(key, 1, _cooloff_seconds()):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, _cooloff_seconds())


def clear(request, number: str) -> None:
    cache.delete(_key(request, number))
