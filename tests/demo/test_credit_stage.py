"""The credit demo stage (issue 14): the evaluations the demo's awards and acceptances opened,
given by the demo accounts, grades for the demo organisations, one appeal decided, and
expert1's evaluations left on its to-do."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test.utils import override_settings

from accounts.models import User
from accounts.todo import todo_items
from credit.models import Appeal, AppealState, CreditEvaluation, EvaluationState, PartyGrade
from demo.stages import DemoContext, s90_credit, stage_modules

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_dirs(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-media"), tmp_path_factory.mktemp("demo-signing")


@pytest.fixture(autouse=True)
def dirs(settings, demo_dirs):
    settings.MEDIA_ROOT, settings.CONTRACT_SIGNING_DIR = demo_dirs


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, demo_dirs):
    """The whole demo, seeded once for the module and rolled back after its last test."""
    media, signing = demo_dirs
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, CONTRACT_SIGNING_DIR=signing),
        transaction.atomic(),
    ):
        ctx = DemoContext()
        for module in stage_modules():
            module.run(ctx)
        yield ctx
        transaction.set_rollback(True)


def test_the_demo_has_evaluations_grades_and_one_appeal_decided(demo):
    given = CreditEvaluation.objects.filter(state=EvaluationState.SUBMITTED)
    assert given.exclude(rater_kind="platform").exists()
    assert given.filter(items__comment__contains="业绩要求").exists()
    assert PartyGrade.objects.filter(kind="purchaser").exists()
    assert PartyGrade.objects.filter(kind="supplier").exists()
    appeal = Appeal.objects.get()
    assert appeal.state == AppealState.AMENDED and appeal.changes[0]["code"] == "P05"


def test_expert1_finds_its_evaluations_on_its_to_do(demo):
    expert1 = User.objects.get(username="expert1")
    items = [i for i in todo_items(expert1) if i.kind == "credit.evaluation_to_give"]
    assert items and all(i.due is not None for i in items)


def test_running_the_stage_again_adds_nothing(demo):
    def counts():
        submitted = CreditEvaluation.objects.filter(state=EvaluationState.SUBMITTED).count()
        return CreditEvaluation.objects.count(), submitted, Appeal.objects.count()

    before = counts()
    s90_credit.run(demo)
    assert counts() == before
