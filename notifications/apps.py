from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from accounts.home import register_home_section
        from documents.access import register_file_access
        from documents.uses import MB, register_file_use

        from . import audit_labels  # noqa: F401 - labels its audit actions
        from .access import notification_attachment_access
        from .home import unread_section
        from .services import ATTACHMENT_USE, REMINDER_LETTER_USE

        register_home_section(unread_section)
        register_file_access(notification_attachment_access)
        register_file_use(
            ATTACHMENT_USE,
            allowed={"pdf", "docx", "xlsx", "png", "jpeg", "zip"},
            max_bytes=20 * MB,
            label=_("Notification attachment"),
        )
        register_file_use(
            REMINDER_LETTER_USE, allowed={"pdf"}, max_bytes=10 * MB, label=_("Reminder letter")
        )
