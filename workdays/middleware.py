"""Shows the bureau the provisional-calendar warning on the admin index (issue 3 §1)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .notices import add_provisional_year_warnings


class ProvisionalCalendarWarningMiddleware:
    """On the admin index, for those who keep the calendar, warn about provisional years."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        match = request.resolver_match
        if match is None or match.view_name != "admin:index" or request.method != "GET":
            return None
        user = getattr(request, "user", None)
        # Those who keep the calendar (workdays/rules.py: the bureau), whoever lets them in.
        if user is not None and user.is_authenticated and user.has_module_perms("workdays"):
            add_provisional_year_warnings(request)
        return None
