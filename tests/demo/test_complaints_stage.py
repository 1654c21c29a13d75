"""The questions demo stage (issue 13): an inquiry answered and one open in the agency's to-do, a
question replied to on the awarded lot (whose contract may still be signed) and one open with its
reply clock running."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from accounts.models import User
from accounts.todo import todo_items
from complaints.models import (
    Inquiry,
    InquiryState,
    Question,
    QuestionOutcome,
    QuestionState,
    QuestionTarget,
)
from complaints.services import REPLY_CLOCK, signing_blockers
from contracts.models import Contract, ContractState
from demo.stages import DemoContext, s85_complaints, stage_modules
from timers.models import Clock
from workdays.calendar import SHANGHAI

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


def client_for(username: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(User.objects.get(username=username))
    return client


def test_the_awarded_lot_has_an_answered_inquiry_and_a_replied_question(demo):
    lot = Contract.objects.get(lot__project__name=s85_complaints.AWARDED_PROJECT).lot
    inquiry = Inquiry.objects.get(lot=lot)
    assert inquiry.state == InquiryState.ANSWERED and inquiry.may_affect_result
    question = Question.objects.get(lot=lot)
    assert question.state == QuestionState.REPLIED
    assert question.target == QuestionTarget.RESULT
    assert question.outcome == QuestionOutcome.NOT_UPHELD
    assert question.attachment is not None
    # Nothing holds the drafted contract: the supplier can still sign it (IR Art 54).
    assert signing_blockers(lot) == []
    contract = Contract.objects.get(lot=lot)
    assert contract.state == ContractState.DRAFTED


def test_the_questioner_sees_the_reply_and_until_when_it_may_complain(demo):
    question = Question.objects.get(lot__project__name=s85_complaints.AWARDED_PROJECT)
    questioner = (
        User.objects.filter(memberships__organisation=question.supplier).order_by("pk").first()
    )
    page = client_for(questioner.username).get(
        reverse("complaints:question_detail", args=[question.pk])
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="right-to-complain"' in text
    assert question.complaint_closes.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") in text


def test_the_other_bidders_read_the_reply_but_not_the_materials(demo):
    question = Question.objects.get(lot__project__name=s85_complaints.AWARDED_PROJECT)
    bidders = question.lot.bids.exclude(supplier=question.supplier).values_list(
        "supplier", flat=True
    )
    others = User.objects.filter(
        memberships__organisation__in=bidders, username__startswith="supplier"
    )
    assert others.exists()
    for user in others:
        client = client_for(user.username)
        notice = reverse("complaints:question_reply_notice", args=[question.pk])
        assert client.get(notice).status_code == 200, user.username
        materials = reverse("documents:download", args=[question.attachment.uuid])
        assert client.get(materials).status_code in (403, 404), user.username


def test_the_agency_has_the_open_inquiry_and_question_in_its_to_do(demo):
    agency = demo.users["agency"]
    lots = Question.objects.filter(
        lot__project__name=s85_complaints.AGENCY_PROJECT, state=QuestionState.SUBMITTED
    )
    question = lots.get()
    assert question.target == QuestionTarget.DOCUMENTS and not question.may_affect_result
    clock = Clock.objects.get(kind=REPLY_CLOCK, subject_id=question.pk)
    assert clock.met_at is None and clock.due == question.reply_due
    inquiry = Inquiry.objects.get(
        lot__project__name=s85_complaints.AGENCY_PROJECT, state=InquiryState.OPEN
    )
    assert not inquiry.may_affect_result
    items = todo_items(agency)
    replies = [i for i in items if i.kind == "complaints.question_to_reply"]
    answers = [i for i in items if i.kind == "complaints.inquiry_to_answer"]
    assert [i.due for i in replies] == [question.reply_due]
    assert [i.due for i in answers] == [inquiry.answer_due]
    page = client_for("agency").get(replies[0].url)
    assert page.status_code == 200


def test_running_the_stage_again_adds_nothing(demo):
    before = (Inquiry.objects.count(), Question.objects.count())
    s85_complaints.run(demo)
    assert (Inquiry.objects.count(), Question.objects.count()) == before


def test_a_complaint_is_decided_and_its_decision_published_with_a_status_page(demo):
    from complaints.models import Complaint, ComplaintOutcome, ComplaintState
    from procurement.models import Announcement, AnnouncementKind

    complaint = Complaint.objects.get(question__lot__project__name=s85_complaints.AWARDED_PROJECT)
    assert complaint.state == ComplaintState.PUBLISHED
    assert complaint.outcome == ComplaintOutcome.DISMISSED
    assert Announcement.objects.filter(
        kind=AnnouncementKind.COMPLAINT_DECISION, project=complaint.question.lot.project
    ).exists()
    code = next(line for line in demo.log if complaint.number in line).rsplit(" ", 1)[-1]
    visitor = Client()
    found = visitor.post(
        reverse("complaints:status_lookup"), {"number": complaint.number, "code": code}
    )
    assert found.status_code == 302
    page = visitor.get(found["Location"]).content.decode()
    assert complaint.number in page


def test_a_second_complaint_is_being_handled_with_its_procurement_suspended(demo):
    from complaints.models import Complaint, ComplaintState
    from procurement.models import Announcement, AnnouncementKind, LotState
    from timers.models import OPEN

    complaint = Complaint.objects.get(question__lot__project__name=s85_complaints.AGENCY_PROJECT)
    assert complaint.state == ComplaintState.SUSPENDED
    lot = complaint.question.lot
    assert lot.state == LotState.SUSPENDED
    # Every clock on the lot stands still; the decision period stops for the expert review.
    assert not Clock.objects.filter(
        OPEN, subject_id=lot.pk, subject_type__model="lot", paused_at__isnull=True
    ).exists()
    assert complaint.referrals.get().returned_at is None
    assert Announcement.objects.filter(
        kind=AnnouncementKind.SUSPENSION, project=lot.project
    ).exists()
    page = client_for("bureau").get(reverse("complaints:complaint_detail", args=[complaint.pk]))
    html = page.content.decode()
    assert 'data-testid="referral-out"' in html and 'data-testid="resume"' in html
