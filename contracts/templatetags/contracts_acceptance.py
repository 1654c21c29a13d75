"""The contract page's delivery and acceptance section, read once (selectors_acceptance)."""

from __future__ import annotations

from django import template

from ..selectors_acceptance import AcceptanceSection, acceptance_section

register = template.Library()


@register.simple_tag
def acceptance_section_for(contract, user) -> AcceptanceSection:
    return acceptance_section(contract, user)
