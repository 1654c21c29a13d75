"""Builders for procurement objects in a chosen state, for tests: the cast's users go through the
services (bench/builders.py does the work, the deadline-rush benchmark uses it too)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from accounts.models import Organisation, User
from bench import builders
from bench.builders import lot_values, pdf_bytes, pdf_upload
from procurement.models import ImplementationPlan, Lot, ProcurementIntention, Project

__all__ = [
    "lot_values",
    "make_announced_project",
    "make_intention",
    "make_lot",
    "make_plan",
    "make_project",
    "make_ready_project",
    "pdf_bytes",
    "pdf_upload",
]


def make_intention(
    cast,
    *,
    published_days_ago: int | None = 40,
    purchaser: Organisation | None = None,
    **fields: Any,
) -> ProcurementIntention:
    """Created and published `published_days_ago` days ago (None: a draft) by the purchaser."""
    user = builders.member_of(purchaser) if purchaser is not None else cast.purchaser
    published_at = (
        None
        if published_days_ago is None
        else timezone.now() - dt.timedelta(days=published_days_ago)
    )
    return builders.make_intention(purchaser=user, published_at=published_at, **fields)


_NOT_GIVEN: Any = object()


def make_plan(
    cast,
    *,
    intention: ProcurementIntention | None = _NOT_GIVEN,
    filed: bool = True,
    submitted: bool = False,
    agency: Organisation | None = None,
    **fields: Any,
) -> ImplementationPlan:
    """A plan with two lots, filed by the bureau; `filed=False`: a draft (`submitted=True`: sent).

    Without `intention`, one published 40 days ago is made, unless the plan is exempt.
    """
    if intention is _NOT_GIVEN:
        intention = None if fields.get("intention_exempt") else make_intention(cast)
    user = builders.member_of(intention.purchaser) if intention is not None else cast.purchaser
    return builders.make_plan(
        purchaser=user,
        bureau=cast.bureau,
        intention=intention,
        agency=agency,
        submitted=submitted,
        filed=filed,
        **fields,
    )


def make_project(cast, *, plan: ImplementationPlan | None = None, **plan_fields: Any) -> Project:
    """Prepared by the purchaser from a filed plan; its lots are drafts."""
    plan = plan or make_plan(cast, **plan_fields)
    user: User = builders.member_of(plan.purchaser)
    return builders.make_project(plan=plan, acting_user=user)


def make_lot(cast, **plan_fields: Any) -> Lot:
    lot = make_project(cast, **plan_fields).lots.order_by("number").first()
    assert lot is not None, "make_project gives the project the lots of its plan"
    return lot


def make_ready_project(
    cast, *, deadline: dt.datetime | None = None, user: User | None = None, **plan_fields: Any
) -> Project:
    """A project whose lots are set up and whose documents are uploaded: ready to announce."""
    user = user or cast.purchaser
    project = make_project(cast, **plan_fields)
    deadline = deadline or timezone.now() + dt.timedelta(days=30)
    builders.set_up_lots(project, deadline=deadline, acting_user=user)
    builders.add_documents(project, acting_user=user)
    return project


def make_announced_project(cast, **kwargs: Any) -> Project:
    """make_ready_project, then the tender announcement, now."""
    project = make_ready_project(cast, **kwargs)
    builders.announce(project, acting_user=kwargs.get("user") or cast.purchaser)
    return project
