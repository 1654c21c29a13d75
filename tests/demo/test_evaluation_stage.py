"""The evaluation demo stage (issue 11 §8): a lot scoring with expert1's sheet still owed, and a
lot awarded with its result announcement, its award notice and no contract yet."""

from __future__ import annotations

import pytest

from accounts.todo import todo_items
from contracts.models import Contract
from demo.stages import (
    DemoContext,
    s10_accounts,
    s15_suppliers,
    s60_bidding,
    s65_experts,
    s70_evaluation,
)
from evaluation.models import Award, Evaluation, EvaluationState, ScoreSheet
from evaluation.services.report import RESULT_CLOCK
from experts.selectors import seated_members
from procurement.models import AnnouncementKind, AnnouncementStatus, LotState
from timers.models import Clock

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _seed() -> DemoContext:
    ctx = DemoContext()
    for stage in (s10_accounts, s15_suppliers, s60_bidding, s65_experts, s70_evaluation):
        stage.run(ctx)
    return ctx


def test_it_leaves_one_lot_scoring_with_expert1_owing_its_sheet(media):
    ctx = _seed()
    evaluation = Evaluation.objects.get(lot__project__name=s70_evaluation.SCORING_PROJECT)
    assert evaluation.state == EvaluationState.SCORING
    assert evaluation.lot.state == LotState.EVALUATING
    expert1 = ctx.users["expert1"]
    members = seated_members(evaluation.lot)
    names = sorted(m.user.get_username() for m in members)
    # expert5 works for a bidder and is excluded; expert6 took 通用设备 to make five.
    assert names == ["expert1", "expert2", "expert3", "expert4", "expert6"]
    sheets = {s.member.user: s for s in ScoreSheet.objects.filter(evaluation=evaluation)}
    assert sheets[expert1].submitted_at is None
    assert all(s.submitted_at for user, s in sheets.items() if user != expert1)
    items = todo_items(expert1)
    assert items, "expert1 has work to do"
    assert "evaluation.scoring_due" in [i.kind for i in items]


def test_it_awards_the_opened_lot_with_its_announcement_and_notice_and_no_contract(media):
    _seed()
    award = Award.objects.select_related("lot", "evaluation", "announcement").get(
        lot__project__name=s70_evaluation.AWARDED_PROJECT
    )
    assert award.lot.state == LotState.AWARDED
    assert award.evaluation.state == EvaluationState.DECIDED
    assert award.announcement.kind == AnnouncementKind.RESULT
    assert award.announcement.status == AnnouncementStatus.PUBLISHED
    assert award.notice_issued_at is not None and award.notice_pdf_id is not None
    assert award.evaluation.report_pdf_id is not None
    result = Clock.objects.for_subject(award.evaluation).get(kind=RESULT_CLOCK)
    assert result.met_at is not None and result.met_at <= result.due
    assert Clock.objects.for_subject(award).open().filter(kind="contracts.signing").exists()
    assert not Contract.objects.filter(award=award).exists()


def test_a_second_run_changes_nothing(media):
    ctx = _seed()
    counts = (Evaluation.objects.count(), Award.objects.count(), ScoreSheet.objects.count())
    s70_evaluation.run(DemoContext(orgs=ctx.orgs, users=ctx.users))
    assert (Evaluation.objects.count(), Award.objects.count(), ScoreSheet.objects.count()) == counts
