"""The financing notice (融资告知函): the bank tells the purchaser it finances the contract and
names the collection account the purchaser pays into (RULES.md §8.2 steps 3–5)."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from documents.pdf import render_pdf

from .models import Application


def render_notice_pdf(application: Application) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf(
            template_name="financing/pdf/notice.html",
            context={
                "application": application,
                "award": application.award,
                "contract": application.current_contract,
                "change": getattr(application, "account_change", None),
            },
        )
