"""Testing, appraisal and expert review while a complaint is handled (O94 Arts 23 ¶2, 27): the
time from the day the request is sent to the day the answer is received is left out of the 30
working days of the decision, and the complainant is told the expected time."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from common.errors import DomainError, InvalidTransition
from complaints import periods
from complaints.models import ComplaintState, Referral, ReferralKind
from complaints.selectors_complaint import timeline
from complaints.services_complaint import (
    DECISION_CLOCK,
    decide_complaint,
    record_referral_answer,
    refer_for_examination,
)
from notifications.models import Notification
from timers.models import Clock

from .conftest import at
from .test_complaints import accepted, decision


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def refer(cast, complaint, moment="2026-05-11 10:00", **overrides):
    values = {
        "kind": ReferralKind.TESTING,
        "body": "平顶山市质量技术监督检验测试中心",
        "subject_matter": "中标产品的噪声指标",
        "expected_days": 5,
        **overrides,
    }
    with time_machine.travel(at(moment), tick=False):
        return refer_for_examination(complaint=complaint, acting_user=cast.bureau, **values)


def decision_clock(complaint) -> Clock:
    return Clock.objects.get(kind=DECISION_CLOCK, subject_id=complaint.pk, met_at__isnull=True)


def test_the_days_of_a_testing_are_left_out_of_the_decision_period(cast):
    complaint = accepted(cast)  # received Tue 28 Apr 2026 09:00, due 2026-06-12 00:00
    assert complaint.decision_due == at("2026-06-12 00:00")
    referral = refer(cast, complaint)  # sent Mon 11 May
    assert decision_clock(complaint).paused_at is not None
    told = Notification.objects.get(kind="complaints.complaint_referred")
    assert told.recipient.username == "supplier"
    assert "5" in told.body
    with time_machine.travel(at("2026-05-15 15:00"), tick=False):  # answered Fri 15 May
        complaint = record_referral_answer(
            referral=referral, finding="噪声指标符合招标文件要求。", acting_user=cast.bureau
        )
    # Both the day sent and the day received are left out (Art 27 ¶2): Mon 11 – Fri 15 May are
    # five working days, so the last day moves from Thu 11 Jun to Thu 18 Jun (the Dragon Boat
    # Festival falls on Fri 19 Jun).
    assert complaint.decision_due == at("2026-06-19 00:00")
    assert complaint.decision_due == periods.decision_due(
        received_at=at("2026-04-28 09:00"), paused=[(dt.date(2026, 5, 11), dt.date(2026, 5, 15))]
    )
    clock = decision_clock(complaint)
    assert clock.paused_at is None
    assert clock.due == complaint.decision_due
    assert Notification.objects.filter(kind="complaints.referral_returned").exists()


def test_two_overlapping_referrals_hold_the_clock_until_both_answer(cast):
    complaint = accepted(cast)
    first = refer(cast, complaint, "2026-05-11 10:00")
    second = refer(
        cast, complaint, "2026-05-13 10:00", kind=ReferralKind.EXPERT_REVIEW, expected_days=10
    )
    with time_machine.travel(at("2026-05-14 10:00"), tick=False):
        record_referral_answer(referral=first, finding="合格。", acting_user=cast.bureau)
    assert decision_clock(complaint).paused_at is not None  # the expert review is still out
    with time_machine.travel(at("2026-05-20 10:00"), tick=False):
        complaint = record_referral_answer(
            referral=second, finding="评审意见：投诉不成立。", acting_user=cast.bureau
        )
    # 11-20 May: 11-15 and 18-20 are eight working days, the overlap counted once.
    expected = periods.decision_due(
        received_at=at("2026-04-28 09:00"), paused=[(dt.date(2026, 5, 11), dt.date(2026, 5, 20))]
    )
    assert complaint.decision_due == expected == decision_clock(complaint).due
    with (
        pytest.raises(InvalidTransition),
        time_machine.travel(at("2026-05-21 10:00"), tick=False),
    ):
        record_referral_answer(referral=second, finding="again", acting_user=cast.bureau)


def test_no_decision_while_a_referral_is_out(cast):
    complaint = accepted(cast)
    referral = refer(cast, complaint)
    with time_machine.travel(at("2026-05-12 10:00"), tick=False):
        with pytest.raises(InvalidTransition, match="第二十七条|Art 27"):
            decide_complaint(complaint=complaint, content=decision(), acting_user=cast.bureau)
        record_referral_answer(referral=referral, finding="合格。", acting_user=cast.bureau)
        complaint = decide_complaint(
            complaint=complaint, content=decision(), acting_user=cast.bureau
        )
    assert complaint.state == ComplaintState.DECIDED


def test_a_referral_needs_its_particulars(cast):
    complaint = accepted(cast)
    with pytest.raises(DomainError):
        refer(cast, complaint, body=" ")
    with pytest.raises(DomainError):
        refer(cast, complaint, expected_days=0)
    assert not Referral.objects.exists()


def test_the_timeline_tells_the_complainant_of_the_referral(cast):
    complaint = accepted(cast)
    refer(cast, complaint)
    labels = [str(step.label) for step in timeline(complaint)]
    notes = " ".join(step.note for step in timeline(complaint))
    assert any("平顶山市质量技术监督检验测试中心" in label for label in labels)
    assert "5" in notes
    decision_step = timeline(complaint)[-1]
    assert decision_step.due is None  # the period stops; its new date follows the answer


def test_the_bureau_refers_and_records_the_answer_through_the_case_page(cast, client):
    complaint = accepted(cast)
    client.force_login(cast.bureau)
    page = reverse("complaints:complaint_detail", args=[complaint.pk])
    assert 'data-testid="refer"' in client.get(page).content.decode()
    with time_machine.travel(at("2026-05-11 10:00"), tick=True):
        response = client.post(
            reverse("complaints:complaint_refer", args=[complaint.pk]),
            {
                "kind": ReferralKind.APPRAISAL,
                "body": "河南省司法鉴定中心",
                "subject_matter": "投标文件签章真伪",
                "expected_days": "15",
            },
        )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.expected_days == 15
    html = client.get(page).content.decode()
    assert 'data-testid="referral-out"' in html
    with time_machine.travel(at("2026-05-25 10:00"), tick=True):
        client.post(
            reverse("complaints:referral_answer", args=[complaint.pk, referral.pk]),
            {"finding": "签章为真。"},
        )
    referral.refresh_from_db()
    assert referral.returned_at is not None and referral.finding == "签章为真。"


@pytest.mark.parametrize(("role", "status"), [("supplier", 403), ("supplier2", 404)])
def test_only_the_bureau_refers(cast, client, role, status):
    complaint = accepted(cast)
    client.force_login(getattr(cast, role))
    response = client.post(
        reverse("complaints:complaint_refer", args=[complaint.pk]),
        {"kind": ReferralKind.TESTING, "body": "x", "subject_matter": "y", "expected_days": "3"},
    )
    assert response.status_code == status
    assert not Referral.objects.exists()
