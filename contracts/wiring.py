"""What the contracts app registers with the lower apps (DESIGN.md "Apps and layers")."""

from __future__ import annotations


def connect() -> None:
    from .parameters import register_parameters

    register_parameters()
