from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = "policy"
    verbose_name = _("SME policy statistics and the 832 reserve")

    def ready(self) -> None:
        from . import wiring

        wiring.connect()
