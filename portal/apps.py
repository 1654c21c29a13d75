from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Public portal")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from accounts.models import Organisation
        from documents.access import register_file_access
        from procurement.models import Announcement, ProcurementIntention

        from .access import published_announcement_pdf
        from .caching import notice_changed

        register_file_access(published_announcement_pdf)

        # Fragments show notices and organisation names: either changing starts a new generation.
        for model in (Announcement, ProcurementIntention, Organisation):
            post_save.connect(notice_changed, sender=model, dispatch_uid=f"portal-{model.__name__}")
            post_delete.connect(
                notice_changed, sender=model, dispatch_uid=f"portal-{model.__name__}-del"
            )
