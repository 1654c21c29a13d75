"""The procurement demo stage makes every stage of the story and is idempotent."""

from __future__ import annotations

import pytest
from django.utils import timezone

from audit.models import Event
from bidding.models import Opening
from demo.stages import DemoContext, s10_accounts, s50_procurement
from notifications.models import Notification
from procurement.models import (
    Announcement,
    Clarification,
    ImplementationPlan,
    Lot,
    LotState,
    MethodApproval,
    MethodApprovalStatus,
    MethodGround,
    PlanStatus,
    ProcurementIntention,
    ReviewConclusion,
    SingleSourceNotice,
)
from procurement.services.single_source import approval_blockers

pytestmark = pytest.mark.django_db


def counts() -> dict:
    return {
        "intentions": ProcurementIntention.objects.count(),
        "plans": ImplementationPlan.objects.count(),
        "lots": Lot.objects.count(),
        "announcements": Announcement.objects.count(),
        "questions": Clarification.objects.count(),
        "method approvals": MethodApproval.objects.count(),
        "openings": Opening.objects.count(),
    }


def test_the_stage_shows_every_stage_and_runs_twice_without_duplicates():
    ctx = DemoContext()
    s10_accounts.run(ctx)
    s50_procurement.run(ctx)
    first = counts()
    assert ProcurementIntention.objects.filter(status="draft").count() == 1
    assert ProcurementIntention.objects.published().count() == 11
    assert set(ImplementationPlan.objects.values_list("status", flat=True)) == {
        PlanStatus.FILED,
        PlanStatus.RETURNED,
        PlanStatus.SUBMITTED,
    }
    assert Lot.objects.filter(state=LotState.ANNOUNCED).count() == 2
    # The lot whose deadline passed went through the real close: no lot rests "closed"
    # without an opening; with no bid, the opening failed it (O87 Art 41).
    assert not Lot.objects.filter(state=LotState.CLOSED).exists()
    failed = Lot.objects.get(state=LotState.FAILED)
    assert failed.closed_at == failed.bid_deadline
    assert Opening.objects.get(lot=failed).failed_reason.startswith("截止时仅收到 0 份投标")
    assert Event.objects.filter(
        action="procurement.lot.closed", subject_object_id=str(failed.pk)
    ).exists()
    # A change of method rejected then approved (its plan filed), and three waiting: a
    # follow-on, and two single source notices (O74 Arts 38–40).
    assert sorted(MethodApproval.objects.values_list("status", flat=True)) == sorted(
        [MethodApprovalStatus.REJECTED, MethodApprovalStatus.APPROVED]
        + [MethodApprovalStatus.PENDING] * 3
    )
    approved = MethodApproval.objects.get(status=MethodApprovalStatus.APPROVED)
    assert approved.plan.status == PlanStatus.FILED and approved.documents.exists()
    waiting = MethodApproval.objects.get(ground=MethodGround.SINGLE_SOURCE_FOLLOW_ON)
    assert waiting.plan.status == PlanStatus.SUBMITTED and waiting.original_contract_amount
    # One notice still in its period (the approval waits), one ended and reviewed (it may go).
    now = timezone.now()
    running, ended = sorted(SingleSourceNotice.objects.all(), key=lambda n: n.is_open(now))[::-1]
    assert running.is_open(now) and running.objections.count() == 1
    assert not ended.is_open(now) and ended.review_conclusion == ReviewConclusion.NOT_UPHELD
    assert ended.objections.get().submitted_at < ended.period_end
    for notice, blocked in ((running, True), (ended, False)):
        request = notice.method_approvals.get(status=MethodApprovalStatus.PENDING)
        assert bool(approval_blockers(request, at=now)) is blocked
    assert set(Announcement.objects.values_list("kind", flat=True)) == {
        "tender",
        "correction",
        "clarification",
        "failure",
        "cancellation",
        "single_source",
    }
    assert Announcement.objects.filter(kind="single_source", pdf__isnull=True).count() == 0
    # The cancelled tender's notice gives the reason and was told to the taker and the bureau.
    cancelled = Announcement.objects.get(kind="cancellation")
    assert "预算调整" in cancelled.data["reason"]
    assert set(
        Notification.objects.filter(kind="procurement.procurement_cancelled").values_list(
            "recipient__username", flat=True
        )
    ) == {"supplier4", "bureau"}
    # The failed lot's failure notice (废标公告) gives the opening's reason (GPL Art 36).
    notice = Announcement.objects.get(kind="failure")
    assert list(notice.lots.all()) == [failed]
    assert notice.data["reason"] == Opening.objects.get(lot=failed).failed_reason
    assert Clarification.objects.filter(status="answered").count() == 1
    # The correction changes the contact as data, and the project (so later notices) follows.
    correction = Announcement.objects.get(kind="correction")
    assert correction.data["contact_change"]["after"]["name"] == "赵磊"
    assert correction.project.contact_name == "赵磊"
    s50_procurement.run(DemoContext(orgs=ctx.orgs, users=ctx.users))
    assert counts() == first
