"""Automatic indicators read the record made through the services, with evidence."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from credit.models import CreditEvaluation, ItemScore, RaterKind, expert_key, org_key
from credit.services import refresh_platform_evaluations
from tests.contracts.acceptance_builders import accept, deliver, signed_contract

from .builders import CONFIRMED_AT, N1, N2, awarded_scene

pytestmark = pytest.mark.django_db


def platform_items(node, key):
    evaluation = CreditEvaluation.objects.get(
        node=node, rater_kind=RaterKind.PLATFORM, rated_key=key
    )
    return {
        i.indicator.code: i
        for i in ItemScore.objects.filter(evaluation=evaluation).select_related("indicator")
    }


def org(user):
    return user.memberships.get().organisation


def settle(at=CONFIRMED_AT + dt.timedelta(hours=1)):
    """What runs when the award's transaction commits (and daily): the facts it settled."""
    with time_machine.travel(at, tick=False):
        refresh_platform_evaluations()


def test_the_purchasers_record_after_the_evaluation(cast):
    awarded_scene(cast)
    key = org_key(org(cast.purchaser).pk)
    # The award is saved before the result's clocks are met in the same transaction.
    assert platform_items(N1, key)["P08"].pending
    settle()
    items = platform_items(N1, key)
    # The intention was published 30 days before the announcement (bench builder), the plan
    # filed, the result confirmed within five working days; nobody asked a question.
    assert items["P01"].points == items["P01"].indicator.points
    assert "30" in items["P01"].evidence and items["P01"].evidence_url
    assert items["P02"].points == items["P02"].indicator.points
    assert items["P08"].points == items["P08"].indicator.points
    assert items["P08"].evidence_url.startswith("/admin/timers/clock/")
    assert items["P09"].points is None and not items["P09"].pending  # not applicable


def test_an_intention_exempt_project_is_not_scored_on_the_lead(cast):
    awarded_scene(cast, intention_exempt=True, exemption_reason="抢险救灾")
    items = platform_items(N1, org_key(org(cast.purchaser).pk))
    assert items["P01"].points is None and "抢险救灾" in items["P01"].evidence


def test_each_expert_and_bidder_is_scored_from_the_opening_and_the_declarations(cast):
    scene = awarded_scene(cast)
    settle()

    expert_items = platform_items(N1, expert_key(cast.expert.pk))
    assert expert_items["E18"].points == expert_items["E18"].indicator.points
    supplier_items = platform_items(N1, org_key(org(cast.supplier).pk))
    assert supplier_items["S01"].points == supplier_items["S01"].indicator.points
    assert "解密" in supplier_items["S01"].evidence
    agency_items = platform_items(N1, org_key(org(cast.agency).pk))
    # The result announcement was published with the confirmation.
    assert scene.extra["award"].announcement_id is not None
    assert agency_items["A22"].points == agency_items["A22"].indicator.points


def test_after_acceptance_the_contract_clocks_are_read_and_payment_waits(cast):
    contract = signed_contract(cast)
    accept(cast, deliver(cast, contract))
    items = platform_items(N2, org_key(org(cast.purchaser).pk))
    assert items["P12"].points == items["P12"].indicator.points  # signed within 30 days
    assert items["P12"].evidence_url.startswith("/admin/timers/clock/")
    # Payment is owed from the acceptance: not settled yet, so it counts neither way.
    assert items["P16"].points is None and items["P16"].pending
    supplier = platform_items(N2, org_key(org(cast.supplier).pk))
    assert supplier["S11"].points == supplier["S11"].indicator.points
