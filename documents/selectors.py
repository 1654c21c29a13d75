"""Reads about stored files, and the access helper every download goes through."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.http import Http404

from .access import can_download
from .models import StoredFile

if TYPE_CHECKING:
    from accounts.models import User


def get_file_for_user(*, user: User, file_id: uuid.UUID | str) -> StoredFile:
    """The stored file with public id `file_id` if `user` may download it; else Http404.

    404 rather than 403 so that nobody can learn which files exist.
    """
    stored_file = StoredFile.objects.select_related("uploaded_by").filter(uuid=file_id).first()
    if stored_file is None or not can_download(user, stored_file):
        raise Http404("No such file")
    return stored_file


def files_with_sha256(sha256: str):
    """Every stored file with this content (identical documents across bids are evidence)."""
    return StoredFile.objects.with_sha256(sha256).select_related("uploaded_by")
