"""Small pieces the views share."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import Form

from accounts.selectors import role_of
from common.errors import DomainError


def role_required(*roles: str):
    """Signed in and acting for one of `roles`; any other signed-in user gets 403."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if role_of(request.user) not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def add_problems(form: Form, error: DomainError) -> None:
    """Show every broken rule of a refused action on the form."""
    for message in getattr(error, "messages", None) or [str(error)]:
        form.add_error(None, message)
