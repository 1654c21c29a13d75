"""Complaints through their services and pages (issue 13 §3, §4, §6).

The dates: the question is received Mon 30 Mar 2026; its reply is due by 24:00 Thu 9 Apr
(2026-04-10 00:00), and the complaint window closes at 24:00 Thu 30 Apr (2026-05-01 00:00),
15 working days after the reply period ended. The May Day holiday runs Fri 1 to Tue 5 May 2026
and Sat 9 May is a make-up working day (调休上班): the complaint received Tue 28 Apr is reviewed
by 24:00 Fri 8 May (4-30, 5-6, 5-7, 5-8 and 4-29), sent to the respondent by 24:00 Tue 12 May,
and decided by 24:00 Thu 11 Jun.
"""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
import time_machine
from django.urls import reverse

from accounts.todo import todo_items
from audit.models import Event
from common.errors import DeadlinePassed, DomainError, InvalidTransition, PermissionDenied
from complaints import periods
from complaints.models import (
    Complaint,
    ComplaintOutcome,
    ComplaintState,
    Consequence,
    DismissalGround,
    Question,
    QuestionOutcome,
    RefusalKind,
)
from complaints.services import reply_to_question
from complaints.services_complaint import (
    ANSWER_CLOCK,
    DECISION_CLOCK,
    FLAGGED,
    NOTICE_CLOCK,
    REVIEW_CLOCK,
    ComplaintContent,
    DecisionContent,
    accept_complaint,
    answer_complaint,
    decide_complaint,
    file_complaint,
    publish_decision,
    refuse_complaint,
    request_correction,
    send_to_respondent,
    submit_correction,
    withdraw_complaint,
)
from notifications.models import Notification
from procurement.models import Announcement, AnnouncementKind
from tests.contracts.builders import opened_lot
from timers.models import Clock

from .conftest import at
from .test_questions import filed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CONTRACT_SIGNING_DIR = tmp_path / "signing"


def complaint_content(**overrides) -> ComplaintContent:
    values = {
        "address": "郑州市金水路1号",
        "postcode": "450000",
        "contact": "老张",
        "phone": "0371-12345678",
        "respondent_address": "郑州市中原路2号",
        "respondent_contact": "王采购",
        "respondent_phone": "0371-87654321",
        "question_account": "3月30日质疑开标未唱标，4月2日答复不予支持。",
        "items": "开标时未唱标我公司报价，请求重新开标。",
        "facts": "开标记录未列我公司报价。",
        "legal_basis": "财政部令第87号第四十条",
        "signatory": "张三（授权代表）",
        "items_within_question": True,
        **overrides,
    }
    return ComplaintContent(**values)


def replied(cast) -> Question:
    lot, _bids = opened_lot(cast)
    question = filed(cast, lot)
    with time_machine.travel(at("2026-04-02 15:00"), tick=False):
        return reply_to_question(
            question=question,
            outcome=QuestionOutcome.NOT_UPHELD,
            reply="经核查，开标记录已唱标贵公司报价。",
            facts="开标视频 00:12:30。",
            legal_basis="财政部令第87号第四十条",
            acting_user=cast.purchaser,
        )


def complained(cast, *, moment="2026-04-28 09:00", question=None) -> tuple[Complaint, str]:
    question = question or replied(cast)
    with time_machine.travel(at(moment), tick=False):
        return file_complaint(
            question=question, content=complaint_content(), acting_user=cast.supplier
        )


def accepted(cast, **kwargs) -> Complaint:
    complaint, _code = complained(cast, **kwargs)
    with time_machine.travel(at("2026-04-30 10:00"), tick=False):
        return accept_complaint(complaint=complaint, acting_user=cast.bureau)


def decision(**overrides) -> DecisionContent:
    values = {
        "outcome": ComplaintOutcome.DISMISSED,
        "dismissal_ground": DismissalGround.NO_BASIS,
        "facts": "开标视频显示已唱标投诉人报价。",
        "decision": "驳回投诉。",
        "legal_basis": "财政部令第94号第二十九条第（二）项",
        "reconsideration_body": "郑州市人民政府",
        "court": "郑州铁路运输法院",
        **overrides,
    }
    return DecisionContent(**values)


def pdf_text(stored_file) -> str:
    with stored_file.file.open("rb") as handle:
        data = handle.read()
    result = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return "".join(result.stdout.decode().split())  # wrapped lines joined


def open_clock(complaint, kind) -> Clock:
    return Clock.objects.get(kind=kind, subject_id=complaint.pk, met_at__isnull=True)


# --- filing (O94 Arts 17-20) -----------------------------------------------------------------


def test_the_questioner_complains_after_the_reply_and_the_bureau_is_told(cast):
    complaint, code = complained(cast)
    assert complaint.state == ComplaintState.SUBMITTED
    assert complaint.number.startswith("TS2026-")
    assert complaint.respondent == complaint.question.lot.project.purchaser
    # The code is shown once and kept only as a hash.
    assert code not in complaint.access_code_hash
    # Received Tue 28 Apr; the May Day holiday (1-5 May) is skipped: 29, 30 Apr, 6, 7, 8 May.
    assert complaint.review_due == at("2026-05-09 00:00")
    assert open_clock(complaint, REVIEW_CLOCK).due == complaint.review_due
    assert Notification.objects.filter(
        kind="complaints.complaint_filed", recipient=cast.bureau
    ).exists()
    assert Event.objects.filter(action="complaints.complaint.filed").count() == 1


def test_a_late_complaint_is_refused_with_the_moment_the_window_closed(cast):
    question = replied(cast)
    # 15 working days after the reply period's last day (Thu 9 Apr): 24:00 Thu 30 Apr, counted
    # from the end of the reply period, not from the reply on 2 Apr.
    assert question.complaint_closes == at("2026-05-01 00:00")
    with pytest.raises(DeadlinePassed) as refused:
        complained(cast, moment="2026-05-06 09:00", question=question)
    assert "2026-05-01 00:00" in str(refused.value)
    complaint, _code = complained(cast, moment="2026-04-30 23:59", question=question)
    assert complaint.state == ComplaintState.SUBMITTED


def test_no_reply_in_time_opens_the_complaint_when_the_reply_period_ends(cast):
    lot, _bids = opened_lot(cast)
    question = filed(cast, lot)
    with time_machine.travel(at("2026-04-09 23:00"), tick=False), pytest.raises(InvalidTransition):
        file_complaint(question=question, content=complaint_content(), acting_user=cast.supplier)
    with time_machine.travel(at("2026-04-10 09:00"), tick=False):
        complaint, _code = file_complaint(
            question=question, content=complaint_content(), acting_user=cast.supplier
        )
    assert complaint.state == ComplaintState.SUBMITTED


@pytest.mark.parametrize("role", ["supplier2", "purchaser", "bureau", "outsider"])
def test_only_the_questioner_complains(cast, role):
    question = replied(cast)
    with time_machine.travel(at("2026-04-28 09:00"), tick=False), pytest.raises(PermissionDenied):
        file_complaint(
            question=question, content=complaint_content(), acting_user=getattr(cast, role)
        )


def test_the_complaint_needs_the_content_of_art_18_and_items_within_the_question(cast):
    question = replied(cast)
    with time_machine.travel(at("2026-04-28 09:00"), tick=False):
        with pytest.raises(DomainError, match="第十八条"):
            file_complaint(
                question=question,
                content=complaint_content(respondent_address=" "),
                acting_user=cast.supplier,
            )
        with pytest.raises(DomainError, match="第二十条"):
            file_complaint(
                question=question,
                content=complaint_content(items_within_question=False),
                acting_user=cast.supplier,
            )
        file_complaint(question=question, content=complaint_content(), acting_user=cast.supplier)
        with pytest.raises(InvalidTransition, match="第十九条"):
            file_complaint(
                question=question, content=complaint_content(), acting_user=cast.supplier
            )


# --- review (O94 Art 21) ------------------------------------------------------------------------


def test_acceptance_issues_the_receipt_and_starts_the_decision_and_notice_clocks(cast):
    complaint = accepted(cast)
    assert complaint.state == ComplaintState.ACCEPTED
    # 30 working days from receipt (Tue 28 Apr), over May Day and the make-up Saturday 9 May.
    assert complaint.decision_due == at("2026-06-12 00:00")
    assert complaint.notice_due == at("2026-05-13 00:00")
    assert open_clock(complaint, DECISION_CLOCK).due == complaint.decision_due
    assert open_clock(complaint, NOTICE_CLOCK).due == complaint.notice_due
    assert Clock.objects.get(kind=REVIEW_CLOCK, subject_id=complaint.pk).met_at is not None
    text = pdf_text(complaint.receipt_pdf)
    assert complaint.number in text
    assert "2026-04-2809:00:00" in text  # the time of receipt
    assert "2026-06-12" in text
    assert complaint.bureau.name in text


def test_a_correction_is_asked_once_and_its_days_are_left_out_of_the_decision_clock(cast):
    complaint, _code = complained(cast)
    with time_machine.travel(at("2026-04-29 10:00"), tick=False):
        complaint = request_correction(
            complaint=complaint,
            items="补充质疑答复复印件。",
            due_on=dt.date(2026, 5, 8),
            acting_user=cast.bureau,
        )
    assert complaint.state == ComplaintState.CORRECTION_REQUESTED
    assert complaint.correction_due == at("2026-05-09 00:00")
    with time_machine.travel(at("2026-05-07 16:00"), tick=False):
        complaint = submit_correction(
            complaint=complaint,
            content=complaint_content(facts="补正后的事实。"),
            acting_user=cast.supplier,
        )
        with pytest.raises(InvalidTransition, match="一次性"):
            request_correction(
                complaint=complaint, items="x", due_on=dt.date(2026, 5, 12), acting_user=cast.bureau
            )
    assert complaint.facts == "补正后的事实。"
    with time_machine.travel(at("2026-05-08 10:00"), tick=False):
        complaint = accept_complaint(complaint=complaint, acting_user=cast.bureau)
    # 29 Apr – 7 May are left out: 29, 30 Apr, 6, 7 May are four working days (O94 Art 27).
    paused = [(dt.date(2026, 4, 29), dt.date(2026, 5, 7))]
    assert complaint.decision_due == periods.decision_due(
        received_at=at("2026-04-28 09:00"), paused=paused
    )
    assert complaint.decision_due == at("2026-06-18 00:00")
    assert open_clock(complaint, DECISION_CLOCK).due == at("2026-06-18 00:00")
    assert "2026-04-29" in pdf_text(complaint.receipt_pdf)


def test_a_correction_not_made_in_time_is_refused_and_a_late_one_too(cast):
    complaint, _code = complained(cast)
    with time_machine.travel(at("2026-04-29 10:00"), tick=False):
        complaint = request_correction(
            complaint=complaint,
            items="补充材料。",
            due_on=dt.date(2026, 4, 30),
            acting_user=cast.bureau,
        )
        with pytest.raises(InvalidTransition):
            refuse_complaint(
                complaint=complaint,
                kind=RefusalKind.NOT_CORRECTED,
                reasons="未补正",
                acting_user=cast.bureau,
            )
    with time_machine.travel(at("2026-05-06 09:00"), tick=False):
        with pytest.raises(DeadlinePassed, match="2026-05-01 00:00"):
            submit_correction(
                complaint=complaint, content=complaint_content(), acting_user=cast.supplier
            )
        complaint = refuse_complaint(
            complaint=complaint,
            kind=RefusalKind.NOT_CORRECTED,
            reasons="逾期未补正。",
            acting_user=cast.bureau,
        )
    assert complaint.state == ComplaintState.REJECTED
    assert Notification.objects.filter(
        kind="complaints.complaint_refused", recipient=cast.supplier
    ).exists()


def test_another_authority_is_named_when_the_bureau_has_no_jurisdiction(cast):
    complaint, _code = complained(cast)
    with pytest.raises(DomainError, match="第二十一条第（三）项"):
        refuse_complaint(
            complaint=complaint,
            kind=RefusalKind.JURISDICTION,
            reasons="属省级预算项目。",
            acting_user=cast.bureau,
        )
    complaint = refuse_complaint(
        complaint=complaint,
        kind=RefusalKind.JURISDICTION,
        reasons="属省级预算项目。",
        authority="河南省财政厅",
        acting_user=cast.bureau,
    )
    assert complaint.competent_authority == "河南省财政厅"
    assert (
        "河南省财政厅"
        in Notification.objects.get(
            kind="complaints.complaint_refused", recipient=cast.supplier
        ).body
    )


@pytest.mark.parametrize("role", ["supplier", "purchaser", "supplier2", "outsider"])
def test_only_the_bureau_reviews(cast, role):
    complaint, _code = complained(cast)
    with pytest.raises(PermissionDenied):
        accept_complaint(complaint=complaint, acting_user=getattr(cast, role))
    with pytest.raises(PermissionDenied):
        refuse_complaint(
            complaint=complaint,
            kind=RefusalKind.CONDITIONS,
            reasons="r",
            acting_user=getattr(cast, role),
        )


def test_a_complaint_is_accepted_once(cast):
    complaint = accepted(cast)
    with pytest.raises(InvalidTransition):
        accept_complaint(complaint=complaint, acting_user=cast.bureau)


# --- the respondent (O94 Arts 21 (4), 22) ----------------------------------------------------


def test_the_respondent_is_sent_the_complaint_and_answers_within_five_working_days(cast):
    complaint = accepted(cast)
    kinds = {item.kind for item in todo_items(cast.bureau)}
    assert {"complaints.complaint_to_send", "complaints.complaint_to_decide"} <= kinds
    with pytest.raises(InvalidTransition):
        answer_complaint(complaint=complaint, answer="a", acting_user=cast.purchaser)
    with time_machine.travel(at("2026-05-06 10:00"), tick=False):
        complaint = send_to_respondent(complaint=complaint, acting_user=cast.bureau)
    # 7, 8, 9 (make-up), 11, 12 May.
    assert complaint.answer_due == at("2026-05-13 00:00")
    assert open_clock(complaint, ANSWER_CLOCK).due == complaint.answer_due
    assert Notification.objects.filter(
        kind="complaints.complaint_notice", recipient=cast.purchaser
    ).exists()
    with time_machine.travel(at("2026-05-07 10:00"), tick=False):
        items = [
            i for i in todo_items(cast.purchaser) if i.kind == "complaints.complaint_to_answer"
        ]
    assert [i.due for i in items] == [complaint.answer_due]
    with pytest.raises(PermissionDenied):
        answer_complaint(complaint=complaint, answer="a", acting_user=cast.supplier2)
    with time_machine.travel(at("2026-05-12 10:00"), tick=False):
        answer_complaint(complaint=complaint, answer="已唱标，附视频。", acting_user=cast.purchaser)
    assert not [i for i in todo_items(cast.purchaser) if i.kind == "complaints.complaint_to_answer"]


def test_a_late_answer_is_refused(cast):
    complaint = accepted(cast)
    with time_machine.travel(at("2026-05-06 10:00"), tick=False):
        complaint = send_to_respondent(complaint=complaint, acting_user=cast.bureau)
    with time_machine.travel(at("2026-05-13 00:00"), tick=False):
        with pytest.raises(DeadlinePassed):
            answer_complaint(complaint=complaint, answer="a", acting_user=cast.purchaser)
        # Nothing more is owed: a respondent that did not answer in time waived it.
        kinds = {item.kind for item in todo_items(cast.purchaser)}
        assert "complaints.complaint_to_answer" not in kinds


# --- the decision (O94 Arts 29-34) ----------------------------------------------------------------


def test_the_decision_letter_states_the_rights_and_is_served_on_both_parties(cast):
    complaint = accepted(cast)
    with time_machine.travel(at("2026-05-20 10:00"), tick=False):
        complaint = decide_complaint(
            complaint=complaint,
            content=decision(
                outcome=ComplaintOutcome.UPHELD,
                consequence=Consequence.RESULT_VOID,
                dismissal_ground="",
                decision="投诉事项成立，中标结果无效。",
                legal_basis="财政部令第94号第三十二条第（二）项",
            ),
            acting_user=cast.bureau,
        )
    assert complaint.state == ComplaintState.DECIDED
    assert Clock.objects.get(kind=DECISION_CLOCK, subject_id=complaint.pk).met_at is not None
    text = pdf_text(complaint.decision_pdf)
    for expected in [
        complaint.complainant.name,
        complaint.respondent.name,
        "郑州市金水路1号",
        "开标视频显示已唱标投诉人报价",
        "中标结果无效",
        "第三十二条",
        "郑州市人民政府",
        "郑州铁路运输法院",
        "60",
        "第五十八条",
        "2026-05-20",
    ]:
        assert expected in text, expected
    served = Notification.objects.filter(kind="complaints.complaint_decided")
    assert {n.recipient.username for n in served} >= {"supplier", "purchaser"}
    assert all(n.attachment_id for n in served)


def test_an_upheld_complaint_states_its_consequence_and_a_dismissal_its_ground(cast):
    complaint = accepted(cast)
    with pytest.raises(DomainError, match="第三十一条"):
        decide_complaint(
            complaint=complaint,
            content=decision(outcome=ComplaintOutcome.UPHELD, consequence=""),
            acting_user=cast.bureau,
        )
    with pytest.raises(DomainError, match="第二十九条"):
        decide_complaint(
            complaint=complaint, content=decision(dismissal_ground=""), acting_user=cast.bureau
        )
    with pytest.raises(DomainError, match="第三十三条"):
        decide_complaint(complaint=complaint, content=decision(court=""), acting_user=cast.bureau)
    with pytest.raises(PermissionDenied):
        decide_complaint(complaint=complaint, content=decision(), acting_user=cast.purchaser)


def test_the_decision_is_published_on_the_portal(cast, client):
    complaint = accepted(cast)
    with time_machine.travel(at("2026-05-20 10:00"), tick=False):
        complaint = decide_complaint(
            complaint=complaint, content=decision(), acting_user=cast.bureau
        )
    with pytest.raises(PermissionDenied):
        publish_decision(complaint=complaint, acting_user=cast.supplier)
    with time_machine.travel(at("2026-05-20 11:00"), tick=False):
        complaint = publish_decision(complaint=complaint, acting_user=cast.bureau)
    assert complaint.state == ComplaintState.PUBLISHED
    announcement = complaint.announcement
    assert announcement.kind == AnnouncementKind.COMPLAINT_DECISION
    assert announcement.data["complaint_number"] == complaint.number
    response = client.get(reverse("portal:announcements") + "?kind=complaint")
    assert complaint.question.lot.project.name in response.content.decode()
    page = client.get(reverse("portal:announcement", args=[announcement.pk])).content.decode()
    assert complaint.number in page and "开标视频显示已唱标投诉人报价" in page
    other = Announcement.objects.exclude(kind=AnnouncementKind.COMPLAINT_DECISION).first()
    listed = client.get(reverse("portal:announcements") + "?kind=complaint").content.decode()
    assert other is None or f"/{other.pk}/" not in listed
    with pytest.raises(InvalidTransition):
        publish_decision(complaint=complaint, acting_user=cast.bureau)


def test_a_withdrawal_ends_the_case_and_its_clocks(cast):
    complaint = accepted(cast)
    with pytest.raises(PermissionDenied):
        withdraw_complaint(complaint=complaint, acting_user=cast.purchaser)
    complaint = withdraw_complaint(complaint=complaint, acting_user=cast.supplier)
    assert complaint.state == ComplaintState.WITHDRAWN
    assert complaint.outcome == ComplaintOutcome.WITHDRAWN
    assert (
        not Clock.objects.filter(
            subject_id=complaint.pk,
            kind__startswith="complaints.",
            met_at__isnull=True,
            cancelled_at__isnull=True,
        )
        .exclude(kind__in=["complaints.question_reply", "complaints.inquiry_answer"])
        .exists()
    )
    with pytest.raises(InvalidTransition):
        decide_complaint(complaint=complaint, content=decision(), acting_user=cast.bureau)


# --- O94 Art 37 ------------------------------------------------------------------------------------


def test_three_groundless_complaints_in_twelve_months_flag_the_complainant(cast, client):
    question = replied(cast)
    lot = question.lot
    cases = []
    for n in range(3):
        q = question if n == 0 else filed(cast, lot, moment=f"2026-03-30 1{n}:00")
        if n:
            with time_machine.travel(at("2026-04-02 15:00"), tick=False):
                q = reply_to_question(
                    question=q,
                    outcome=QuestionOutcome.NOT_UPHELD,
                    reply="r",
                    facts="f",
                    legal_basis="",
                    acting_user=cast.purchaser,
                )
        complaint, _code = complained(cast, question=q)
        with time_machine.travel(at("2026-04-30 10:00"), tick=False):
            complaint = accept_complaint(complaint=complaint, acting_user=cast.bureau)
        with time_machine.travel(at(f"2026-05-2{n} 10:00"), tick=False):
            decide_complaint(complaint=complaint, content=decision(), acting_user=cast.bureau)
        cases.append(complaint)
        flagged = Notification.objects.filter(kind=FLAGGED, recipient=cast.bureau)
        assert flagged.exists() == (n == 2)
    client.force_login(cast.bureau)
    with time_machine.travel(at("2026-06-01 10:00"), tick=False):
        page = client.get(reverse("complaints:repeat_complainants")).content.decode()
    assert all(c.number in page for c in cases)
    with time_machine.travel(at("2027-05-21 10:00"), tick=False):
        page = client.get(reverse("complaints:repeat_complainants")).content.decode()
    assert cases[0].number not in page  # more than twelve months ago: two remain


# --- pages and permissions -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("supplier", 200),
        ("bureau", 200),
        ("purchaser", 200),
        ("supplier2", 404),
        ("purchaser2", 404),
        ("bank", 404),
        ("outsider", 404),
    ],
)
def test_the_case_page_is_for_the_parties_and_the_bureau(cast, client, role, status):
    complaint = accepted(cast)
    client.force_login(cast.purchaser)  # the respondent sees it once it is sent the complaint
    url = reverse("complaints:complaint_detail", args=[complaint.pk])
    assert client.get(url).status_code == 404
    with time_machine.travel(at("2026-05-06 10:00"), tick=False):
        complaint = send_to_respondent(complaint=complaint, acting_user=cast.bureau)
    client.force_login(getattr(cast, role))
    response = client.get(reverse("complaints:complaint_detail", args=[complaint.pk]))
    assert response.status_code == status
    receipt = client.get(reverse("complaints:complaint_document", args=[complaint.pk, "receipt"]))
    assert receipt.status_code == status


@pytest.mark.parametrize(
    # The respondent learns of the complaint only when the bureau sends it (O94 Art 21 (4)).
    ("role", "status"),
    [("supplier", 403), ("purchaser", 404), ("supplier2", 404)],
)
def test_the_review_actions_are_refused_to_all_but_the_bureau(cast, client, role, status):
    complaint, _code = complained(cast)
    client.force_login(getattr(cast, role))
    response = client.post(reverse("complaints:complaint_review", args=[complaint.pk, "accept"]))
    assert response.status_code == status
    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.SUBMITTED


def test_the_questioner_files_through_the_page_and_sees_the_code_once(cast, client):
    question = replied(cast)
    client.force_login(cast.supplier)
    with time_machine.travel(at("2026-04-28 09:00"), tick=True):
        page = client.get(reverse("complaints:question_detail", args=[question.pk]))
        assert reverse("complaints:complaint_create", args=[question.pk]) in page.content.decode()
        data = {k: v for k, v in vars(complaint_content()).items()}
        data["items_within_question"] = "on"
        response = client.post(
            reverse("complaints:complaint_create", args=[question.pk]), data, follow=True
        )
    complaint = Complaint.objects.get()
    body = response.content.decode()
    assert 'data-testid="access-code-value"' in body
    again = client.get(reverse("complaints:complaint_detail", args=[complaint.pk]))
    assert 'data-testid="access-code-value"' not in again.content.decode()
    client.force_login(cast.supplier2)
    other = client.get(reverse("complaints:complaint_create", args=[question.pk]))
    assert other.status_code == 404


def test_the_complaint_list_runs_a_fixed_number_of_queries(
    cast, client, django_assert_max_num_queries
):
    question = replied(cast)
    complained(cast, question=question)
    client.force_login(cast.bureau)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("complaints:complaint_list"))
    lot = question.lot
    for n in (1, 2):
        q = filed(cast, lot, moment=f"2026-03-30 1{n}:00")
        complained(cast, question=q, moment="2026-04-28 09:00")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("complaints:complaint_list"))
