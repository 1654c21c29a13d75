"""The procurement demo stage makes every stage of the story and is idempotent."""

from __future__ import annotations

import pytest

from demo.stages import DemoContext, s10_accounts, s50_procurement
from procurement.models import (
    Announcement,
    Clarification,
    ImplementationPlan,
    Lot,
    LotState,
    PlanStatus,
    ProcurementIntention,
)

pytestmark = pytest.mark.django_db


def counts() -> dict:
    return {
        "intentions": ProcurementIntention.objects.count(),
        "plans": ImplementationPlan.objects.count(),
        "lots": Lot.objects.count(),
        "announcements": Announcement.objects.count(),
        "questions": Clarification.objects.count(),
    }


def test_the_stage_shows_every_stage_and_runs_twice_without_duplicates():
    ctx = DemoContext()
    s10_accounts.run(ctx)
    s50_procurement.run(ctx)
    first = counts()
    assert ProcurementIntention.objects.filter(status="draft").count() == 1
    assert ProcurementIntention.objects.published().count() == 6
    assert set(ImplementationPlan.objects.values_list("status", flat=True)) == {
        PlanStatus.FILED,
        PlanStatus.RETURNED,
        PlanStatus.SUBMITTED,
    }
    assert Lot.objects.filter(state=LotState.ANNOUNCED).count() == 2
    assert Lot.objects.filter(state=LotState.CLOSED).count() == 1
    assert set(Announcement.objects.values_list("kind", flat=True)) == {
        "tender",
        "correction",
        "clarification",
    }
    assert Clarification.objects.filter(status="answered").count() == 1
    s50_procurement.run(DemoContext(orgs=ctx.orgs, users=ctx.users))
    assert counts() == first
