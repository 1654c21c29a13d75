"""The request a view behind @login_required (or the admin's login) receives, for type checking."""

from __future__ import annotations

from django.http import HttpRequest

from .models import User


class AuthenticatedHttpRequest(HttpRequest):
    """An HttpRequest whose user is signed in: annotate such views' `request` with it.

    Never instantiated: Django passes its own request; login_required (or the admin site's
    admin_view) has already turned anonymous visitors away, so `request.user` is a User.
    """

    user: User
