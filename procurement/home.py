"""Sections of the signed-in home page: what each role has to do in procurement."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.home import HomeSection

from .models import IntentionStatus, PlanStatus
from .selectors import (
    filed_plans_without_project,
    intentions_of,
    notices_to_review,
    open_tenders,
    plans_of,
    plans_waiting_for_filing,
    projects_of,
    questions_of_supplier,
)

LIMIT = 8


def _notices(user) -> list:
    """Single source notices with objections, each saying whether its review is due yet."""
    now = timezone.now()
    notices = list(notices_to_review(user)[:LIMIT])
    for notice in notices:
        notice.review_open = not notice.is_open(now)  # type: ignore[attr-defined]
    return notices


def purchaser_section(request, role):
    if role != "purchaser":
        return None
    user = request.user
    drafts = list(intentions_of(user).filter(status=IntentionStatus.DRAFT)[:LIMIT])
    plans = list(plans_of(user).filter(status__in=[PlanStatus.DRAFT, PlanStatus.RETURNED])[:LIMIT])
    to_prepare = list(filed_plans_without_project(user)[:LIMIT])
    notices = _notices(user)
    return HomeSection(
        title=_("Procurement: to do"),
        template="procurement/home/purchaser.html",
        context={"drafts": drafts, "plans": plans, "to_prepare": to_prepare, "notices": notices},
        order=20,
    )


def agency_section(request, role):
    if role != "agency":
        return None
    return HomeSection(
        title=_("Entrusted procurement projects"),
        template="procurement/home/projects.html",
        context={
            "projects": list(projects_of(request.user)[:LIMIT]),
            "to_prepare": list(filed_plans_without_project(request.user)[:LIMIT]),
            "notices": _notices(request.user),
        },
        order=20,
    )


def bureau_section(request, role):
    if role != "bureau":
        return None
    return HomeSection(
        title=_("Implementation plans waiting for filing"),
        template="procurement/home/bureau.html",
        context={"plans": list(plans_waiting_for_filing()[:LIMIT])},
        order=20,
    )


def supplier_section(request, role):
    if role != "supplier":
        return None
    return HomeSection(
        title=_("Open tenders"),
        template="procurement/home/supplier.html",
        context={
            "lots": list(open_tenders()[:LIMIT]),
            "questions": list(questions_of_supplier(request.user)[:4]),
        },
        order=20,
    )


PROVIDERS = [purchaser_section, agency_section, bureau_section, supplier_section]
