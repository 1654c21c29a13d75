"""The evaluation's list pages run a fixed number of queries whatever the number of bids: the
expert's home (its reviews), its score sheet, the committee's progress, the report, the
confirmation and the award notice, each counted with three bids and with five (STYLE habit 6).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation.models import Award, BidReview, EvaluationState
from evaluation.services import (
    QualificationValues,
    confirm_result,
    finish_compliance,
    finish_qualification,
    record_compliance,
    record_qualification,
    save_scores,
    sign_declaration,
    start_evaluation,
    submit_report,
    submit_sheet,
)
from tests.evaluation.builders import DEADLINE, opened_lot, seated_committee

pytestmark = pytest.mark.django_db

EVALUATING = DEADLINE + dt.timedelta(hours=2)
CONFIRMING = DEADLINE + dt.timedelta(hours=6)
PRICES = ("100000.00", "110000.00", "120000.00", "130000.00", "140000.00")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def scored(cast, n: int):
    """A lot of `n` bids, every review done and every sheet submitted through the services."""
    lot, bids = opened_lot(cast, prices=PRICES[:n])
    seats = seated_committee(cast, lot)
    with time_machine.travel(EVALUATING, tick=False):
        evaluation = start_evaluation(lot=lot, acting_user=cast.agency)
        for user in seats.users:
            sign_declaration(evaluation=evaluation, no_conflict=True, acting_user=user)
        reviews = list(BidReview.objects.filter(evaluation=evaluation))
        values = QualificationValues(
            qualified=True, reason="", credit_checked_at=EVALUATING, credit_listed=False
        )
        for review in reviews:
            record_qualification(review=review, values=values, acting_user=cast.agency)
        finish_qualification(evaluation=evaluation, acting_user=cast.agency)
        for review in reviews:
            record_compliance(review=review, compliant=True, acting_user=seats.leader.user)
        evaluation = finish_compliance(evaluation=evaluation, acting_user=seats.leader.user)
        assert evaluation.state == EvaluationState.SCORING
        criteria = list(lot.criteria.all())
        scores = {(b.pk, c.pk): Decimal("10") for b in bids for c in criteria}
        for user in seats.users:
            save_scores(evaluation=evaluation, scores=scores, acting_user=user)
            submit_sheet(evaluation=evaluation, acting_user=user)
    return lot, evaluation, seats


def count(client, user, url: str) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries)


def pages(cast, n: int, client) -> dict[str, int]:
    lot, evaluation, seats = scored(cast, n)
    expert = seats.leader.user
    with time_machine.travel(EVALUATING, tick=False):
        counts = {
            "expert home": count(client, expert, reverse("accounts:home")),
            "score sheet": count(client, expert, reverse("evaluation:sheet", args=[lot.pk])),
            "progress (agency)": count(
                client, cast.agency, reverse("evaluation:overview", args=[lot.pk])
            ),
        }
        evaluation = submit_report(evaluation=evaluation, acting_user=expert)
        report = reverse("evaluation:report", args=[evaluation.pk])
        counts["report"] = count(client, cast.purchaser, report)
        counts["confirm"] = count(
            client, cast.purchaser, reverse("evaluation:confirm", args=[evaluation.pk])
        )
    with time_machine.travel(CONFIRMING, tick=False):
        confirm_result(evaluation=evaluation, acting_user=cast.purchaser)
        award = Award.objects.get(lot=lot)
        counts["award notice"] = count(
            client, cast.supplier, reverse("evaluation:award_notice", args=[award.pk])
        )
        counts["report decided"] = count(client, cast.bureau, report)
    return counts


# Each page's queries, the same with three bids and with five (the overview once read each bid's
# files one by one).
BOUNDS = {
    "expert home": 12,
    "score sheet": 20,
    "progress (agency)": 17,
    "report": 8,
    "confirm": 5,
    "award notice": 7,
    "report decided": 9,
}


@pytest.mark.parametrize("n", [3, 5])
def test_the_evaluation_pages_run_a_fixed_number_of_queries(cast, client, n):
    assert pages(cast, n, client) == BOUNDS
