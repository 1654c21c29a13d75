"""Form pieces every app's forms share."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _

FILE_NOT_KEPT = _("The file you chose was not kept: choose the file again.")


class FileNoticeBoundField(BoundField):
    """A field that, for a file input shown again after a refused submission, says the file is
    gone.

    The browser empties a file input when the page comes back, and the server keeps nothing of
    a refused submission: without a word next to the field, the user would send the form again
    without the file. A bound form is only ever shown again when its submission was refused (a
    saved one redirects), so a file posted with a bound form that is shown is a file lost.
    The notice is added to the field's errors as shown, not to `form.errors`: nothing that
    counts or lists the form's errors sees it.
    """

    @property
    def file_not_kept(self) -> bool:
        if not (self.form.is_bound and isinstance(self.field, forms.FileField)):
            return False
        files: Any = self.form.files
        chosen = files.getlist(self.html_name) if hasattr(files, "getlist") else []
        return bool(chosen or files.get(self.html_name))

    @property
    def errors(self) -> ErrorList:
        errors = super().errors
        if not self.file_not_kept:
            return errors
        return self.form.error_class(
            [*errors, str(FILE_NOT_KEPT)],
            error_class="file-not-kept",
            renderer=self.form.renderer,
            field_id=getattr(errors, "field_id", None) or self.auto_id,
        )


class FileNoticeMixin:
    """For a form with a file input: the file field says when its file was not kept."""

    bound_field_class: type[BoundField] | None = FileNoticeBoundField
