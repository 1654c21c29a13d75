"""Stored files: what was uploaded, what it really is, and its SHA-256."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .kinds import CONTENT_TYPES, EXTENSIONS, FileKind, kind_label

STORAGE_ROOT = "files"


def storage_path(instance: StoredFile, filename: str) -> str:
    """files/<year>/<month>/<uuid>: made by the server; the user's file name never reaches disk."""
    now = timezone.localtime()
    return f"{STORAGE_ROOT}/{now:%Y}/{now:%m}/{instance.uuid}"


class StoredFileQuerySet(models.QuerySet["StoredFile"]):
    def with_sha256(self, sha256: str) -> StoredFileQuerySet:
        """Files with identical content (e.g. the same document in two suppliers' bids)."""
        return self.filter(sha256=sha256.lower())


class StoredFile(models.Model):
    """One uploaded or generated file. Immutable: a new version is a new row."""

    uuid = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    original_name = models.CharField(_("original name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=FileKind.choices, db_index=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    file = models.FileField(_("file"), upload_to=storage_path, max_length=255)
    use = models.CharField(
        _("use"),
        max_length=64,
        db_index=True,
        help_text=_("The upload rule (documents.uses) that accepted the file."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stored_files",
    )
    created = models.DateTimeField(_("created"), default=timezone.now, db_index=True)

    objects = StoredFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def download_name(self) -> str:
        """The original name, its extension corrected when it disagrees with what the file is.

        A Word file uploaded as "报价.pdf" downloads as "报价.docx", so the reader's computer opens
        it with the right program.
        """
        name = PurePosixPath(self.original_name.replace("\\", "/")).name or "file"
        extensions = EXTENSIONS.get(self.kind, (".bin",))
        suffix = PurePosixPath(name).suffix
        if suffix.lower() in extensions:
            return name
        return (name[: -len(suffix)] if suffix else name) + extensions[0]

    @property
    def served_content_type(self) -> str:
        return self.content_type or CONTENT_TYPES.get(self.kind, "application/octet-stream")
