from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        from accounts.home import register_home_section

        from . import home, rules  # noqa: F401  (rules registers the permission)

        register_home_section(home.bureau_dashboard_section)
