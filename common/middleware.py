"""Middleware every app shares."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_vary_headers

PRIVATE_NO_STORE = "private, no-store"


class PrivateNoStoreMiddleware:
    """Every page a signed-in user gets says `Cache-Control: private, no-store`.

    A signed-in page shows what only its user may see (a bid's receipt, a complaint, an
    inbox): no shared proxy may keep it, nor the browser's disk cache or its back button once
    the user has signed out on a shared computer. It replaces whatever the view set: a page that
    is cached for the public (the portal's home) is still private for someone signed in. The
    static files never get here (WhiteNoise answers them first) and keep their long caching.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = PRIVATE_NO_STORE
            # An Expires or ETag from the view would let a cache revalidate or keep it.
            for header in ("Expires", "ETag", "Last-Modified"):
                if header in response:
                    del response[header]
            patch_vary_headers(response, ("Cookie",))
        return response
