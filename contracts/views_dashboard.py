"""The purchaser's dashboard of due and overdue steps (issue 12 §7)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from .dashboard import may_see_dashboard, purchaser_dashboard


@login_required
def dashboard(request):
    if not may_see_dashboard(request.user):
        raise PermissionDenied
    board = purchaser_dashboard(request.user, now=timezone.now())
    return render(request, "contracts/dashboard.html", {"board": board})
