from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from .selectors import unread_count


def unread(request):
    """`unread_notifications`: the header badge's count, one COUNT query, only when shown."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    # Lazy: pages that never render the header (downloads, htmx fragments) run no query, and a
    # page that shows the badge twice still counts once.
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
