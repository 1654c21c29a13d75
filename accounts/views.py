"""Sign-in landing and the signed-in home per role."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .home import home_sections
from .models import Role
from .selectors import organisation_of, role_of


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The signed-in home: what this role has to do, from every app that registered a section."""
    role = role_of(request.user)
    context = {
        "role": role,
        "role_label": Role(role).label if role else "",
        "organisation": organisation_of(request.user),
        "sections": home_sections(request, role),
    }
    return render(request, "accounts/home.html", context)
