"""The evaluation report: computed from the sheets, submitted by the leader, signed by each
member or dissented from (issue 11 §5; O87 Arts 55–57, 61, 68; D46 Art 9)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from audit.models import Event
from common.errors import InvalidTransition, PermissionDenied
from evaluation.models import EvaluationState, ReportSignature
from evaluation.scoring import break_ties
from evaluation.services import sign_report, submit_report
from evaluation.services.report import DECISION_CLOCK, RESULT_CLOCK, report_sha256
from timers.models import Clock

from .award_builders import scoring_evaluation

pytestmark = pytest.mark.django_db

# Friday 3 April 2026, 10:00 Beijing: Qingming (4–6 April) follows.
BEFORE_QINGMING = dt.datetime(2026, 4, 3, 2, 0, tzinfo=dt.UTC)


def submitted(scene, at=BEFORE_QINGMING):
    with time_machine.travel(at, tick=False):
        return submit_report(evaluation=scene.evaluation, acting_user=scene.leader.user)


def row(evaluation, bid):
    return next(r for r in evaluation.report["bids"] if r["bid"] == str(bid.uuid))


def test_it_ranks_a_small_firm_above_a_cheaper_medium_one(cast):
    scene = scoring_evaluation(cast)
    evaluation = submitted(scene)
    assert evaluation.state == EvaluationState.REPORTED
    small, medium = row(evaluation, scene.bids["small"]), row(evaluation, scene.bids["medium"])
    # 105,000 less the 10 % small-and-micro deduction is 94,500: the benchmark (D46 Art 9).
    assert small["small_micro"] and not medium["small_micro"]
    assert small["evaluated_price"] == "94500.00" and medium["evaluated_price"] == "100000.00"
    assert small["price_points"] == "30.00" and medium["price_points"] == "28.35"
    assert small["quality_points"] == "55.00"
    assert small["total"] == "85.00" and medium["total"] == "83.35"
    assert (small["rank"], medium["rank"]) == (1, 2)
    assert evaluation.report["ranking"][0] == str(scene.bids["small"].uuid)
    # The contract price stays the quoted price.
    assert small["price"] == "105000.00"


def test_it_gives_no_deduction_on_a_lot_reserved_for_smes(cast):
    from procurement.models import ProcurementKind
    from procurement.services.plans import PlanLotValues

    scene = scoring_evaluation(
        cast,
        sme_mode="whole",
        sme_share=None,
        sme_reasons="",
        lots=[
            PlanLotValues(
                name="教学一体机",
                kind=ProcurementKind.GOODS,
                budget=Decimal("1500000.00"),
                sme_reserved=True,
            )
        ],
    )
    evaluation = submitted(scene)
    small = row(evaluation, scene.bids["small"])
    assert small["evaluated_price"] == "105000.00"
    assert row(evaluation, scene.bids["medium"])["rank"] == 1


def test_it_records_the_scores_of_each_member_and_criterion(cast):
    scene = scoring_evaluation(cast)
    evaluation = submitted(scene)
    criteria = [c["name"] for c in evaluation.report["criteria"]]
    assert criteria == ["技术方案", "售后服务"]
    scores = row(evaluation, scene.bids["third"])["scores"]
    assert set(scores) == {str(m.pk) for m in scene.members}
    assert sorted(scores[str(scene.leader.pk)].values()) == ["15.00", "35.00"]
    names = [m["name"] for m in evaluation.report["committee"]]
    assert names[0] == "专家陈教授"  # the leader first
    assert [m["self_selected"] for m in evaluation.report["committee"]].count(True) == 1


def test_it_gives_the_reasons_of_bids_out_of_the_ranking(cast):
    from bidding.models import BiddingParameters

    # Two qualified bids go on only where the bureau set the minimum to two.
    BiddingParameters.objects.create(min_bids_public_tender=2)
    scene = scoring_evaluation(cast, unqualified={"third": "营业执照已过期"})
    evaluation = submitted(scene)
    third = row(evaluation, scene.bids["third"])
    assert third["rank"] is None and third["total"] is None
    assert "营业执照已过期" in third["reasons"][0]


def test_it_breaks_a_full_tie_by_a_recorded_draw(cast):
    # Equal totals and equal prices: still tied after O87 Art 57.
    scene = scoring_evaluation(
        cast,
        prices={"small": "110000.00", "medium": "99000.00", "third": "99000.00"},
        quality={"small": ["30", "10"], "medium": ["40", "15"], "third": ["40", "15"]},
    )
    evaluation = submitted(scene)
    draw = evaluation.tie_draw
    tied = sorted([str(scene.bids["medium"].uuid), str(scene.bids["third"].uuid)])
    assert draw["bids"] == [tied] and draw["seed"]
    ranks = sorted(row(evaluation, scene.bids[n])["rank"] for n in ("medium", "third"))
    assert ranks == [1, 2]
    # Anyone holding the record replays the draw and gets the same order.
    from evaluation.scoring import Ranked

    replay = break_ties(
        [Ranked(k, True, Decimal("1"), None, None, 1) for k in tied], seed=draw["seed"]
    )
    first = next(r.key for r in replay if r.rank == 1)
    assert evaluation.report["ranking"][0] == first


def test_it_starts_the_result_clock_due_after_the_holiday(cast):
    scene = scoring_evaluation(cast)
    evaluation = submitted(scene)
    result = Clock.objects.for_subject(evaluation).get(kind=RESULT_CLOCK)
    # Submitted on Friday 3 April; 4–6 April are Qingming: due at the end of Tuesday 7 April.
    assert result.due == dt.datetime(2026, 4, 7, 16, 0, tzinfo=dt.UTC)
    assert result.responsible == scene.lot.project.purchaser
    legal = Clock.objects.for_subject(evaluation).get(kind=DECISION_CLOCK)
    # Five working days: 7, 8, 9, 10 and 13 April.
    assert legal.due == dt.datetime(2026, 4, 13, 16, 0, tzinfo=dt.UTC)


def test_it_tells_the_purchaser_and_the_members(cast):
    from notifications.models import Notification

    scene = scoring_evaluation(cast)
    evaluation = submitted(scene)
    told = Notification.objects.filter(kind="evaluation.report_submitted")
    # O87 Art 68: the report goes to the purchaser (every member of its organisation).
    assert set(told.values_list("recipient__username", flat=True)) == {
        "purchaser",
        "purchaser_rep",
    }
    to_sign = Notification.objects.filter(
        kind="evaluation.report_to_sign", subject_id=evaluation.pk
    )
    assert to_sign.count() == 5
    event = Event.objects.get(action="evaluation.report.submitted")
    assert event.data["sha256"] == report_sha256(evaluation.report)


def test_only_the_leader_submits(cast):
    scene = scoring_evaluation(cast)
    for user in [scene.members[1].user, cast.purchaser, cast.bureau, cast.supplier, cast.outsider]:
        with time_machine.travel(BEFORE_QINGMING, tick=False), pytest.raises(PermissionDenied):
            submit_report(evaluation=scene.evaluation, acting_user=user)


def test_it_refuses_the_report_while_a_sheet_is_missing(cast):
    scene = scoring_evaluation(cast, submitted=False)
    with pytest.raises(InvalidTransition) as refused:
        submitted(scene)
    assert refused.value.code == "sheets_missing"


def test_it_refuses_a_second_report(cast):
    scene = scoring_evaluation(cast)
    submitted(scene)
    with pytest.raises(InvalidTransition):
        submitted(scene)


def test_too_few_valid_bids_fail_the_lot_with_its_notice(cast):
    from notifications.models import Notification
    from procurement.models import Announcement, AnnouncementKind, LotState

    # Two compliant bids of the three: the compliance review fails the lot (GPL Art 36), and
    # no report is made.
    scene = scoring_evaluation(cast, invalid={"third": "技术参数不满足★号条款"})
    evaluation = scene.evaluation
    assert evaluation.state == EvaluationState.FAILED
    with pytest.raises(InvalidTransition):
        submitted(scene)
    scene.lot.refresh_from_db()
    assert scene.lot.state == LotState.FAILED
    notice = Announcement.objects.get(kind=AnnouncementKind.FAILURE, lot=scene.lot)
    assert notice.data["reason"] == evaluation.failed_reason
    assert notice.data["basis"] == "《中华人民共和国政府采购法》第三十六条"
    assert "2" in evaluation.failed_reason and "3" in evaluation.failed_reason
    told = set(
        Notification.objects.filter(kind="evaluation.lot_failed").values_list(
            "recipient__username", flat=True
        )
    )
    assert {"purchaser", "supplier", "supplier2", "supplier3"} <= told
    assert not Clock.objects.for_subject(evaluation).exists()


def test_a_report_with_fewer_valid_bids_than_the_method_now_needs_fails_the_lot(cast):
    from bidding.models import BiddingParameters
    from procurement.models import Announcement, AnnouncementKind, LotState

    # Three valid bids at the compliance review; the bureau raises the minimum to four before
    # the report: the report counts again and the lot fails with its notice.
    scene = scoring_evaluation(cast)
    BiddingParameters.objects.create(min_bids_public_tender=4)
    evaluation = submitted(scene)
    assert evaluation.state == EvaluationState.FAILED
    scene.lot.refresh_from_db()
    assert scene.lot.state == LotState.FAILED
    notice = Announcement.objects.get(kind=AnnouncementKind.FAILURE, lot=scene.lot)
    assert notice.data["reason"] == evaluation.failed_reason
    assert "3" in evaluation.failed_reason and "4" in evaluation.failed_reason
    assert not Clock.objects.for_subject(evaluation).exists()


# Signatures -----------------------------------------------------------------------------------


def test_each_member_signs_the_report_it_read(cast):
    scene = scoring_evaluation(cast)
    evaluation = submitted(scene)
    signature = sign_report(evaluation=evaluation, acting_user=scene.members[1].user)
    assert signature.report_sha256 == report_sha256(evaluation.report)
    assert signature.dissent == ""
    assert Event.objects.filter(action="evaluation.report.signed").count() == 1


def test_a_member_records_its_dissent_with_reasons(cast):
    scene = scoring_evaluation(cast)
    evaluation = submitted(scene)
    sign_report(evaluation=evaluation, acting_user=scene.rep.user, dissent="售后服务评分偏高")
    signature = ReportSignature.objects.get(member=scene.rep)
    assert signature.dissent == "售后服务评分偏高"
    assert Event.objects.get(action="evaluation.report.dissented").data["dissent"]


def test_a_member_signs_once(cast):
    scene = scoring_evaluation(cast)
    evaluation = submitted(scene)
    sign_report(evaluation=evaluation, acting_user=scene.leader.user)
    with pytest.raises(InvalidTransition):
        sign_report(evaluation=evaluation, acting_user=scene.leader.user)


def test_nobody_outside_the_committee_signs(cast):
    scene = scoring_evaluation(cast)
    evaluation = submitted(scene)
    for user in [cast.purchaser, cast.bureau, cast.supplier, cast.outsider]:
        with pytest.raises(PermissionDenied):
            sign_report(evaluation=evaluation, acting_user=user)


def test_nobody_signs_before_the_report(cast):
    scene = scoring_evaluation(cast)
    with pytest.raises(InvalidTransition):
        sign_report(evaluation=scene.evaluation, acting_user=scene.leader.user)


def test_the_last_signature_closes_the_requests_to_sign(cast):
    from notifications.models import Notification

    scene = scoring_evaluation(cast)
    evaluation = submitted(scene)
    for member in scene.members:
        sign_report(evaluation=evaluation, acting_user=member.user)
    assert not Notification.objects.filter(
        kind="evaluation.report_to_sign", closed_at__isnull=True
    ).exists()
