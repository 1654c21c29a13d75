"""Small pieces the views share."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import HttpRequest

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


def store_upload(
    request: HttpRequest, form: BaseForm, store: Callable[[dict[str, Any]], object], success: str
) -> None:
    """Run `store(cleaned_data)` for a valid upload form; every outcome becomes a message.

    For upload forms posted from a detail page that redirects back to itself: a refused file
    (documents' checks raise ValidationError) or a refused action (DomainError) is said there.
    """
    if not form.is_valid():
        for text in error_texts(form):
            messages.error(request, text)
        return
    try:
        store(form.cleaned_data)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
