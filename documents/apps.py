from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from django.core import checks

        from .checks import check_pdf_fonts
        from .uses import MB, register_file_use

        checks.register(check_pdf_fonts)
        # A general-purpose rule for attachments (and the tests); apps register their own.
        register_file_use(
            "general",
            allowed={"pdf", "docx", "xlsx", "png", "jpeg"},
            max_bytes=20 * MB,
            label=_("General attachment"),
        )
        # PDFs the platform renders itself (notices, reminder letters) are stored through the
        # same checks as uploads.
        register_file_use(
            "documents.generated_pdf",
            allowed={"pdf"},
            max_bytes=50 * MB,
            label=_("Generated PDF"),
        )
