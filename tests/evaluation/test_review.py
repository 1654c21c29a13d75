"""The evaluation up to the scores (issue 11 §3): each step allowed for its role, refused for
the others and in the wrong state; declarations before bids; the credit check; the range of a
score and the privacy of a sheet; the low-price inquiry and its deadline."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from audit.models import Event
from bidding.models import Bid, BidState
from common.errors import DeadlinePassed, DomainError, InvalidTransition, PermissionDenied
from evaluation import selectors
from evaluation.models import (
    BidReview,
    Declaration,
    Evaluation,
    EvaluationState,
    InquiryDecision,
    InvalidGround,
    PriceInquiry,
    Score,
)
from evaluation.services import (
    QualificationValues,
    answer_price_explanation,
    ask_price_explanation,
    decide_price_explanation,
    fail_evaluation,
    finish_compliance,
    finish_qualification,
    low_price_flags,
    record_compliance,
    record_qualification,
    save_scores,
    sign_declaration,
    start_evaluation,
    submit_sheet,
)
from experts.models import MemberState
from notifications.models import Notification
from procurement.models import EvaluationCriterion, LotState
from tests.bidding.helpers import pdf_file
from timers.models import Clock
from timers.services import sweep

from .builders import DEADLINE, add_replacement, opened_lot, seated_committee

pytestmark = pytest.mark.django_db

CHECKED = DEADLINE + dt.timedelta(hours=1)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def opened(cast):
    return opened_lot(cast)


@pytest.fixture
def lot(opened):
    return opened[0]


@pytest.fixture
def bids(opened):
    return opened[1]


@pytest.fixture
def seats(cast, lot):
    return seated_committee(cast, lot)


@pytest.fixture
def evaluation(cast, lot, seats):
    return start_evaluation(lot=lot, acting_user=cast.agency)


def ok(qualified=True, listed=False, reason=""):
    return QualificationValues(
        qualified=qualified, reason=reason, credit_checked_at=CHECKED, credit_listed=listed
    )


def declare_all(evaluation, seats):
    for member in seats.members:
        sign_declaration(evaluation=evaluation, no_conflict=True, acting_user=member.user)


def qualify_all(evaluation, user):
    for review in evaluation.reviews.all():
        record_qualification(review=review, values=ok(), acting_user=user)
    return finish_qualification(evaluation=evaluation, acting_user=user)


@pytest.fixture
def in_compliance(cast, evaluation, seats):
    declare_all(evaluation, seats)
    return qualify_all(evaluation, cast.purchaser)


def comply_all(evaluation, leader):
    for review in evaluation.reviews.filter(qualified=True, compliant__isnull=True):
        record_compliance(review=review, compliant=True, acting_user=leader)
    return finish_compliance(evaluation=evaluation, acting_user=leader)


@pytest.fixture
def in_scoring(in_compliance, seats):
    return comply_all(in_compliance, seats.leader.user)


def refused(exc, func, **kwargs):
    with pytest.raises(exc):
        func(**kwargs)


# Start ---------------------------------------------------------------------------------------


def test_it_starts_the_evaluation_of_an_opened_lot_with_a_review_per_bid(cast, lot, bids, seats):
    assert lot.state == LotState.OPENED
    evaluation = start_evaluation(lot=lot, acting_user=cast.agency)
    lot.refresh_from_db()
    assert lot.state == LotState.EVALUATING
    assert evaluation.state == EvaluationState.QUALIFICATION
    assert {r.bid_id for r in evaluation.reviews.all()} == {b.pk for b in bids}
    event = Event.objects.get(action="evaluation.evaluation.started")
    assert event.actor == cast.agency and event.data["bids"] == 3
    told = Notification.objects.filter(kind="evaluation.started")
    assert sorted(n.recipient_id for n in told) == sorted(u.pk for u in seats.users)
    assert lot.history.first().history_user == cast.agency


def test_only_the_agency_running_the_procurement_starts_it(cast, lot, seats):
    for user in (cast.purchaser, cast.purchaser2, cast.supplier, cast.expert, cast.bureau):
        refused(PermissionDenied, start_evaluation, lot=lot, acting_user=user)
    assert not Evaluation.objects.exists()


def test_the_purchaser_procuring_by_itself_starts_it(cast):
    lot, _bids = opened_lot(cast, agency=False)
    seated_committee(cast, lot)
    refused(PermissionDenied, start_evaluation, lot=lot, acting_user=cast.agency)
    assert start_evaluation(lot=lot, acting_user=cast.purchaser).state == "qualification"


def test_it_refuses_to_start_without_a_complete_committee(cast, lot):
    refused(DomainError, start_evaluation, lot=lot, acting_user=cast.agency)
    seated_committee(cast, lot, accepted=4)
    with pytest.raises(DomainError, match="1"):
        start_evaluation(lot=lot, acting_user=cast.agency)


def test_it_refuses_to_start_twice(cast, evaluation, lot):
    refused(InvalidTransition, start_evaluation, lot=lot, acting_user=cast.agency)


# Declarations ---------------------------------------------------------------------------------


def test_a_member_declares_with_the_bidders_names_in_the_statement(cast, evaluation, seats):
    declaration = sign_declaration(evaluation=evaluation, no_conflict=True, acting_user=cast.expert)
    assert "郑州甲科技有限公司" in declaration.statement
    assert "郑州乙商贸有限公司" in declaration.statement
    assert "100000" not in declaration.statement  # names only, nothing of the bids
    assert Event.objects.filter(action="evaluation.declaration.signed").count() == 1
    seat_notice = Notification.objects.get(kind="evaluation.started", recipient=cast.expert)
    assert seat_notice.closed_at is not None
    refused(
        InvalidTransition,
        sign_declaration,
        evaluation=evaluation,
        no_conflict=True,
        acting_user=cast.expert,
    )


def test_only_seated_members_declare(cast, evaluation, seats):
    for user in (cast.agency, cast.purchaser, cast.supplier, cast.bureau):
        refused(
            PermissionDenied,
            sign_declaration,
            evaluation=evaluation,
            no_conflict=True,
            acting_user=user,
        )


def test_a_member_declaring_a_conflict_is_recused_and_the_organisers_told(cast, evaluation, seats):
    member = seats.members[1]
    refused(
        DomainError,
        sign_declaration,
        evaluation=evaluation,
        no_conflict=False,
        acting_user=member.user,
    )
    sign_declaration(
        evaluation=evaluation,
        no_conflict=False,
        conflict_detail="两年前在郑州甲科技有限公司任职",
        acting_user=member.user,
    )
    member.refresh_from_db()
    assert member.state == MemberState.REMOVED and "郑州甲" in member.reason
    told = Notification.objects.filter(kind="evaluation.member_recused")
    assert {n.recipient for n in told} >= {cast.agency, cast.purchaser}
    assert Event.objects.filter(action="evaluation.member.recused").exists()


def test_no_bid_is_shown_to_a_member_before_its_declaration(cast, client, in_compliance, seats):
    member = seats.members[1]
    # the member has declared in the fixture: a replacement has not
    newcomer = add_replacement(seats)
    with pytest.raises(PermissionDenied):
        record_compliance(
            review=in_compliance.reviews.first(), compliant=True, acting_user=newcomer.user
        )
    assert selectors.has_declared(in_compliance, member)
    assert not selectors.has_declared(in_compliance, newcomer)


# Qualification --------------------------------------------------------------------------------


def test_the_purchaser_or_agency_records_the_qualification_review(cast, evaluation, bids):
    review = evaluation.reviews.get(bid=bids[0])
    record_qualification(review=review, values=ok(), acting_user=cast.purchaser)
    record_qualification(
        review=review, values=ok(False, reason="无营业执照"), acting_user=cast.agency
    )
    review.refresh_from_db()
    assert review.qualified is False and review.qualified_by == cast.agency
    assert review.credit_checked_at == CHECKED
    events = Event.objects.filter(action="evaluation.bid_review.qualification_recorded")
    assert events.count() == 2


def test_nobody_else_records_the_qualification_review(cast, evaluation, seats):
    review = evaluation.reviews.first()
    for user in (cast.expert, cast.supplier, cast.bureau, cast.purchaser2):
        refused(
            PermissionDenied, record_qualification, review=review, values=ok(), acting_user=user
        )


def test_a_failed_bidder_needs_a_reason_and_the_credit_check_its_time(cast, evaluation):
    review = evaluation.reviews.first()
    with pytest.raises(DomainError) as error:
        record_qualification(
            review=review,
            values=QualificationValues(
                qualified=False, reason="", credit_checked_at=None, credit_listed=False
            ),
            acting_user=cast.agency,
        )
    assert len(error.value.messages) == 2


def test_a_bidder_on_a_dishonesty_list_fails_and_cannot_be_qualified(cast, evaluation, bids):
    review = evaluation.reviews.get(bid=bids[2])
    refused(
        DomainError,
        record_qualification,
        review=review,
        values=ok(listed=True),
        acting_user=cast.agency,
    )
    record_qualification(review=review, values=ok(False, listed=True), acting_user=cast.agency)
    review.refresh_from_db()
    assert review.credit_listed and not review.qualified
    assert "E-5" in review.qualification_reason


def test_a_reserved_lot_qualifies_only_a_bidder_whose_letter_shows_an_sme(cast, evaluation, bids):
    # D46 Art 8: a lot reserved for SMEs; D46 Art 11: without the letter, no SME policy.
    lot = evaluation.lot
    lot.sme_reserved = True
    lot.save()
    without_letter = evaluation.reviews.get(bid=bids[0])
    Bid.objects.filter(pk=bids[0].pk).update(sme_items=[])  # opened with no SME letter
    with pytest.raises(DomainError) as error:
        record_qualification(review=without_letter, values=ok(), acting_user=cast.agency)
    assert any("第八条" in message for message in error.value.messages)
    record_qualification(
        review=without_letter, values=ok(False, reason="非中小企业"), acting_user=cast.agency
    )
    with_letter = evaluation.reviews.get(bid=bids[1])
    record_qualification(review=with_letter, values=ok(), acting_user=cast.agency)
    with_letter.refresh_from_db()
    assert with_letter.qualified is True
    lot.sme_reserved = False  # not reserved: the letter decides no admission
    lot.save()
    record_qualification(review=without_letter, values=ok(), acting_user=cast.agency)


def test_fewer_than_three_qualified_bidders_fail_the_evaluation(cast, evaluation, bids):
    for review in evaluation.reviews.all():
        listed = review.bid_id == bids[2].pk
        record_qualification(
            review=review, values=ok(not listed, listed=listed), acting_user=cast.agency
        )
    evaluation = finish_qualification(evaluation=evaluation, acting_user=cast.agency)
    assert evaluation.state == EvaluationState.FAILED
    assert "第四十四条" in evaluation.failed_reason
    evaluation.lot.refresh_from_db()
    assert evaluation.lot.state == LotState.FAILED
    assert Event.objects.filter(action="evaluation.evaluation.failed").exists()


def test_the_qualification_review_closes_only_when_every_bidder_is_reviewed(cast, evaluation):
    refused(DomainError, finish_qualification, evaluation=evaluation, acting_user=cast.agency)
    assert qualify_all(evaluation, cast.agency).state == EvaluationState.COMPLIANCE
    # the wrong state now
    refused(
        InvalidTransition,
        record_qualification,
        review=evaluation.reviews.first(),
        values=ok(),
        acting_user=cast.agency,
    )


def test_a_price_above_the_budget_is_found_invalid_by_the_platform(cast):
    lot, bids = opened_lot(cast, prices=("100000.00", "110000.00", "120000.00", "1600000.00"))
    seated_committee(cast, lot)
    evaluation = start_evaluation(lot=lot, acting_user=cast.agency)
    qualify_all(evaluation, cast.agency)
    review = BidReview.objects.get(bid=bids[3])
    assert review.compliant is False and review.invalid_ground == InvalidGround.ABOVE_PRICE
    assert "1,600,000.00" in review.compliance_reason


# Compliance -----------------------------------------------------------------------------------


def test_the_leader_records_compliance_and_the_others_may_not(cast, in_compliance, seats, bids):
    review = in_compliance.reviews.get(bid=bids[1])
    for user in (seats.members[1].user, seats.rep.user, cast.agency, cast.supplier):
        refused(
            PermissionDenied, record_compliance, review=review, compliant=True, acting_user=user
        )
    refused(
        DomainError,
        record_compliance,
        review=review,
        compliant=False,
        ground="",
        acting_user=seats.leader.user,
    )
    record_compliance(
        review=review,
        compliant=False,
        ground=InvalidGround.CONDITIONS,
        reason="附加了交货期条件",
        acting_user=seats.leader.user,
    )
    review.refresh_from_db()
    assert review.invalid_ground == InvalidGround.CONDITIONS
    assert review.history.first().history_user == seats.leader.user
    event = Event.objects.get(action="evaluation.bid_review.compliance_recorded")
    assert event.actor == seats.leader.user


def test_compliance_is_refused_in_the_qualification_state(cast, evaluation, seats):
    declare_all(evaluation, seats)
    refused(
        InvalidTransition,
        record_compliance,
        review=evaluation.reviews.first(),
        compliant=True,
        acting_user=seats.leader.user,
    )


def test_the_review_waits_for_a_recused_members_replacement(cast, evaluation, seats):
    for member in seats.members[:-1]:
        sign_declaration(evaluation=evaluation, no_conflict=True, acting_user=member.user)
    sign_declaration(
        evaluation=evaluation, no_conflict=False, conflict_detail="亲属", acting_user=seats.rep.user
    )
    qualify_all(evaluation, cast.agency)
    leader = seats.leader.user
    with pytest.raises(DomainError) as error:
        comply_all(evaluation, leader)
    assert "short" in str(error.value) or "缺" in str(error.value)
    newcomer = add_replacement(seats)
    refused(DomainError, finish_compliance, evaluation=evaluation, acting_user=leader)
    sign_declaration(evaluation=evaluation, no_conflict=True, acting_user=newcomer.user)
    assert finish_compliance(evaluation=evaluation, acting_user=leader).state == "scoring"


def test_finishing_compliance_marks_the_bids_and_opens_the_sheets(cast, in_scoring, seats, bids):
    assert in_scoring.state == EvaluationState.SCORING
    assert {b.state for b in in_scoring.lot.bids.all()} == {BidState.VALID}
    assert Notification.objects.filter(kind="evaluation.scoring_due").count() == 5
    assert list(selectors.compliant_bids(in_scoring)) == bids


def test_fewer_than_three_compliant_bids_fail_the_evaluation(cast, in_compliance, seats, bids):
    record_compliance(
        review=in_compliance.reviews.get(bid=bids[0]),
        compliant=False,
        ground=InvalidGround.NO_SIGNATURE,
        reason="未盖章",
        acting_user=seats.leader.user,
    )
    evaluation = comply_all(in_compliance, seats.leader.user)
    assert evaluation.state == EvaluationState.FAILED
    assert "第三十六条" in evaluation.failed_reason


# Abnormally low price -------------------------------------------------------------------------


@pytest.fixture
def cheap(cast):
    """A lot where one price is far below the others (60 000 against a mean of 110 000)."""
    lot, bids = opened_lot(cast, prices=("60000.00", "100000.00", "110000.00", "120000.00"))
    new_seats = seated_committee(cast, lot)
    evaluation = start_evaluation(lot=lot, acting_user=cast.agency)
    declare_all(evaluation, new_seats)
    qualify_all(evaluation, cast.agency)
    return evaluation, bids, new_seats


def test_a_price_far_below_the_others_is_flagged(cheap):
    evaluation, bids, _seats = cheap
    flags = low_price_flags(evaluation)
    assert set(flags) == {bids[0].pk}
    assert flags[bids[0].pk].others_mean == Decimal("110000.00")
    assert low_price_flags(evaluation, threshold=Decimal("0.5")) == {}


def ask(evaluation, bid, leader, due):
    return ask_price_explanation(
        review=evaluation.reviews.get(bid=bid),
        question="请说明报价明显偏低的原因并提供成本证明",
        due=due,
        acting_user=leader,
    )


def test_the_bidder_answers_in_time_and_the_committee_accepts(cast, cheap):
    evaluation, bids, seats = cheap
    due = timezone.now() + dt.timedelta(hours=2)
    for user in (seats.members[1].user, cast.agency, cast.supplier):
        with pytest.raises(PermissionDenied):
            ask(evaluation, bids[0], user, due)
    inquiry = ask(evaluation, bids[0], seats.leader.user, due)
    clock = Clock.objects.get(kind="evaluation.price_explanation")
    assert clock.due == due and clock.responsible == bids[0].supplier
    assert Notification.objects.filter(
        kind="evaluation.price_explanation_asked", recipient=cast.supplier
    ).exists()
    # the leader cannot decide before the answer or the due time, nor the review close
    refused(
        InvalidTransition,
        decide_price_explanation,
        inquiry=inquiry,
        accepted=True,
        reason="x",
        acting_user=seats.leader.user,
    )
    refused(
        InvalidTransition,
        record_compliance,
        review=evaluation.reviews.get(bid=bids[0]),
        compliant=True,
        acting_user=seats.leader.user,
    )
    refused(
        PermissionDenied,
        answer_price_explanation,
        inquiry=inquiry,
        answer="成本低",
        files=[],
        acting_user=cast.supplier2,
    )
    answer_price_explanation(
        inquiry=inquiry,
        answer="自有工厂生产，成本较低",
        files=[pdf_file("成本说明.pdf")],
        acting_user=cast.supplier,
    )
    inquiry.refresh_from_db()
    assert inquiry.answer_files.count() == 1
    clock.refresh_from_db()
    assert clock.met_at is not None
    decide_price_explanation(
        inquiry=inquiry, accepted=True, reason="成本证明充分", acting_user=seats.leader.user
    )
    inquiry.refresh_from_db()
    assert inquiry.decision == InquiryDecision.ACCEPTED
    assert evaluation.reviews.get(bid=bids[0]).compliant is None  # still the committee's call


def test_a_rejected_explanation_makes_the_bid_invalid(cast, cheap):
    evaluation, bids, seats = cheap
    inquiry = ask(evaluation, bids[0], seats.leader.user, timezone.now() + dt.timedelta(hours=2))
    answer_price_explanation(inquiry=inquiry, answer="促销", files=[], acting_user=cast.supplier)
    refused(
        DomainError,
        decide_price_explanation,
        inquiry=inquiry,
        accepted=False,
        reason="",
        acting_user=seats.leader.user,
    )
    decide_price_explanation(
        inquiry=inquiry, accepted=False, reason="未提供成本证明", acting_user=seats.leader.user
    )
    review = evaluation.reviews.get(bid=bids[0])
    assert review.compliant is False and review.invalid_ground == InvalidGround.LOW_PRICE
    assert Notification.objects.filter(
        kind="evaluation.price_explanation_decided", recipient=cast.supplier
    ).exists()


def test_silence_by_the_due_time_is_no_justification(cast, cheap):
    evaluation, bids, seats = cheap
    due = timezone.now() + dt.timedelta(hours=2)
    inquiry = ask(evaluation, bids[0], seats.leader.user, due)
    with time_machine.travel(due - dt.timedelta(seconds=1), tick=False):
        sweep()
    inquiry.refresh_from_db()
    assert inquiry.decided_at is None
    with time_machine.travel(due, tick=False):
        refused(
            DeadlinePassed,
            answer_price_explanation,
            inquiry=inquiry,
            answer="迟到的说明",
            files=[],
            acting_user=cast.supplier,
        )
        sweep()
    inquiry.refresh_from_db()
    assert inquiry.decision == InquiryDecision.REJECTED and inquiry.decided_at == due
    review = evaluation.reviews.get(bid=bids[0])
    assert review.invalid_ground == InvalidGround.LOW_PRICE
    with time_machine.travel(due + dt.timedelta(minutes=1), tick=False):
        sweep()  # a second sweep changes nothing
    assert Event.objects.filter(action="evaluation.price_inquiry.decided").count() == 1


# Scoring --------------------------------------------------------------------------------------


def criteria(evaluation):
    return list(EvaluationCriterion.objects.filter(lot=evaluation.lot).order_by("position"))


def full_sheet(evaluation, points=("40", "15")):
    return {
        (bid.pk, c.pk): Decimal(p)
        for bid in selectors.compliant_bids(evaluation)
        for c, p in zip(criteria(evaluation), points, strict=True)
    }


def test_a_score_outside_the_criterions_range_is_refused(cast, in_scoring, seats, bids):
    tech, service = criteria(in_scoring)
    with pytest.raises(DomainError) as error:
        save_scores(
            evaluation=in_scoring,
            scores={
                (bids[0].pk, tech.pk): Decimal("50.01"),
                (bids[1].pk, service.pk): Decimal("-1"),
            },
            acting_user=cast.expert,
        )
    assert len(error.value.messages) == 2 and "50.00" in error.value.messages[0]
    assert not Score.objects.exists()
    save_scores(
        evaluation=in_scoring,
        scores={(bids[0].pk, tech.pk): Decimal("50"), (bids[1].pk, service.pk): Decimal("0")},
        acting_user=cast.expert,
    )
    assert Score.objects.count() == 2


def test_only_declared_seated_members_score_and_only_while_scoring(cast, in_scoring, seats):
    for user in (cast.agency, cast.purchaser, cast.supplier, cast.bureau):
        refused(PermissionDenied, save_scores, evaluation=in_scoring, scores={}, acting_user=user)


def test_scoring_is_refused_before_the_compliance_review_ends(cast, in_compliance):
    refused(
        InvalidTransition,
        save_scores,
        evaluation=in_compliance,
        scores={},
        acting_user=cast.expert,
    )


def test_a_sheet_is_submitted_whole_and_then_frozen(cast, in_scoring, seats):
    refused(DomainError, submit_sheet, evaluation=in_scoring, acting_user=cast.expert)
    save_scores(evaluation=in_scoring, scores=full_sheet(in_scoring), acting_user=cast.expert)
    sheet = submit_sheet(evaluation=in_scoring, acting_user=cast.expert)
    assert sheet.submitted_at is not None
    refused(
        InvalidTransition,
        save_scores,
        evaluation=in_scoring,
        scores=full_sheet(in_scoring),
        acting_user=cast.expert,
    )
    notice = Notification.objects.get(kind="evaluation.scoring_due", recipient=cast.expert)
    assert notice.closed_at is not None
    assert Event.objects.filter(action="evaluation.score_sheet.submitted").count() == 1


def test_a_member_sees_only_the_summary_and_only_after_submitting(cast, in_scoring, seats, bids):
    other = seats.members[1]
    save_scores(evaluation=in_scoring, scores=full_sheet(in_scoring), acting_user=cast.expert)
    submit_sheet(evaluation=in_scoring, acting_user=cast.expert)
    save_scores(
        evaluation=in_scoring, scores=full_sheet(in_scoring, ("30", "10")), acting_user=other.user
    )
    assert selectors.summary_for(in_scoring, other) is None  # not submitted: nothing
    submit_sheet(evaluation=in_scoring, acting_user=other.user)
    summary = selectors.summary_for(in_scoring, other)
    # the mean of the two submitted sums (55 and 40), per bid — no member's own scores
    assert summary == {b.pk: Decimal("47.50") for b in bids}


def test_quality_points_and_all_sheets_submitted(cast, in_scoring, seats, bids):
    assert not selectors.all_sheets_submitted(in_scoring)
    for i, member in enumerate(seats.members):
        points = ("40", "15") if i % 2 == 0 else ("35.5", "20")
        save_scores(
            evaluation=in_scoring, scores=full_sheet(in_scoring, points), acting_user=member.user
        )
        submit_sheet(evaluation=in_scoring, acting_user=member.user)
    assert selectors.all_sheets_submitted(in_scoring)
    # three sheets of 55, two of 55.5: mean 55.2
    assert selectors.quality_points(in_scoring) == {b.pk: Decimal("55.20") for b in bids}
    progress = selectors.sheet_progress(in_scoring)
    assert [p["number"] for p in progress] == [1, 2, 3, 4, 5]
    assert all(p["submitted_at"] for p in progress)


def test_a_lowest_price_lot_is_confirmed_without_criteria(cast):
    from procurement.models import EvaluationMethod

    lot, bids = opened_lot(cast)
    lot.criteria.all().delete()
    lot.evaluation_method = EvaluationMethod.LOWEST_PRICE
    lot.save()
    seats = seated_committee(cast, lot)
    evaluation = start_evaluation(lot=lot, acting_user=cast.agency)
    declare_all(evaluation, seats)
    qualify_all(evaluation, cast.agency)
    comply_all(evaluation, seats.leader.user)
    for member in seats.members:
        submit_sheet(evaluation=evaluation, acting_user=member.user)
    assert selectors.all_sheets_submitted(evaluation)
    assert selectors.quality_points(evaluation) == {b.pk: Decimal("0.00") for b in bids}


def test_fail_evaluation_refuses_an_ended_evaluation(cast, evaluation):
    fail_evaluation(evaluation, "测试", cast.agency)
    refused(InvalidTransition, fail_evaluation, evaluation=evaluation, reason="再次", by=None)


def test_declarations_are_kept_one_per_member(cast, evaluation, seats):
    declare_all(evaluation, seats)
    assert Declaration.objects.filter(evaluation=evaluation).count() == 5
    assert PriceInquiry.objects.count() == 0
