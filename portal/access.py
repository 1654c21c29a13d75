"""Public files: the PDF of a published announcement is anyone's to download."""

from __future__ import annotations

from typing import TYPE_CHECKING

from procurement.models import Announcement

if TYPE_CHECKING:
    from accounts.models import User
    from documents.models import StoredFile


def published_announcement_pdf(user: User, stored_file: StoredFile) -> bool | None:
    """documents' checker: True for the PDF of a published announcement, else no opinion.

    Signed-in users reach it through documents' download view; the public (not signed in,
    whom documents never serves) through portal:announcement_pdf, which checks the same.
    """
    if Announcement.objects.published().filter(pdf=stored_file).exists():
        return True
    return None
