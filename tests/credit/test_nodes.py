"""Evaluations open by themselves at the two nodes, for exactly the K-7 pairs."""

from __future__ import annotations

from collections import Counter

import pytest

from accounts.todo import todo_items
from audit.models import Event
from credit.models import CreditEvaluation, EvaluationState, RaterKind, expert_key, org_key
from credit.services import TASK_CLOCK
from notifications.models import Notification
from tests.contracts.acceptance_builders import accept, deliver, signed_contract
from timers.models import Clock

from .builders import CONFIRMED_AT, N1, N2, TASK_DUE, awarded_scene, tasks

pytestmark = pytest.mark.django_db


def org(user):
    return user.memberships.get().organisation


def pairs(node):
    return Counter((e.rater_kind, e.rated_kind) for e in tasks(node=node))


def test_it_opens_a_task_for_every_k7_pair_after_the_evaluation(cast):
    scene = awarded_scene(cast)
    experts = [m.user for m in scene.members if m.kind == "expert"]
    assert len(experts) == 4
    # K-7: the purchaser by the agency, the experts and the suppliers; the agency by the
    # purchaser and the experts; each expert by the purchaser and the agency. The supplier is
    # rated by the purchaser after acceptance; nobody rates itself.
    assert pairs(N1) == Counter(
        {
            ("agency", "purchaser"): 1,
            ("expert", "purchaser"): 4,
            ("supplier", "purchaser"): 3,
            ("purchaser", "agency"): 1,
            ("expert", "agency"): 4,
            ("purchaser", "expert"): 4,
            ("agency", "expert"): 4,
        }
    )
    purchaser = org(cast.purchaser)
    expert_rates = tasks(node=N1, rater_key=expert_key(cast.expert.pk))
    assert {e.rated_key for e in expert_rates} == {
        org_key(purchaser.pk),
        org_key(org(cast.agency).pk),
    }
    # The purchaser's representative on the committee is the purchaser, not an expert.
    assert not tasks(rater_key=expert_key(scene.rep.user.pk)).exists()
    for task in tasks(node=N1):
        assert task.state == EvaluationState.OPEN and task.due == TASK_DUE
        clock = Clock.objects.for_subject(task).get(kind=TASK_CLOCK)
        assert clock.due == TASK_DUE and clock.started == CONFIRMED_AT
        assert clock.responsible_id == task.rater_organisation_id  # None for an expert
    # The platform scores every party of the node from the record at once.
    platform = CreditEvaluation.objects.filter(node=N1, rater_kind=RaterKind.PLATFORM)
    assert Counter(platform.values_list("rated_kind", flat=True)) == Counter(
        {"purchaser": 1, "agency": 1, "expert": 4, "supplier": 3}
    )
    assert set(platform.values_list("state", flat=True)) == {EvaluationState.SUBMITTED}
    assert Event.objects.filter(action="credit.evaluation.assigned").count() == 21


def test_the_expert_is_told_and_finds_the_task_on_its_to_do(cast):
    awarded_scene(cast)
    items = [i for i in todo_items(cast.expert) if i.kind == "credit.evaluation_to_give"]
    assert len(items) == 2 and {i.due for i in items} == {TASK_DUE}
    assert (
        Notification.objects.filter(recipient=cast.expert, kind="credit.task_assigned").count() == 2
    )
    assert [i for i in todo_items(cast.outsider) if i.kind.startswith("credit.")] == []


def test_opening_the_node_again_changes_nothing(cast):
    from credit.services import open_node

    scene = awarded_scene(cast)
    before = CreditEvaluation.objects.count()
    assert open_node(lot=scene.lot, node=N1) == []
    assert CreditEvaluation.objects.count() == before


def test_it_opens_the_acceptance_node_for_the_contract_parties(cast):
    contract = signed_contract(cast)
    node1 = CreditEvaluation.objects.filter(node=N1).count()
    accept(cast, deliver(cast, contract))
    # The supplier by the purchaser; the purchaser by the supplier (no agency on this lot).
    assert pairs(N2) == Counter({("purchaser", "supplier"): 1, ("supplier", "purchaser"): 1})
    task = tasks(node=N2, rated_kind="supplier").get()
    assert task.rated_organisation == org(cast.supplier) and task.contract == contract
    assert CreditEvaluation.objects.filter(node=N2, rater_kind=RaterKind.PLATFORM).count() == 2
    assert CreditEvaluation.objects.filter(node=N1).count() == node1
