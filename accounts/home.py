"""A registry of sections on the signed-in home page.

Higher apps (notifications, procurement, bidding…) register a function that returns a section for
a role; accounts never imports them, so the layers hold (DESIGN.md, "Apps and layers").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass
class HomeSection:
    title: StrOrPromise
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


# Facts about an organisation that higher apps add to its card on the home page (suppliers adds
# the enterprise size): provider(organisation) -> [(label, value), …].
FactProvider = Callable[[Any], list[tuple[str, str]]]
_fact_providers: list[FactProvider] = []


def register_organisation_facts(provider: FactProvider) -> FactProvider:
    """Decorator: `provider(organisation)` returns (label, value) pairs for its card."""
    if provider not in _fact_providers:
        _fact_providers.append(provider)
    return provider


def organisation_facts(organisation: Any) -> list[tuple[str, str]]:
    return [fact for provider in _fact_providers for fact in provider(organisation)]


def organisation_section(request: HttpRequest, role: str | None) -> HomeSection | None:
    """Who the user acts for: organisation, code, kind, their role in it; experts' employer."""
    from .selectors import primary_membership

    user = request.user
    if not user.is_authenticated:
        return None
    membership = primary_membership(user)
    organisation = membership.organisation if membership else None
    return HomeSection(
        title=_("My organisation") if not user.is_expert else _("My employer"),
        template="accounts/home_organisation.html",
        context={
            "membership": membership,
            "organisation": organisation,
            "employer": user.employer if user.is_expert else None,
            "facts": organisation_facts(organisation) if organisation else [],
        },
        order=90,
    )
