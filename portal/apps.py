from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Public portal")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save
        from django.urls import reverse

        from accounts.home import register_home_section
        from accounts.models import Organisation
        from common.links import register_link
        from documents.access import register_file_access
        from procurement.models import Announcement, ProcurementIntention

        from .access import published_announcement_pdf
        from .caching import notice_changed
        from .home import bank_section

        register_file_access(published_announcement_pdf)
        register_home_section(bank_section)
        # procurement links its notices and intentions to the public pages served here.
        register_link("public_announcement", lambda pk: reverse("portal:announcement", args=[pk]))
        register_link("public_intention", lambda pk: reverse("portal:intention", args=[pk]))

        # Fragments show notices and organisation names: either changing starts a new generation.
        for model in (Announcement, ProcurementIntention, Organisation):
            post_save.connect(notice_changed, sender=model, dispatch_uid=f"portal-{model.__name__}")
            post_delete.connect(
                notice_changed, sender=model, dispatch_uid=f"portal-{model.__name__}-del"
            )
