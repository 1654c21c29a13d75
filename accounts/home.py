"""A registry of sections on the signed-in home page.

Higher apps (notifications, procurement, bidding…) register a function that returns a section for
a role; accounts never imports them, so the layers hold (DESIGN.md, "Apps and layers").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass
class HomeSection:
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


SectionProvider = Callable[[HttpRequest, str | None], HomeSection | None]
_providers: list[SectionProvider] = []


def register_home_section(provider: SectionProvider) -> SectionProvider:
    """Decorator: `provider(request, role)` returns a HomeSection or None for this role."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def home_sections(request: HttpRequest, role: str | None) -> list[HomeSection]:
    sections = [s for p in _providers if (s := p(request, role)) is not None]
    return sorted(sections, key=lambda s: s.order)
