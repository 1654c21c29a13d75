"""Giving evaluations, grades with a key-item cap, a late rater, and an appeal amending a score.

The lot is bid and opened through the services and awarded (tests.contracts.builders): node 1
asks each bidder to rate the purchaser."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from accounts.todo import todo_items
from audit.models import Event
from common.errors import DeadlinePassed, PermissionDenied, RulesBroken
from credit.models import (
    AppealState,
    CreditEvaluation,
    CreditParameters,
    EvaluationState,
    GradeChange,
    PartyGrade,
    org_key,
)
from credit.selectors import current_grade
from credit.services import decide_appeal, file_appeal
from tests.contracts.builders import NOTICE, make_award
from timers.services import sweep

from .builders import full_marks, give

pytestmark = pytest.mark.django_db

DECIDED = NOTICE - dt.timedelta(hours=1)  # Thursday 2026-03-26, 09:00 Beijing
GIVEN = DECIDED + dt.timedelta(days=1)
# Five working days after Thursday 26 March: Thursday 2 April, 24:00 Beijing.
DUE = dt.datetime(2026, 4, 2, 16, 0, tzinfo=dt.UTC)


def org(user):
    return user.memberships.get().organisation


@pytest.fixture
def award(cast):
    return make_award(cast)


def task_of(user, purchaser):
    return CreditEvaluation.objects.get(
        rater_key=org_key(org(user).pk), rated_key=org_key(purchaser.pk)
    )


def test_a_deduction_needs_a_comment_and_the_rater_alone_gives_it(cast, award):
    purchaser = org(cast.purchaser)
    task = task_of(cast.supplier, purchaser)
    assert task.due == DUE
    with pytest.raises(RulesBroken) as refused:
        give(task, cast.supplier, at=GIVEN, P05=("3", ""))
    assert "P05" in str(refused.value)
    with pytest.raises(PermissionDenied):
        give(task, cast.supplier2, at=GIVEN)
    task.refresh_from_db()
    assert task.state == EvaluationState.OPEN


def test_a_key_item_lost_caps_the_grade(cast, award):
    purchaser = org(cast.purchaser)
    give(task_of(cast.supplier, purchaser), cast.supplier, at=GIVEN, P03=("6", "指定品牌"))
    grade = PartyGrade.objects.get(party_key=org_key(purchaser.pk))
    # The platform's 100 and this one's 84.6 (11 of 13): a mean in band A, kept at C by P03 ★.
    assert grade.score >= Decimal("90") and grade.capped
    assert grade.grade == "C" == current_grade(purchaser)
    change = GradeChange.objects.filter(party=grade).latest("at")
    assert change.grade == "C" and change.previous_grade == "A" and change.capped
    assert Event.objects.filter(action="credit.grade.changed").exists()
    assert Event.objects.get(action="credit.evaluation.submitted").data["deducted"] == ["P03"]
    # The bureau's bands and cap are its settings.
    params = CreditParameters.objects.create(key_item_cap="B")
    from credit.services import recompute_grade

    recompute_grade(key=grade.party_key, reason="test", at=GIVEN)
    assert current_grade(purchaser) == "B" and params.pk


def test_the_tasks_leave_the_to_do_when_given_and_a_late_rater_is_recorded(cast, award):
    purchaser = org(cast.purchaser)
    with time_machine.travel(GIVEN, tick=False):
        assert "credit.evaluation_to_give" in [i.kind for i in todo_items(cast.supplier)]
    give(task_of(cast.supplier, purchaser), cast.supplier, at=GIVEN)
    with time_machine.travel(GIVEN, tick=False):
        assert "credit.evaluation_to_give" not in [i.kind for i in todo_items(cast.supplier)]
    late = task_of(cast.supplier2, purchaser)
    with pytest.raises(DeadlinePassed):
        give(late, cast.supplier2, at=DUE)
    with time_machine.travel(DUE - dt.timedelta(minutes=1), tick=False):
        sweep()
    late.refresh_from_db()
    assert late.state == EvaluationState.OPEN
    with time_machine.travel(DUE + dt.timedelta(minutes=1), tick=False):
        sweep()
        sweep()
        assert "credit.evaluation_to_give" not in [i.kind for i in todo_items(cast.supplier2)]
    late.refresh_from_db()
    assert late.state == EvaluationState.LAPSED and late.lapsed_at == DUE
    assert Event.objects.filter(action="credit.evaluation.lapsed").count() == 2  # supplier2, third
    rater = PartyGrade.objects.get(party_key=org_key(org(cast.supplier2).pk))
    # No evaluation of it yet besides the platform's 100; 2 points off for the missed task.
    assert rater.missed == 1
    assert rater.score == min(Decimal("100"), rater.score)
    assert GradeChange.objects.filter(party=rater, reason__contains="not given in time").exists()


def test_an_appeal_amends_a_score_and_the_grade_follows(cast, award):
    purchaser = org(cast.purchaser)
    evaluation = give(
        task_of(cast.supplier, purchaser), cast.supplier, at=GIVEN, P03=("0", "要求特定品牌")
    )
    assert current_grade(purchaser) == "C"
    at = GIVEN + dt.timedelta(days=1)
    with time_machine.travel(at, tick=False):
        with pytest.raises(PermissionDenied):
            file_appeal(evaluation=evaluation, reasons="不实", acting_user=cast.supplier2)
        appeal = file_appeal(
            evaluation=evaluation,
            reasons="需求未指定品牌，见采购文件第三章",
            acting_user=cast.purchaser,
        )
        assert "credit.appeal_to_decide" in [i.kind for i in todo_items(cast.bureau)]
        with pytest.raises(PermissionDenied):
            decide_appeal(appeal=appeal, decision="x", acting_user=cast.purchaser)
        p03 = evaluation.items.get(indicator__code="P03")
        appeal = decide_appeal(
            appeal=appeal,
            decision="经核查采购文件，未指定品牌，恢复该项分值。",
            amendments={p03.indicator_id: full_marks(evaluation)[p03.indicator_id]},
            acting_user=cast.bureau,
        )
    assert appeal.state == AppealState.AMENDED
    assert appeal.changes == [{"code": "P03", "before": "0.00", "after": "8.00"}]
    evaluation.refresh_from_db()
    assert evaluation.score == Decimal("100.00") and appeal.score_before < evaluation.score
    assert current_grade(purchaser) == "A"
    grade = PartyGrade.objects.get(party_key=org_key(purchaser.pk))
    assert GradeChange.objects.filter(party=grade).latest("at").reason == (
        "an evaluation was amended on appeal"
    )
    assert Event.objects.filter(action="credit.appeal.amended").exists()
    assert Event.objects.filter(action="credit.appeal.filed").exists()


def test_an_appeal_comes_within_ten_working_days(cast, award):
    purchaser = org(cast.purchaser)
    evaluation = give(task_of(cast.supplier, purchaser), cast.supplier, at=GIVEN)
    with (
        time_machine.travel(GIVEN + dt.timedelta(days=30), tick=False),
        pytest.raises(DeadlinePassed),
    ):
        file_appeal(evaluation=evaluation, reasons="迟到的申诉", acting_user=cast.purchaser)
