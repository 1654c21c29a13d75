"""The dashboards name an evaluation clock by its lot and link its report (timers.subjects)."""

from __future__ import annotations

from django.urls import reverse

from accounts.selectors import organisation_of
from evaluation.services.report import RESULT_CLOCK
from tests.contracts.builders import make_award
from tests.timers.conftest import at
from timers.services import start_clock
from timers.subjects import describe_subjects


def test_the_result_clock_names_the_lot_and_links_the_report(client, cast):
    evaluation = make_award(cast).evaluation
    lot = evaluation.lot
    clock = start_clock(
        subject=evaluation,
        kind=RESULT_CLOCK,
        due=at(2026, 3, 26),
        responsible=organisation_of(cast.purchaser),
    )
    subject = describe_subjects([clock], user=cast.bureau)[clock.pk]
    assert subject.label == str(lot)
    assert subject.url == reverse("evaluation:report", args=[evaluation.pk])
    client.force_login(cast.bureau)
    assert client.get(subject.url).status_code == 200
