"""Suspension of the procurement while a complaint is handled (O94 Art 28; GPL Art 57)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from common.errors import DomainError, PermissionDenied, RulesBroken
from complaints.models import ComplaintState, QuestionOutcome
from complaints.services import reply_to_question
from complaints.services_complaint import (
    SUSPENSION_CLOCK,
    accept_complaint,
    decide_complaint,
    resume_procurement,
    send_to_respondent,
    suspend_procurement,
    withdraw_complaint,
)
from contracts.services import sign_contract
from contracts.services.clocks import SIGNING
from procurement.models import Announcement, AnnouncementKind, LotState
from tests.contracts.builders import drafted_contract, make_award, opened_lot
from tests.factories import PASSWORD
from timers.models import Clock
from timers.services import start_clock, sweep

from .conftest import at
from .test_complaints import complained, decision
from .test_questions import filed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CONTRACT_SIGNING_DIR = tmp_path / "signing"


def accepted_on_award(cast):
    award = make_award(cast)
    contract = drafted_contract(cast, award=award)
    question = filed(cast, award.lot, moment="2026-03-27 10:00")
    with time_machine.travel(at("2026-03-30 10:00"), tick=False):
        question = reply_to_question(
            question=question,
            outcome=QuestionOutcome.NOT_UPHELD,
            reply="r",
            facts="f",
            legal_basis="",
            acting_user=cast.purchaser,
        )
    complaint, _code = complained(cast, question=question, moment="2026-04-20 09:00")
    with time_machine.travel(at("2026-04-21 10:00"), tick=False):
        complaint = accept_complaint(complaint=complaint, acting_user=cast.bureau)
        clock = start_clock(
            subject=award,
            kind=SIGNING,
            due=at("2026-04-23 00:00"),
            responsible=award.lot.project.purchaser,
        )
    return complaint, award, contract, clock


def test_a_suspension_pauses_the_lots_clocks_refuses_signing_and_resumes_by_order(cast):
    complaint, award, contract, clock = accepted_on_award(cast)
    with time_machine.travel(at("2026-04-22 10:00"), tick=False):
        with pytest.raises(DomainError):
            suspend_procurement(complaint=complaint, days=31, acting_user=cast.bureau)
        with pytest.raises(PermissionDenied):
            suspend_procurement(complaint=complaint, days=10, acting_user=cast.purchaser)
        complaint = suspend_procurement(complaint=complaint, days=10, acting_user=cast.bureau)
    assert complaint.state == ComplaintState.SUSPENDED
    assert complaint.suspension_ends == at("2026-05-02 10:00")
    clock.refresh_from_db()
    assert clock.paused_at == at("2026-04-22 10:00")
    notice = Announcement.objects.get(kind=AnnouncementKind.SUSPENSION)
    assert notice.data["suspended_until"] == "2026-05-02 10:00"
    assert complaint.suspension_notice == notice
    with time_machine.travel(at("2026-04-24 10:00"), tick=False):
        with pytest.raises(RulesBroken) as refused:
            sign_contract(contract=contract, password=PASSWORD, acting_user=cast.supplier)
        assert complaint.number in str(refused.value)
        sweep()  # a paused clock is not breached at its old due
    clock.refresh_from_db()
    assert clock.breached_at is None
    with time_machine.travel(at("2026-04-25 10:00"), tick=False):
        complaint = resume_procurement(complaint=complaint, acting_user=cast.bureau)
    assert complaint.state == ComplaintState.ACCEPTED
    clock.refresh_from_db()
    assert clock.paused_at is None
    # Paused three days: the due moves three days later.
    assert clock.due == at("2026-04-26 00:00")
    assert Clock.objects.get(kind=SUSPENSION_CLOCK, subject_id=complaint.pk).met_at is not None


def test_a_suspended_lot_resumes_its_state_when_the_term_ends(cast):
    lot, _bids = opened_lot(cast)
    question = filed(cast, lot)
    with time_machine.travel(at("2026-04-02 15:00"), tick=False):
        question = reply_to_question(
            question=question,
            outcome=QuestionOutcome.NOT_UPHELD,
            reply="r",
            facts="f",
            legal_basis="",
            acting_user=cast.purchaser,
        )
    complaint, _code = complained(cast, question=question)
    with time_machine.travel(at("2026-04-28 10:00"), tick=False):
        complaint = accept_complaint(complaint=complaint, acting_user=cast.bureau)
        complaint = suspend_procurement(complaint=complaint, days=5, acting_user=cast.bureau)
    lot.refresh_from_db()
    before = lot.state_before_suspension
    assert lot.state == LotState.SUSPENDED
    with time_machine.travel(at("2026-05-03 10:01"), tick=False):
        sweep()
    complaint.refresh_from_db()
    lot.refresh_from_db()
    assert complaint.state == ComplaintState.ACCEPTED
    assert complaint.resumed_at == at("2026-05-03 10:00")
    assert lot.state == before


def test_the_decision_ends_a_suspension(cast):
    complaint, award, contract, clock = accepted_on_award(cast)
    with time_machine.travel(at("2026-04-22 10:00"), tick=False):
        complaint = suspend_procurement(complaint=complaint, days=30, acting_user=cast.bureau)
    with time_machine.travel(at("2026-04-24 10:00"), tick=False):
        complaint = decide_complaint(
            complaint=complaint, content=decision(), acting_user=cast.bureau
        )
    assert complaint.state == ComplaintState.DECIDED
    assert complaint.resumed_at == at("2026-04-24 10:00")
    clock.refresh_from_db()
    assert clock.paused_at is None
    assert clock.due == at("2026-04-23 00:00") + dt.timedelta(days=2)


def test_a_withdrawal_while_suspended_resumes_the_procurement(cast):
    complaint, award, contract, clock = accepted_on_award(cast)
    with time_machine.travel(at("2026-04-22 10:00"), tick=False):
        complaint = suspend_procurement(complaint=complaint, days=30, acting_user=cast.bureau)
    with time_machine.travel(at("2026-04-23 10:00"), tick=False):
        complaint = withdraw_complaint(complaint=complaint, acting_user=cast.supplier)
    assert complaint.state == ComplaintState.WITHDRAWN
    clock.refresh_from_db()
    assert clock.paused_at is None
    assert not Clock.objects.filter(
        kind=SUSPENSION_CLOCK,
        subject_id=complaint.pk,
        met_at__isnull=True,
        cancelled_at__isnull=True,
    ).exists()


@pytest.mark.parametrize(
    ("role", "status"), [("supplier", 403), ("purchaser", 403), ("supplier2", 404)]
)
def test_only_the_bureau_suspends_through_the_page(cast, client, role, status):
    complaint, award, contract, clock = accepted_on_award(cast)
    with time_machine.travel(at("2026-04-21 11:00"), tick=False):
        send_to_respondent(complaint=complaint, acting_user=cast.bureau)
    client.force_login(getattr(cast, role))
    response = client.post(
        reverse("complaints:complaint_suspend", args=[complaint.pk]), {"days": 10}
    )
    assert response.status_code == status
    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.ACCEPTED
