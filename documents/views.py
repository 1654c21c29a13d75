"""Serving stored files: one response builder for every app, and the generic download view."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.views.decorators.http import require_safe

from accounts.http import AuthenticatedHttpRequest

from .models import StoredFile
from .selectors import get_file_for_user


def file_response(stored_file: StoredFile, *, as_attachment: bool = True) -> FileResponse:
    """The file with its sniffed type, its name (RFC 5987 for Chinese), length and safe headers.

    Callers check permission first (their own access helper), then return this.
    """
    response = FileResponse(
        stored_file.file.open("rb"),
        as_attachment=as_attachment,
        filename=stored_file.download_name,
        content_type=stored_file.served_content_type,
    )
    response["Content-Length"] = str(stored_file.size)
    # The type was sniffed from the bytes; the browser must not guess another (and run it).
    response["X-Content-Type-Options"] = "nosniff"
    # Files may be confidential: no shared cache keeps a copy, the browser re-asks each time.
    response["Cache-Control"] = "private, no-cache"
    return response


@require_safe
@login_required
def download(request: AuthenticatedHttpRequest, file_id: uuid.UUID) -> FileResponse:
    stored_file = get_file_for_user(user=request.user, file_id=file_id)
    return file_response(stored_file)
