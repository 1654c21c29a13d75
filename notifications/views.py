"""The inbox: list, read one, mark read, mark all read, download an attachment."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest

from .selectors import get_notification_for_user, inbox_of
from .services import mark_all_notifications_read, mark_notification_read

PAGE_SIZE = 20


def _back(request: HttpRequest) -> HttpResponse:
    """Back where the button was pressed (the inbox page it was on), never off-site."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = ""
    return redirect(target or "notifications:inbox")


@login_required
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    only_unread = request.GET.get("show") == "unread"
    notifications = inbox_of(request.user)
    if only_unread:
        notifications = notifications.unread()
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page, "only_unread": only_unread})


@login_required
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    notification = get_notification_for_user(user=request.user, pk=pk)
    mark_notification_read(notification=notification, acting_user=request.user)
    return render(request, "notifications/detail.html", {"notification": notification})


@login_required
@require_POST
def mark_read(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    notification = get_notification_for_user(user=request.user, pk=pk)
    mark_notification_read(notification=notification, acting_user=request.user)
    # htmx follows the redirect and picks the row and the header badge out of the page.
    return _back(request)


@login_required
@require_POST
def mark_all_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    count = mark_all_notifications_read(acting_user=request.user)
    if count:
        messages.success(request, _("%(count)s notifications marked as read.") % {"count": count})
    return _back(request)
