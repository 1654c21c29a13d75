"""Small pieces the views share."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import BaseForm

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


def add_problems(form: BaseForm, error: DomainError) -> None:
    """Show every broken rule of a refused action on the form."""
    for message in getattr(error, "messages", None) or [str(error)]:
        form.add_error(None, message)


def error_texts(form: BaseForm) -> list[str]:
    """A bound form's errors as text, for messages on a page that redirects instead of showing it.

    Iterating an ErrorList gives each error's text (its __getitem__ renders a ValidationError);
    the stubs type the items as ValidationError | str, hence str().
    """
    return [str(text) for errors in form.errors.values() for text in errors]
