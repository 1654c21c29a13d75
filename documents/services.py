"""Storing files: every upload is measured, hashed and sniffed before anything is written."""

from __future__ import annotations

import hashlib
import logging
import unicodedata
from datetime import timedelta
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .kinds import CONTENT_TYPES, kind_label, kinds_text
from .models import STORAGE_ROOT as ROOT
from .models import StoredFile
from .sniffing import sniff
from .uses import MB, get_file_use

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

EMPTY = _("The file “%(name)s” is empty (0 bytes). Please choose the file again.")
TOO_LARGE = _(
    "The file “%(name)s” is %(size)s MB; %(use)s may be at most %(limit)s MB. "
    "Please reduce its size (for example, compress the scanned pages) and upload it again."
)
WRONG_TYPE = _(
    "The file “%(name)s” is actually a %(actual)s. %(use)s accepts only %(allowed)s. "
    "The type is read from the file's content, not from its name."
)
UNRECOGNISED = _(
    "The format of “%(name)s” cannot be recognised. %(use)s accepts only %(allowed)s. "
    "The type is read from the file's content, not from its name."
)
DAMAGED = _(
    "The file “%(name)s” cannot be accepted: %(problem)s. "
    "Please open it on your computer to check it, save it again and upload it again."
)


def store_file(*, upload: UploadedFile, use: str, acting_user: User | None) -> StoredFile:
    """Check `upload` against the rule of `use` and store it; raise ValidationError if refused.

    1. Refuse at once when the declared size is over the limit (nothing is read).
    2. Read in chunks: count the bytes (refusing as soon as the limit passes) and hash them.
    3. Refuse an empty file.
    4. Sniff the kind from the bytes; refuse a damaged file, then a kind the use does not allow.
    5. Write the file under a server-made path and the row; if the row fails, remove the file.
    Nothing is written before step 5, so a refused file leaves no row and no file behind.
    """
    rule = get_file_use(use)
    name = clean_file_name(upload.name or "")
    params = {"name": name, "use": rule.label, "limit": f"{rule.max_bytes / MB:g}"}

    if upload.size is not None and upload.size > rule.max_bytes:
        raise ValidationError(
            TOO_LARGE, code="too_large", params={**params, "size": _mb(upload.size)}
        )
    digest = hashlib.sha256()
    size = 0
    for chunk in upload.chunks():
        size += len(chunk)
        if size > rule.max_bytes:
            raise ValidationError(
                TOO_LARGE, code="too_large", params={**params, "size": _mb(upload.size or size)}
            )
        digest.update(chunk)
    if size == 0:
        raise ValidationError(EMPTY, code="empty", params=params)

    assert upload.file is not None  # chunks() above read from it
    sniffed = sniff(upload.file)
    if not sniffed.ok and sniffed.could_be & rule.allowed:
        raise ValidationError(
            DAMAGED, code=sniffed.problem_code, params={**params, "problem": sniffed.problem}
        )
    if sniffed.kind not in rule.allowed:
        message = UNRECOGNISED if sniffed.kind == "unknown" else WRONG_TYPE
        raise ValidationError(
            message,
            code="wrong_type",
            params={
                **params,
                "actual": kind_label(sniffed.kind),
                "allowed": kinds_text(rule.allowed),
            },
        )
    if not sniffed.ok:
        raise ValidationError(
            DAMAGED, code=sniffed.problem_code, params={**params, "problem": sniffed.problem}
        )

    stored = StoredFile(
        original_name=name,
        size=size,
        content_type=CONTENT_TYPES[sniffed.kind],
        kind=sniffed.kind,
        sha256=digest.hexdigest(),
        use=rule.name,
        uploaded_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    stored.file.save(name, upload, save=False)
    try:
        with transaction.atomic():
            stored.save()
    except BaseException:
        if stored.file.name:  # set by file.save() above
            stored.file.storage.delete(stored.file.name)
        raise
    # A rollback of the caller's transaction after this point leaves the file without a row;
    # `manage.py purge_orphan_files` removes such files.
    return stored


def store_bytes(
    *, content: bytes, name: str, use: str, acting_user: User | None = None
) -> StoredFile:
    """Store bytes the platform made (a rendered PDF, say) under the same rules as an upload."""
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return store_file(upload=upload, use=use, acting_user=acting_user)


def clean_file_name(name: str) -> str:
    """The last path component, without control characters, at most 255 characters."""
    base = PurePosixPath(name.replace("\\", "/")).name
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip().strip(".")
    if not base:
        return gettext("unnamed file")
    if len(base) > 255:
        suffix = PurePosixPath(base).suffix[:16]
        base = base[: 255 - len(suffix)] + suffix
    return base


def _mb(size: int) -> str:
    return f"{size / MB:.1f}"


def purge_orphan_files(*, older_than: timedelta = timedelta(hours=24), dry_run: bool = False):
    """Delete files under files/ that no StoredFile row names and that are older than
    `older_than` (left behind when a caller's transaction rolled back after store_file).

    Returns the storage names found (deleted unless `dry_run`).
    """
    storage = StoredFile._meta.get_field("file").storage
    cutoff = timezone.now() - older_than
    orphans: list[str] = []
    for directory in _walk(storage, ROOT):
        _, files = storage.listdir(directory)
        names = [f"{directory}/{name}" for name in files]
        known = set(StoredFile.objects.filter(file__in=names).values_list("file", flat=True))
        orphans.extend(
            name for name in names if name not in known and storage.get_modified_time(name) < cutoff
        )
    if not dry_run:
        for name in orphans:
            storage.delete(name)
            logger.info("Deleted orphan file %s", name)
    return orphans


def _walk(storage, directory: str):
    if not storage.exists(directory):
        return
    yield directory
    for sub in storage.listdir(directory)[0]:
        yield from _walk(storage, f"{directory}/{sub}")
