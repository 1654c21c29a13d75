from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Organisations and users")

    def ready(self) -> None:
        from . import (
            audit_labels,  # noqa: F401 - labels its audit actions
            checks,  # noqa: F401 - registers the system checks
        )
        from .home import organisation_section, register_home_section

        register_home_section(organisation_section)
