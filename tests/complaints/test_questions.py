"""Inquiries and questions through their services and pages (issue 13 §1, §2, §4)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from accounts.models import OrganisationKind
from accounts.todo import todo_items
from audit.models import Event
from common.errors import DeadlinePassed, InvalidTransition, PermissionDenied, RulesBroken
from complaints.models import InquiryState, Question, QuestionOutcome, QuestionState
from complaints.services import (
    INQUIRY_CLOCK,
    REPLY_CLOCK,
    QuestionContent,
    answer_inquiry,
    ask_inquiry,
    file_question,
    reply_to_question,
)
from contracts.services import sign_contract
from notifications.models import Notification
from tests.contracts.builders import drafted_contract, make_award, opened_lot
from tests.factories import PASSWORD, OrganisationFactory, UserFactory
from timers.models import Clock

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CONTRACT_SIGNING_DIR = tmp_path / "signing"


def content(**overrides) -> QuestionContent:
    values = {
        "target": "procedure",
        "step_ended_on": dt.date(2026, 3, 24),  # the opening (the lot's deadline)
        "address": "郑州市金水路1号",
        "postcode": "450000",
        "contact": "老张",
        "phone": "0371-12345678",
        "items": "开标时未唱标我公司报价，请求重新开标。",
        "facts": "开标记录未列我公司报价。",
        "legal_basis": "财政部令第87号第四十条",
        "signatory": "张三（授权代表）",
        **overrides,
    }
    return QuestionContent(**values)


def filed(cast, lot, *, moment="2026-03-30 10:00") -> Question:
    with time_machine.travel(at(moment), tick=False):
        return file_question(lot=lot, content=content(), acting_user=cast.supplier)


# --- who may question, and when ----------------------------------------------------------------


def test_it_receives_a_question_in_time_and_starts_the_reply_clock(cast):
    lot, _bids = opened_lot(cast)
    question = filed(cast, lot)
    # Step ended Tue 24 Mar: window 25, 26, 27, 30, 31 Mar, 1, 2 Apr.
    assert question.window_closes == at("2026-04-03 00:00")
    # Received Mon 30 Mar: 31, 1, 2, 3, [4-6 Qingming], 7, 8, 9 Apr.
    assert question.reply_due == at("2026-04-10 00:00")
    # 15 working days after 9 Apr: 10, 13-17, 20-24, 27-30 Apr: the 15th is 30 Apr.
    assert question.complaint_closes == at("2026-05-01 00:00")
    clock = Clock.objects.get(kind=REPLY_CLOCK, subject_id=question.pk)
    assert clock.due == question.reply_due and clock.met_at is None
    assert Event.objects.filter(action="complaints.question.filed").count() == 1
    assert question.history.count() == 1
    assert Notification.objects.filter(kind="complaints.question_filed").exists()


def test_it_refuses_a_late_question_with_the_moment_its_window_closed(cast):
    lot, _bids = opened_lot(cast)
    with pytest.raises(DeadlinePassed) as refused:
        filed(cast, lot, moment="2026-04-03 09:00")
    assert "2026-04-03 00:00" in str(refused.value)
    assert "2026-03-24" in str(refused.value)
    assert not Question.objects.exists()


def test_it_refuses_a_question_on_the_procedure_from_a_supplier_that_did_not_take_part(cast):
    lot, _bids = opened_lot(cast)
    stranger = UserFactory(
        username="stranger",
        organisation=OrganisationFactory(kind=OrganisationKind.SUPPLIER, name="郑州丁有限公司"),
    )
    with time_machine.travel(at("2026-03-30 10:00"), tick=False), pytest.raises(PermissionDenied):
        file_question(lot=lot, content=content(), acting_user=stranger)


def test_it_refuses_a_question_on_the_documents_from_a_supplier_that_never_obtained_them(cast):
    lot, _bids = opened_lot(cast)
    with time_machine.travel(at("2026-03-30 10:00"), tick=False), pytest.raises(PermissionDenied):
        file_question(lot=lot, content=content(target="documents"), acting_user=cast.supplier)


@pytest.mark.parametrize("role", ["purchaser", "agency", "bureau", "bank", "outsider"])
def test_only_a_supplier_files_a_question(cast, role):
    lot, _bids = opened_lot(cast)
    with time_machine.travel(at("2026-03-30 10:00"), tick=False), pytest.raises(PermissionDenied):
        file_question(lot=lot, content=content(), acting_user=getattr(cast, role))


# --- the reply -----------------------------------------------------------------------------------


def test_the_purchaser_replies_to_every_supplier_of_the_lot_with_the_right_to_complain(cast):
    lot, _bids = opened_lot(cast)
    question = filed(cast, lot)
    with time_machine.travel(at("2026-04-02 15:00"), tick=False):
        question = reply_to_question(
            question=question,
            outcome=QuestionOutcome.NOT_UPHELD,
            reply="经核查，开标记录已唱标贵公司报价。",
            facts="开标视频 00:12:30。",
            legal_basis="财政部令第87号第四十条",
            acting_user=cast.purchaser,
        )
    assert question.state == QuestionState.REPLIED
    assert Clock.objects.get(kind=REPLY_CLOCK, subject_id=question.pk).met_at is not None
    replies = Notification.objects.filter(kind="complaints.question_replied")
    told = {n.recipient.username for n in replies}
    assert {"supplier", "supplier2", "supplier3"} <= told
    assert "2026-05-01 00:00" in replies.first().body
    assert Event.objects.filter(action="complaints.question.replied").count() == 1


@pytest.mark.parametrize("role", ["supplier", "supplier2", "bureau", "purchaser2", "bank"])
def test_only_the_purchaser_or_agency_replies(cast, role):
    lot, _bids = opened_lot(cast)
    question = filed(cast, lot)
    with pytest.raises(PermissionDenied):
        reply_to_question(
            question=question,
            outcome=QuestionOutcome.NOT_UPHELD,
            reply="r",
            facts="f",
            legal_basis="",
            acting_user=getattr(cast, role),
        )


def test_a_question_is_replied_to_once(cast):
    lot, _bids = opened_lot(cast)
    question = filed(cast, lot)
    kwargs = {"outcome": QuestionOutcome.NO_EFFECT, "reply": "r", "facts": "f", "legal_basis": ""}
    reply_to_question(question=question, acting_user=cast.purchaser, **kwargs)
    with pytest.raises(InvalidTransition):
        reply_to_question(question=question, acting_user=cast.purchaser, **kwargs)


# --- IR Art 54: no contract while a question that may change the result is open --------------


def test_the_contract_is_refused_while_a_question_is_open_and_signed_after_the_reply(cast):
    award = make_award(cast)
    contract = drafted_contract(cast, award=award)
    question = filed(cast, award.lot, moment="2026-03-27 10:00")
    with time_machine.travel(at("2026-03-27 11:00"), tick=False):
        with pytest.raises(RulesBroken) as refused:
            sign_contract(contract=contract, password=PASSWORD, acting_user=cast.supplier)
        assert question.number in str(refused.value)
        reply_to_question(
            question=question,
            outcome=QuestionOutcome.NOT_UPHELD,
            reply="r",
            facts="f",
            legal_basis="",
            acting_user=cast.purchaser,
        )
        signed = sign_contract(contract=contract, password=PASSWORD, acting_user=cast.supplier)
    assert signed.signatures.count() == 1


# --- inquiries --------------------------------------------------------------------------------------


def test_an_inquiry_is_answered_within_three_working_days_and_leaves_the_to_do(cast):
    lot, _bids = opened_lot(cast)
    with time_machine.travel(at("2026-04-03 10:00"), tick=False):
        inquiry = ask_inquiry(lot=lot, text="评标何时结束？", acting_user=cast.supplier2)
        # Fri 3 Apr: [4-6 Qingming], 7, 8, 9 Apr.
        assert inquiry.answer_due == at("2026-04-10 00:00")
        responder = cast.agency if lot.project.agency_id else cast.purchaser
        kinds = [item.kind for item in todo_items(responder)]
        assert "complaints.inquiry_to_answer" in kinds
        with pytest.raises(PermissionDenied):
            answer_inquiry(inquiry=inquiry, answer="x", acting_user=cast.supplier)
        inquiry = answer_inquiry(inquiry=inquiry, answer="下周一。", acting_user=responder)
        assert inquiry.state == InquiryState.ANSWERED
        assert "complaints.inquiry_to_answer" not in [i.kind for i in todo_items(responder)]
    assert Clock.objects.get(kind=INQUIRY_CLOCK, subject_id=inquiry.pk).met_at is not None


def test_the_reply_to_do_shows_the_due_time_and_goes_with_the_reply(cast):
    lot, _bids = opened_lot(cast)
    question = filed(cast, lot)
    responder = cast.agency if lot.project.agency_id else cast.purchaser
    with time_machine.travel(at("2026-03-31 10:00"), tick=False):
        items = [i for i in todo_items(responder) if i.kind == "complaints.question_to_reply"]
        assert [i.due for i in items] == [question.reply_due]
        reply_to_question(
            question=question,
            outcome=QuestionOutcome.NOT_UPHELD,
            reply="r",
            facts="f",
            legal_basis="",
            acting_user=responder,
        )
        assert not [i for i in todo_items(responder) if i.kind == "complaints.question_to_reply"]


# --- pages and who reaches them --------------------------------------------------------------------


def test_a_supplier_reaches_the_question_form_from_the_lot_page_and_files_it(cast, client):
    lot, _bids = opened_lot(cast)
    client.force_login(cast.supplier)
    with time_machine.travel(at("2026-03-30 10:00"), tick=True):
        page = client.get(reverse("procurement:tender_lot", args=[lot.pk]))
        link = reverse("complaints:lot_cases", args=[lot.pk])
        assert link.encode() in page.content
        cases = client.get(link)
        assert cases.status_code == 200
        data = {k: v for k, v in content().__dict__.items()}
        data["step_ended_on"] = "2026-03-24"
        response = client.post(reverse("complaints:question_create", args=[lot.pk]), data)
    question = Question.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("complaints:question_detail", args=[question.pk])


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("supplier", 200),
        ("purchaser", 200),
        ("bureau", 200),
        ("supplier2", 404),
        ("purchaser2", 404),
        ("bank", 404),
        ("expert", 404),
        ("outsider", 404),
    ],
)
def test_the_question_page_is_for_its_parties_and_the_bureau(cast, client, role, status):
    lot, _bids = opened_lot(cast)
    question = filed(cast, lot)
    client.force_login(getattr(cast, role))
    response = client.get(reverse("complaints:question_detail", args=[question.pk]))
    assert response.status_code == status


@pytest.mark.parametrize(
    ("role", "status"), [("supplier", 403), ("supplier2", 404), ("bureau", 403)]
)
def test_the_reply_page_is_refused_to_all_but_the_purchaser_or_agency(cast, client, role, status):
    lot, _bids = opened_lot(cast)
    question = filed(cast, lot)
    client.force_login(getattr(cast, role))
    response = client.get(reverse("complaints:question_reply", args=[question.pk]))
    assert response.status_code == status


def test_the_case_list_runs_a_fixed_number_of_queries(cast, client, django_assert_max_num_queries):
    lot, _bids = opened_lot(cast)
    filed(cast, lot)
    client.force_login(cast.purchaser)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("complaints:mine"))
    for n, moment in enumerate(["2026-03-30 11:00", "2026-03-31 11:00", "2026-04-01 11:00"]):
        with time_machine.travel(at(moment), tick=False):
            ask_inquiry(lot=lot, text=f"问题{n}", acting_user=cast.supplier2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("complaints:mine"))
