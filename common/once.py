"""A form sent twice (a double click, a resubmission) creates one row (issue 16 §5).

A create form carries a one-time token (`{% form_token %}` in its template); its view is
decorated with `@once`. The first POST with a token claims it in the cache, the shared one in
production (Redis); the view runs; when it answers with a redirect (the row was made), the token
remembers where to. A second POST with the same token makes nothing: it is sent where the first
went, with a message. A refused submission (the form shown again with its errors) frees its
token, so the corrected form may be sent. static/js/site.js also disables the submit buttons
once a form is sent; this holds without JavaScript too.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

FIELD = "form_token"
TOKEN = re.compile(r"^[0-9a-f]{32}$")
PENDING = "pending"
KEEP_SECONDS = 24 * 3600
WAIT_SECONDS = 20  # a second click waits this long at most for the first to finish
ALREADY_SENT = _("This form was already sent: it was recorded once.")


def new_token() -> str:
    return uuid.uuid4().hex


def _key(request: HttpRequest, token: str) -> str:
    return f"form-once:{request.user.pk}:{token}"


def _earlier(request: HttpRequest, key: str) -> HttpResponseBase:
    """Where the first submission went, once it has finished."""
    deadline = time.monotonic() + WAIT_SECONDS
    target = cache.get(key)
    while target == PENDING and time.monotonic() < deadline:
        time.sleep(0.2)
        target = cache.get(key)
    messages.info(request, ALREADY_SENT)
    if not target or target == PENDING:
        return HttpResponseRedirect(request.path)
    return HttpResponseRedirect(target)


def once(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Run a create view at most once per form token (see the module's docstring)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        token = request.POST.get(FIELD, "") if request.method == "POST" else ""
        if not (TOKEN.match(token) and request.user.is_authenticated):
            return view(request, *args, **kwargs)
        key = _key(request, token)
        if not cache.add(key, PENDING, KEEP_SECONDS):
            return _earlier(request, key)
        try:
            response = view(request, *args, **kwargs)
        except BaseException:
            cache.delete(key)
            raise
        if isinstance(response, HttpResponseRedirect):
            cache.set(key, response["Location"], KEEP_SECONDS)
        else:
            cache.delete(key)
        return response

    return wrapper
