from __future__ import annotations

from django.apps import AppConfig


class TimersConfig(AppConfig):
    name = "timers"
