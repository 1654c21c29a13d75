"""The bureau reads awards and report signatures in the admin, read-only (issue 11 §6)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from evaluation.services import confirm_result, sign_report, submit_report

from .award_builders import scoring_evaluation

pytestmark = pytest.mark.django_db


def test_the_bureau_reads_the_award_and_signatures_but_changes_nothing(cast, client):
    scene = scoring_evaluation(cast)
    with time_machine.travel(dt.datetime(2026, 4, 3, 2, 0, tzinfo=dt.UTC), tick=False):
        evaluation = submit_report(evaluation=scene.evaluation, acting_user=scene.leader.user)
        signature = sign_report(evaluation=evaluation, acting_user=scene.leader.user)
        award = confirm_result(evaluation=evaluation, acting_user=cast.purchaser)
    client.force_login(cast.bureau)
    for name, obj in [("award", award), ("reportsignature", signature)]:
        listing = client.get(reverse(f"admin:evaluation_{name}_changelist"))
        assert listing.status_code == 200
        page = client.get(reverse(f"admin:evaluation_{name}_change", args=[obj.pk]))
        assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    client.force_login(cast.purchaser)
    assert client.get(reverse("admin:evaluation_award_changelist")).status_code in (302, 403)
