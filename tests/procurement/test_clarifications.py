"""Clarification questions: asked by a supplier, answered in public without the supplier's name."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from audit.models import Event
from common.errors import DeadlinePassed, InvalidTransition, PermissionDenied
from notifications.models import Notification
from procurement.models import AnnouncementKind, ClarificationStatus, LotState
from procurement.services import answer_question, ask_question, cancel_procurement
from procurement.services._base import RulesBroken

from .factories import make_announced_project, make_ready_project
from .timeline import DEADLINE, NOW, at

pytestmark = pytest.mark.django_db

QUESTION = "第一包要求的“交互式一体机”是否接受 75 英寸规格？"
ANSWER = "接受 75 英寸及以上规格，其他参数不变。"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def project(cast):
    return make_announced_project(cast, deadline=DEADLINE)


def lot_one(project):
    return project.lots.get(number=1)


def test_a_supplier_asks_and_the_purchaser_is_told_without_the_name(cast, project):
    question = ask_question(lot=lot_one(project), question=QUESTION, acting_user=cast.supplier)
    assert question.status == ClarificationStatus.OPEN
    assert question.supplier.name == "郑州甲科技有限公司"
    note = Notification.objects.get(recipient=cast.purchaser, kind="procurement.question_asked")
    assert "郑州甲科技" not in note.title + note.body
    assert Event.objects.filter(action="procurement.clarification.asked").count() == 1


def test_only_suppliers_ask_and_only_while_bidding_is_open(cast, project, frozen):
    draft = make_ready_project(cast, deadline=DEADLINE).lots.get(number=1)
    with pytest.raises(InvalidTransition):
        ask_question(lot=draft, question=QUESTION, acting_user=cast.supplier)
    for user in (cast.purchaser, cast.agency, cast.bureau, cast.expert, cast.outsider):
        with pytest.raises(PermissionDenied):
            ask_question(lot=lot_one(project), question=QUESTION, acting_user=user)
    frozen.move_to(at(2026, 3, 24, 9, 30))
    with pytest.raises(DeadlinePassed):
        ask_question(lot=lot_one(project), question=QUESTION, acting_user=cast.supplier)


def test_the_answer_is_published_as_a_clarification_without_the_questioner(cast, project):
    question = ask_question(lot=lot_one(project), question=QUESTION, acting_user=cast.supplier)
    announcement = answer_question(
        clarification=question, answer=ANSWER, acting_user=cast.purchaser
    )
    question.refresh_from_db()
    assert question.status == ClarificationStatus.ANSWERED
    assert question.announcement == announcement
    assert announcement.kind == AnnouncementKind.CLARIFICATION
    assert announcement.lot == lot_one(project)
    assert announcement.data["question"] == QUESTION and announcement.data["answer"] == ANSWER
    assert "郑州甲科技" not in str(announcement.data) + announcement.search_text
    assert [h.status for h in question.history.order_by("history_id")] == ["open", "answered"]
    assert Event.objects.filter(action="procurement.clarification.answered").count() == 1
    with pytest.raises(InvalidTransition):
        answer_question(clarification=question, answer=ANSWER, acting_user=cast.purchaser)


def test_the_questioner_and_every_downloader_are_told_of_the_answer(cast, project):
    from procurement.services import record_download

    record_download(document=project.documents.get(), acting_user=cast.supplier2)
    question = ask_question(lot=lot_one(project), question=QUESTION, acting_user=cast.supplier)
    answer_question(clarification=question, answer=ANSWER, acting_user=cast.purchaser)
    told = Notification.objects.filter(kind="procurement.clarification_published")
    assert sorted(n.recipient.username for n in told) == ["supplier", "supplier2"]


def test_only_the_purchaser_or_its_agency_answers(cast, project):
    question = ask_question(lot=lot_one(project), question=QUESTION, acting_user=cast.supplier)
    for user in (cast.purchaser2, cast.agency, cast.supplier, cast.supplier2, cast.bureau):
        with pytest.raises(PermissionDenied):
            answer_question(clarification=question, answer=ANSWER, acting_user=user)


def test_a_late_answer_must_move_the_deadline(cast, project, frozen):
    question = ask_question(lot=lot_one(project), question=QUESTION, acting_user=cast.supplier)
    frozen.move_to(at(2026, 3, 12, 10, 0))
    with pytest.raises(RulesBroken) as excinfo:
        answer_question(clarification=question, answer=ANSWER, acting_user=cast.purchaser)
    assert "2026-03-27 00:00" in " ".join(excinfo.value.messages)
    new_deadline = at(2026, 3, 27, 9, 30)  # on the 15th day: in time (RULES.md R-T6)
    announcement = answer_question(
        clarification=question, answer=ANSWER, acting_user=cast.purchaser, new_deadline=new_deadline
    )
    assert len(announcement.data["deadline_changes"]) == 2
    assert {lot.bid_deadline for lot in project.lots.all()} == {new_deadline}


def test_the_answer_page_is_for_the_purchaser_and_the_public_page_shows_the_answer(
    client, cast, project
):
    question = ask_question(lot=lot_one(project), question=QUESTION, acting_user=cast.supplier)
    client.force_login(cast.purchaser)
    page = client.get(reverse("procurement:clarification_answer", args=[question.pk]))
    assert "郑州甲科技有限公司" in page.content.decode()
    client.post(reverse("procurement:clarification_answer", args=[question.pk]), {"answer": ANSWER})
    client.logout()
    public = client.get(
        reverse("procurement:tender_lot", args=[lot_one(project).pk])
    ).content.decode()
    assert ANSWER in public and QUESTION in public
    assert "郑州甲科技有限公司" not in public


def test_a_cancelled_lot_takes_no_more_questions(cast, project):
    cancel_procurement(project=project, reason="需求变化", acting_user=cast.purchaser)
    assert lot_one(project).state == LotState.CANCELLED
    with pytest.raises(InvalidTransition):
        ask_question(lot=lot_one(project), question=QUESTION, acting_user=cast.supplier)


def test_the_answer_form_shows_a_late_new_deadline_once(client, cast, project, frozen):
    question = ask_question(lot=lot_one(project), question=QUESTION, acting_user=cast.supplier)
    frozen.move_to(at(2026, 3, 12, 10, 0))
    client.force_login(cast.purchaser)
    response = client.post(
        reverse("procurement:clarification_answer", args=[question.pk]),
        {"answer": ANSWER, "new_deadline": "2026-03-26T23:59"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('data-testid="form-errors"') == 1 and "alert-block" not in page
    errors = page[page.index('data-testid="form-errors"') :]
    errors = errors[: errors.index("</div>")]
    assert "2026-03-26 23:59" in errors and "2026-03-27 00:00" in errors
    assert "2026-03-24 09:30" not in errors


def test_an_answered_question_shows_its_answer_and_a_second_answer_is_refused_once(
    client, cast, project
):
    question = ask_question(lot=lot_one(project), question=QUESTION, acting_user=cast.supplier)
    answer_question(clarification=question, answer=ANSWER, acting_user=cast.purchaser)
    client.force_login(cast.purchaser)
    url = reverse("procurement:clarification_answer", args=[question.pk])
    page = client.get(url).content.decode()
    assert ANSWER in page and 'name="answer"' not in page
    response = client.post(url, {"answer": "另一个答复"}, follow=True)
    page = response.content.decode()
    assert page.count("该问题已经答复") == 1 and 'name="answer"' not in page
    question.refresh_from_db()
    assert question.answer == ANSWER


def test_the_request_to_answer_closes_when_the_question_is_answered(cast, project):
    question = ask_question(lot=lot_one(project), question=QUESTION, acting_user=cast.supplier)
    asked = Notification.objects.get(kind="procurement.question_asked", recipient=cast.purchaser)
    assert asked.closed_at is None
    answer_question(clarification=question, answer=ANSWER, acting_user=cast.purchaser)
    asked.refresh_from_db()
    assert asked.closed_at is not None
