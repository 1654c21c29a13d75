"""Sections of the signed-in home page: what each role has to do in procurement."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.home import HomeSection

from .models import IntentionStatus, LotState, PlanStatus
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
from .status import ORDER, project_step, with_status

LIMIT = 8
AGENCY_PROJECTS = 30  # the agency's home groups its latest projects by step


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


def _by_step(projects) -> list[tuple[str, list]]:
    """The projects grouped by the step each is at, the least advanced step first."""
    with_status([lot for project in projects for lot in project.lots.all()], now=timezone.now())
    groups: dict[str, list] = {}
    order: dict[str, int] = {}
    for project in projects:
        lots = list(project.lots.all())
        step = project_step(lots)
        label = step.label if step else _("No lots")
        groups.setdefault(label, []).append(project)
        rank = min((ORDER.index(LotState(lot.state)) for lot in lots), default=len(ORDER))
        order[label] = min(order.get(label, rank), rank)
    return sorted(groups.items(), key=lambda item: order[item[0]])


def agency_section(request, role):
    if role != "agency":
        return None
    return HomeSection(
        title=_("Entrusted procurement projects"),
        template="procurement/home/projects.html",
        context={
            "steps": _by_step(list(projects_of(request.user)[:AGENCY_PROJECTS])),
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
