"""The questions side, filled in: the materials for the parties, the reply for every supplier
concerned (O94 Arts 13, 15), inquiries that may change the result holding the contract (IR Art
54), and question numbers that never repeat."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections, transaction
from django.urls import reverse

from common.errors import RulesBroken
from complaints.models import Question, QuestionCounter, QuestionOutcome
from complaints.services import (
    _next_number,
    answer_inquiry,
    ask_inquiry,
    file_question,
    reply_to_question,
)
from complaints.views import ATTACHMENT_USE
from contracts.services import sign_contract
from documents.access import can_download
from documents.services import store_file
from notifications.models import Notification
from procurement.models import TenderDocument
from procurement.services import record_download
from tests.bidding.helpers import announced_lot, pdf_file
from tests.contracts.builders import drafted_contract, make_award, opened_lot
from tests.factories import PASSWORD

from .conftest import at
from .test_questions import content

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CONTRACT_SIGNING_DIR = tmp_path / "signing"


def filed_with_materials(cast, lot, *, moment="2026-03-30 10:00", **overrides) -> Question:
    with time_machine.travel(at(moment), tick=False):
        materials = store_file(
            upload=pdf_file("开标记录.pdf"), use=ATTACHMENT_USE, acting_user=cast.supplier
        )
        return file_question(
            lot=lot,
            content=content(**overrides),
            acting_user=cast.supplier,
            attachment=materials,
        )


def replied(cast, question: Question, *, moment="2026-04-02 15:00") -> Question:
    with time_machine.travel(at(moment), tick=False):
        return reply_to_question(
            question=question,
            outcome=QuestionOutcome.NOT_UPHELD,
            reply="经核查，开标记录已唱标贵公司报价。",
            facts="开标视频 00:12:30。",
            legal_basis="财政部令第87号第四十条",
            acting_user=cast.purchaser,
        )


# --- the question's materials ----------------------------------------------------------------


def test_the_parties_download_the_materials_and_the_other_bidders_do_not(cast, client):
    lot, _bids = opened_lot(cast)
    question = replied(cast, filed_with_materials(cast, lot))
    materials = question.attachment
    assert can_download(cast.supplier, materials)
    assert can_download(cast.purchaser, materials)
    assert can_download(cast.bureau, materials)
    # supplier2 was sent the reply, not the materials; the others have nothing to do with it.
    for role in ("supplier2", "purchaser2", "bank", "expert", "outsider"):
        assert not can_download(getattr(cast, role), materials), role

    client.force_login(cast.purchaser)
    page = client.get(reverse("complaints:question_detail", args=[question.pk]))
    link = reverse("documents:download", args=[materials.uuid])
    assert link in page.content.decode()
    assert client.get(link).status_code == 200
    client.force_login(cast.supplier2)
    assert client.get(link).status_code in (403, 404)


# --- the reply for every supplier concerned (O94 Arts 13, 15) -------------------------------------


def test_another_bidder_reads_the_reply_it_was_sent_but_not_the_question(cast, client):
    lot, _bids = opened_lot(cast)
    question = filed_with_materials(cast, lot)
    notice = reverse("complaints:question_reply_notice", args=[question.pk])
    client.force_login(cast.supplier2)
    assert client.get(notice).status_code == 404  # not replied yet: nothing was sent to it

    question = replied(cast, question)
    sent = Notification.objects.get(kind="complaints.question_replied", recipient=cast.supplier2)
    assert sent.url == notice
    page = client.get(notice)
    assert page.status_code == 200
    text = page.content.decode()
    assert "经核查，开标记录已唱标贵公司报价。" in text
    assert question.supplier.name in text and question.number in text
    # Not the questioner's contact details or its materials.
    assert question.phone not in text
    assert str(question.attachment.uuid) not in text
    assert client.get(reverse("complaints:question_detail", args=[question.pk])).status_code == 404
    # The questioner itself is sent the full page with its right to complain.
    mine = Notification.objects.get(kind="complaints.question_replied", recipient=cast.supplier)
    assert mine.url == reverse("complaints:question_detail", args=[question.pk])


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("supplier", 200),
        ("supplier2", 200),
        ("purchaser", 200),
        ("bureau", 200),
        ("purchaser2", 404),
        ("bank", 404),
        ("expert", 404),
        ("outsider", 404),
    ],
)
def test_the_reply_notice_is_for_the_suppliers_concerned_and_the_parties(
    cast, client, role, status
):
    lot, _bids = opened_lot(cast)
    question = replied(cast, filed_with_materials(cast, lot))
    client.force_login(getattr(cast, role))
    notice = reverse("complaints:question_reply_notice", args=[question.pk])
    assert client.get(notice).status_code == status


def test_the_reply_to_a_documents_question_goes_to_every_supplier_that_obtained_them(cast):
    with time_machine.travel(at("2026-03-02 09:00"), tick=False):
        lot = announced_lot(cast, deadline=at("2026-03-27 09:30"))
    document = TenderDocument.objects.filter(project=lot.project_id, is_current=True).first()
    with time_machine.travel(at("2026-03-03 10:00"), tick=False):
        record_download(document=document, acting_user=cast.supplier)
        record_download(document=document, acting_user=cast.supplier2)
    question = filed_with_materials(
        cast,
        lot,
        moment="2026-03-04 10:00",
        target="documents",
        step_ended_on=None,
        items="评分标准第3项指向特定品牌，请求修改。",
    )
    assert not question.may_affect_result
    question = replied(cast, question, moment="2026-03-05 10:00")
    told = set(
        Notification.objects.filter(kind="complaints.question_replied").values_list(
            "recipient__username", flat=True
        )
    )
    assert {"supplier", "supplier2"} <= told
    assert cast.supplier2.has_perm("complaints.view_question_reply", question)
    assert not cast.supplier2.has_perm("complaints.view_question", question)


# --- IR Art 54: an inquiry that may change the result holds the contract -------------------------


def test_an_inquiry_after_the_award_holds_the_contract_until_it_is_answered(cast):
    award = make_award(cast)
    contract = drafted_contract(cast, award=award)
    with time_machine.travel(at("2026-03-27 10:00"), tick=False):
        inquiry = ask_inquiry(
            lot=award.lot, text="中标人的业绩是否经过核实？", acting_user=cast.supplier2
        )
        assert inquiry.may_affect_result
        with pytest.raises(RulesBroken) as refused:
            sign_contract(contract=contract, password=PASSWORD, acting_user=cast.supplier)
        assert "政府采购法实施条例第五十四条" in str(refused.value)
        responder = cast.agency if award.lot.project.agency_id else cast.purchaser
        answer_inquiry(inquiry=inquiry, answer="已核实，详见评审报告。", acting_user=responder)
        signed = sign_contract(contract=contract, password=PASSWORD, acting_user=cast.supplier)
    assert signed.signatures.count() == 1


def test_an_inquiry_about_the_documents_does_not_hold_the_contract(cast):
    with time_machine.travel(at("2026-03-02 09:00"), tick=False):
        lot = announced_lot(cast, deadline=at("2026-03-27 09:30"))
        inquiry = ask_inquiry(lot=lot, text="样品何时递交？", acting_user=cast.supplier2)
    assert not inquiry.may_affect_result
    from complaints.services import signing_blockers

    assert signing_blockers(lot) == []


# --- question numbers --------------------------------------------------------------------------


def test_question_numbers_follow_each_other_within_a_year_and_restart_with_the_next():
    with transaction.atomic():
        numbers = [_next_number(at("2026-12-31 23:00")) for _ in range(3)]
        numbers.append(_next_number(at("2027-01-01 00:30")))
    assert numbers == ["ZY2026-00001", "ZY2026-00002", "ZY2026-00003", "ZY2027-00001"]
    assert QuestionCounter.objects.get(year=2026).last == 3


def test_a_new_counter_starts_after_the_highest_number_already_given(cast):
    lot, _bids = opened_lot(cast)
    question = filed_with_materials(cast, lot)
    Question.objects.filter(pk=question.pk).update(number="ZY2026-00041")
    QuestionCounter.objects.all().delete()  # e.g. numbers given before the counter existed
    with transaction.atomic():
        assert _next_number(at("2026-04-01 10:00")) == "ZY2026-00042"


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers with BEGIN IMMEDIATE; the race needs PostgreSQL",
)


def _taken_by_two_threads(next_number, per_thread: int) -> list[str]:
    """The numbers two threads take at once, `per_thread` each, each in its own transaction."""
    start = threading.Barrier(2)
    taken: list[str] = []
    errors: list[BaseException] = []

    def take() -> None:
        try:
            start.wait(timeout=10)
            for _ in range(per_thread):
                with transaction.atomic():
                    taken.append(next_number(at("2026-05-06 10:00")))
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return sorted(taken)


@postgres_only
def test_two_questions_filed_at_once_never_share_a_number(transactional_db):
    per_thread = 25
    taken = _taken_by_two_threads(_next_number, per_thread)
    assert taken == [f"ZY2026-{n:05d}" for n in range(1, 2 * per_thread + 1)]


def test_a_question_filed_through_the_page_gets_the_next_number(cast, client):
    lot, _bids = opened_lot(cast)
    QuestionCounter.objects.create(year=2026, last=7)
    client.force_login(cast.supplier)
    data = {k: v for k, v in content().__dict__.items()}
    data["step_ended_on"] = "2026-03-24"
    data["attachment"] = SimpleUploadedFile("证明材料.pdf", pdf_file().read())
    with time_machine.travel(at("2026-03-30 10:00"), tick=True):
        response = client.post(reverse("complaints:question_create", args=[lot.pk]), data)
    assert response.status_code == 302
    question = Question.objects.get()
    assert question.number == "ZY2026-00008"
    assert question.attachment is not None and question.attachment.use == ATTACHMENT_USE
    assert dt.date(2026, 3, 24) == question.knew_on


# --- complaint numbers ---------------------------------------------------------------------------


def test_complaint_numbers_come_from_their_own_locked_counter():
    from complaints.models import ComplaintCounter
    from complaints.services_complaint import _next_number as next_complaint_number

    with transaction.atomic():
        numbers = [next_complaint_number(at("2026-12-31 23:00")) for _ in range(2)]
        numbers.append(next_complaint_number(at("2027-01-01 00:30")))
        question_number = _next_number(at("2026-12-31 23:00"))
    assert numbers == ["TS2026-00001", "TS2026-00002", "TS2027-00001"]
    assert ComplaintCounter.objects.get(year=2026).last == 2
    assert question_number == "ZY2026-00001"  # the two series do not share a counter


@postgres_only
def test_two_complaints_filed_at_once_never_share_a_number(transactional_db):
    from complaints.services_complaint import _next_number as next_complaint_number

    taken = _taken_by_two_threads(next_complaint_number, 20)
    assert taken == [f"TS2026-{n:05d}" for n in range(1, 41)]
