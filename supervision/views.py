"""The bureau's dashboard of clocks and its Excel export (issue 12 §7)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .exports import overview_workbook
from .filters import ClockFilter
from .selectors import build_overview, measured_clocks, overdue_list

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filtered(request: HttpRequest) -> ClockFilter:
    """The bureau's clocks under the request's filters; everyone else is refused."""
    if not request.user.has_perm("supervision.view_dashboard"):
        raise PermissionDenied
    return ClockFilter(request.GET or None, queryset=measured_clocks())


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    filterset = _filtered(request)
    overview = build_overview(filterset.qs, now=timezone.now(), user=request.user)
    return render(
        request,
        "supervision/dashboard.html",
        {
            "filterset": filterset,
            "overview": overview,
            "chart": overview.chart(),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def export(request: HttpRequest) -> HttpResponse:
    filterset = _filtered(request)
    now = timezone.now()
    clocks = filterset.qs
    overview = build_overview(clocks, now=now, user=request.user)
    # The file has the whole overdue list, not the page's first rows.
    everything = list(clocks.overdue(now).select_related("responsible").order_by("due", "pk"))
    content = overview_workbook(
        overview,
        overdue=overdue_list(everything, now=now, user=request.user),
        absolute=request.build_absolute_uri,
    )
    response = HttpResponse(content, content_type=XLSX)
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="clocks-{stamp}.xlsx"'
    return response
