"""Small pieces the views share."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.selectors import role_of
from common.errors import DomainError
from common.forms import FILE_NOT_KEPT


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


def upload_response(
    request: HttpRequest,
    form: BaseForm,
    store: Callable[[dict[str, Any]], object],
    *,
    success: str,
    page_url: str,
    partial: str,
    context: dict[str, Any],
    file_field: str = "file",
) -> HttpResponse:
    """Run `store(cleaned_data)` for an upload form posted from a detail page, and answer.

    Saved: a success message and back to the page (htmx follows HX-Redirect). Refused (a field,
    the file's type or size from documents' checks, or a DomainError): posted by htmx, the form
    alone comes back, `partial` rendered with `context` and the form as `document_form`, its
    errors beside its fields and the notice that the file must be chosen again
    (common.forms.FileNoticeMixin); posted without JavaScript, each error and that notice become
    messages on the page.
    """
    if form.is_valid():
        try:
            store(form.cleaned_data)
        except ValidationError as error:
            for text in error.messages:
                form.add_error(file_field, text)
        except DomainError as error:
            add_problems(form, error)
        else:
            messages.success(request, success)
            if request.headers.get("HX-Request"):
                return HttpResponse(headers={"HX-Redirect": page_url})
            return redirect(page_url)
    if request.headers.get("HX-Request"):
        return render(request, partial, {**context, "document_form": form})
    for text in error_texts(form):
        messages.error(request, text)
    if form.files:
        messages.error(request, str(FILE_NOT_KEPT))
    return redirect(page_url)
