from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinancingConfig(AppConfig):
    name = "financing"
    verbose_name = _("Contract financing")

    def ready(self) -> None:
        from . import wiring

        wiring.connect()
