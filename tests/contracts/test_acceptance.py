"""Delivery and acceptance (issue 12 §5): each rule and refusal of the services, the one-day
clock around holidays and a make-up working day, the report signed in PAdES and read back by
pyhanko's validator, the public service's announcement, and the hook the payment stage uses."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
import time_machine
from django.utils import translation

from audit.models import Event
from common.errors import DomainError, InvalidTransition, PermissionDenied, RulesBroken
from contracts import pades
from contracts.models import (
    AcceptanceResult,
    ContractState,
    Delivery,
    ParticipantKind,
    Signature,
)
from contracts.services import StageValues
from contracts.services.acceptance import (
    ACCEPTANCE,
    AcceptanceValues,
    DeliveryValues,
    ParticipantValues,
    acceptance_passed,
    declare_delivery,
    record_acceptance,
    sign_acceptance_report,
)
from procurement.models import AnnouncementKind
from tests.factories import PASSWORD
from timers.models import Clock

from .acceptance_builders import (
    DELIVERED_AT,
    DUE,
    RECORDED_AT,
    accept,
    checks_for,
    deliver,
    document,
    signed_contract,
    team,
    values,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The refusals are read in the source language (the site's default is zh-hans)."""
    with translation.override("en"):
        yield


def test_it_declares_delivery_with_its_documents_and_starts_the_one_day_clock(cast):
    contract = signed_contract(cast)
    delivery = deliver(cast, contract)
    contract.refresh_from_db()
    assert contract.state == ContractState.DELIVERED and contract.delivered_at == DELIVERED_AT
    assert delivery.stage == contract.acceptance_plan.stages.get()
    assert delivery.delivered_on == dt.date(2026, 3, 27)
    [stored] = delivery.documents.all()
    assert stored.original_name == "送货单.pdf" and len(stored.sha256) == 64
    clock = Clock.objects.get(kind=ACCEPTANCE)
    assert clock.subject_id == delivery.pk and clock.started == DELIVERED_AT
    assert clock.due == DUE and clock.responsible == contract.purchaser
    event = Event.objects.get(action="contracts.delivery.declared")
    assert event.data["documents"] == [stored.sha256]
    assert delivery.history.count() == 1


def test_only_the_supplier_declares_delivery(cast):
    contract = signed_contract(cast)
    for name in ["purchaser", "supplier2", "bureau", "agency"]:
        with pytest.raises(PermissionDenied):
            declare_delivery(
                contract=contract,
                values=DeliveryValues(delivered_on=dt.date(2026, 3, 26), documents=[document()]),
                acting_user=getattr(cast, name),
            )
    assert not Delivery.objects.exists()


def test_a_delivery_without_documents_in_the_future_is_refused_with_every_problem(cast):
    contract = signed_contract(cast)
    with pytest.raises(RulesBroken) as refused:
        deliver(cast, contract, delivered_on=dt.date(2026, 3, 28), documents=[])
    assert len(refused.value.messages) == 2
    assert "future" in refused.value.messages[0]
    with pytest.raises(RulesBroken) as before:
        deliver(cast, contract, delivered_on=dt.date(2026, 3, 25))
    assert "2026-03-26" in before.value.messages[0]
    with pytest.raises(RulesBroken) as not_a_pdf:
        from django.core.files.uploadedfile import SimpleUploadedFile

        deliver(cast, contract, documents=[SimpleUploadedFile("x.pdf", b"MZ\x90\x00" * 100)])
    assert "x.pdf" in not_a_pdf.value.messages[0]
    assert not Delivery.objects.exists() and not Clock.objects.filter(kind=ACCEPTANCE).exists()


def test_an_unsigned_contract_takes_no_delivery(cast):
    from .builders import drafted_contract

    with pytest.raises(InvalidTransition) as refused:
        deliver(cast, drafted_contract(cast))
    assert refused.value.code == "wrong_state"


def test_a_second_delivery_waits_for_the_first_to_be_accepted(cast):
    contract = signed_contract(cast)
    deliver(cast, contract)
    with pytest.raises(InvalidTransition) as refused:
        deliver(cast, contract)
    assert refused.value.code == "waiting"


def test_the_purchaser_records_a_passed_acceptance_and_the_contract_passes(cast):
    contract = signed_contract(cast)
    delivery = deliver(cast, contract)
    acceptance = accept(cast, delivery)
    contract.refresh_from_db()
    assert contract.state == ContractState.ACCEPTED and contract.accepted_at == RECORDED_AT
    assert acceptance.accepted_on == dt.date(2026, 3, 27)
    assert acceptance.result == AcceptanceResult.PASSED and acceptance.stage == delivery.stage
    assert [c.what for c in acceptance.checks.all()] == ["教学一体机", "安全标准：电气安全"]
    assert [p.kind for p in acceptance.participants.all()] == [ParticipantKind.PURCHASER]
    clock = Clock.objects.get(kind=ACCEPTANCE)
    assert clock.met_at == RECORDED_AT and clock.breached_at is None
    assert set(
        Event.objects.filter(action__startswith="contracts.acceptance.").values_list(
            "action", flat=True
        )
    ) == {"contracts.acceptance.passed", "contracts.acceptance.recorded"}
    assert acceptance.announcement is None  # not a public service


def test_the_report_is_signed_by_the_purchaser_then_the_supplier_and_validates(cast):
    contract = signed_contract(cast)
    acceptance = accept(cast, deliver(cast, contract))
    [first] = Signature.objects.filter(acceptance=acceptance)
    assert (first.party, first.organisation) == ("purchaser", contract.purchaser)
    signed_once = acceptance.report_pdf.file.open("rb").read()
    assert [(v.signer, v.valid, v.intact) for v in pades.verify(signed_once)] == [
        ("市教育局", True, True)
    ]
    with pytest.raises(DomainError) as wrong:
        sign_acceptance_report(acceptance=acceptance, password="nope", acting_user=cast.supplier)
    assert wrong.value.code == "wrong_password"
    with pytest.raises(PermissionDenied):
        sign_acceptance_report(acceptance=acceptance, password=PASSWORD, acting_user=cast.supplier2)
    with pytest.raises(InvalidTransition):
        sign_acceptance_report(acceptance=acceptance, password=PASSWORD, acting_user=cast.purchaser)
    acceptance = sign_acceptance_report(
        acceptance=acceptance, password=PASSWORD, acting_user=cast.supplier
    )
    signed = acceptance.report_pdf.file.open("rb").read()
    assert signed.startswith(signed_once)  # an incremental update
    second = Signature.objects.get(acceptance=acceptance, party="supplier")
    assert second.signed_sha256 == hashlib.sha256(signed_once).hexdigest()
    found = pades.verify(signed)
    assert [(v.signer, v.valid, v.intact) for v in found] == [
        ("市教育局", True, True),
        ("郑州甲科技有限公司", True, True),
    ]
    assert [v.covers_whole_file for v in found] == [False, True]
    tampered = bytearray(signed)
    at = tampered.index(b"stream") + 20
    tampered[at] = (tampered[at] + 1) % 256
    assert [v.intact for v in pades.verify(bytes(tampered))] == [False, False]


def test_a_wrong_password_records_nothing(cast):
    delivery = deliver(cast, signed_contract(cast))
    with pytest.raises(DomainError) as refused:
        record_acceptance(
            delivery=delivery,
            values=values(delivery.contract),
            password="not-it",
            acting_user=cast.purchaser,
        )
    assert refused.value.code == "wrong_password"
    for name in ["supplier", "supplier2", "bureau"]:
        with pytest.raises(PermissionDenied):
            record_acceptance(
                delivery=delivery,
                values=values(delivery.contract),
                password=PASSWORD,
                acting_user=getattr(cast, name),
            )
    assert not delivery.contract.acceptances.exists()


def test_every_broken_rule_of_an_acceptance_is_reported_at_once(cast):
    delivery = deliver(cast, signed_contract(cast))
    broken = AcceptanceValues(
        result=AcceptanceResult.FAILED,
        checks=[checks_for(delivery.contract)[1]],  # the item not checked, nothing failed
        participants=[ParticipantValues(kind=ParticipantKind.EXPERT, name="")],
        reasons="",
    )
    with pytest.raises(RulesBroken) as refused:
        record_acceptance(
            delivery=delivery, values=broken, password=PASSWORD, acting_user=cast.purchaser
        )
    messages = refused.value.messages
    assert len(messages) == 5, messages
    assert any("reasons" in m for m in messages)
    assert any("教学一体机" in m and "第四十五条" in m for m in messages)
    assert any("at least one check failed" in m for m in messages)
    assert any("name of every participant" in m for m in messages)
    assert any("第四十一条" in m for m in messages)


def test_a_passed_result_with_a_failed_check_and_a_partly_result_all_passed_are_refused(cast):
    delivery = deliver(cast, signed_contract(cast))
    contract = delivery.contract
    for result, passed, expected in [
        (AcceptanceResult.PASSED, False, "every check passed"),
        (AcceptanceResult.PARTLY, True, "some checks passed and some failed"),
    ]:
        with pytest.raises(RulesBroken) as refused:
            record_acceptance(
                delivery=delivery,
                values=values(contract, result=result, passed=passed),
                password=PASSWORD,
                acting_user=cast.purchaser,
            )
        assert any(expected in m for m in refused.value.messages), refused.value.messages
    unexplained = values(contract, result=AcceptanceResult.FAILED, passed=False)
    unexplained.checks[0].finding = ""
    with pytest.raises(RulesBroken) as refused:
        record_acceptance(
            delivery=delivery, values=unexplained, password=PASSWORD, acting_user=cast.purchaser
        )
    assert refused.value.messages == ["Say what was found where a check failed: 教学一体机."]


@pytest.mark.parametrize(
    ("flag", "kind", "words"),
    [
        ("with_experts", ParticipantKind.EXPERT, "expert"),
        ("with_recipients", ParticipantKind.RECIPIENT, "第二十四条"),
        ("with_other_bidders", ParticipantKind.OTHER_BIDDER, "第七十四条"),
        ("with_testing_body", ParticipantKind.TESTING_BODY, "第四十一条"),
    ],
)
def test_each_participant_the_plan_names_is_required(cast, flag, kind, words):
    extra = {"testing_body": "河南省产品质量检验院"} if flag == "with_testing_body" else {}
    delivery = deliver(cast, signed_contract(cast, **{flag: True}, **extra))
    with pytest.raises(RulesBroken) as refused:
        record_acceptance(
            delivery=delivery,
            values=values(delivery.contract),
            password=PASSWORD,
            acting_user=cast.purchaser,
        )
    [message] = refused.value.messages
    assert words in message
    acceptance = accept(
        cast, delivery, participants=team(ParticipantValues(kind=kind, name="李参与"))
    )
    assert {p.kind for p in acceptance.participants.all()} == {ParticipantKind.PURCHASER, kind}


def test_a_failed_acceptance_lets_the_supplier_deliver_again_and_a_new_clock_runs(cast):
    contract = signed_contract(cast)
    first = deliver(cast, contract)
    failed = accept(cast, first, result=AcceptanceResult.FAILED, passed=False)
    contract.refresh_from_db()
    assert contract.state == ContractState.REJECTED and contract.accepted_at is None
    assert failed.accepted_on is None and failed.reasons == "屏幕有坏点，需更换"
    # Redelivered on Monday 2026-03-30: due at 24:00 of Tuesday.
    again_at = dt.datetime(2026, 3, 30, 1, 0, tzinfo=dt.UTC)
    second = deliver(cast, contract, at=again_at)
    contract.refresh_from_db()
    assert contract.state == ContractState.DELIVERED and second.stage == first.stage
    clock = Clock.objects.get(kind=ACCEPTANCE, subject_id=second.pk)
    assert clock.due == dt.datetime(2026, 3, 31, 16, 0, tzinfo=dt.UTC)
    accept(cast, second, at=again_at + dt.timedelta(hours=2))
    contract.refresh_from_db()
    assert contract.state == ContractState.ACCEPTED


def test_a_partly_passed_acceptance_fails_the_contract_until_delivered_again(cast):
    contract = signed_contract(cast)
    delivery = deliver(cast, contract)
    partly = values(contract, result=AcceptanceResult.PARTLY, passed=False)
    partly.checks[-1].passed = True
    with time_machine.travel(RECORDED_AT, tick=False):
        acceptance = record_acceptance(
            delivery=delivery, values=partly, password=PASSWORD, acting_user=cast.purchaser
        )
    contract.refresh_from_db()
    assert acceptance.result == AcceptanceResult.PARTLY
    assert contract.state == ContractState.REJECTED


def test_a_contract_in_stages_is_delivered_and_accepted_stage_by_stage(cast):
    received: list[tuple] = []

    def hook(sender, *, contract, acceptance, final, **kwargs):
        received.append((acceptance.stage.number, final, contract.state))

    acceptance_passed.connect(hook)
    try:
        contract = signed_contract(
            cast,
            stages=[
                StageValues(name="到货验收", checks="数量、外观、型号"),
                StageValues(name="安装调试验收", checks="功能、性能、安全"),
            ],
        )
        first = deliver(cast, contract)
        assert first.stage.number == 1
        accept(cast, first)
        contract.refresh_from_db()
        assert contract.state == ContractState.DELIVERED and contract.accepted_at is None
        assert received == [(1, False, ContractState.DELIVERED)]
        later = dt.datetime(2026, 3, 30, 2, 0, tzinfo=dt.UTC)
        second = deliver(cast, contract, at=later)
        assert second.stage.number == 2
        accept(cast, second, at=later + dt.timedelta(hours=1))
        contract.refresh_from_db()
        assert contract.state == ContractState.ACCEPTED
        assert received[-1] == (2, True, ContractState.ACCEPTED)
        with pytest.raises(InvalidTransition) as done:
            deliver(cast, contract, at=later + dt.timedelta(hours=2))
        assert done.value.code == "wrong_state"
    finally:
        acceptance_passed.disconnect(hook)


def test_the_hook_is_not_called_for_a_failed_acceptance(cast):
    received = []

    def hook(sender, **kwargs):
        received.append(kwargs)

    acceptance_passed.connect(hook)
    try:
        accept(
            cast,
            deliver(cast, signed_contract(cast)),
            result=AcceptanceResult.FAILED,
            passed=False,
        )
        assert received == []
    finally:
        # Only this test's receiver: payment's own (contracts.payment_on_acceptance) stays.
        acceptance_passed.disconnect(hook)


def test_a_public_services_acceptance_invites_recipients_and_is_announced(cast, client):
    contract = signed_contract(cast, public_service=True, with_recipients=True)
    delivery = deliver(cast, contract)
    silent = values(contract)
    silent.participants = team(ParticipantValues(kind=ParticipantKind.RECIPIENT, name="张家长"))
    with pytest.raises(RulesBroken) as refused, time_machine.travel(RECORDED_AT, tick=False):
        record_acceptance(
            delivery=delivery, values=silent, password=PASSWORD, acting_user=cast.purchaser
        )
    assert any("opinion" in m and "第四十五条" in m for m in refused.value.messages)
    acceptance = accept(
        cast,
        delivery,
        participants=team(
            ParticipantValues(
                kind=ParticipantKind.RECIPIENT,
                name="张家长",
                organisation_name="市第一中学家长委员会",
                opinion="设备运行良好，满意",
            )
        ),
    )
    notice = acceptance.announcement
    assert notice.kind == AnnouncementKind.ACCEPTANCE and notice.published_at == RECORDED_AT
    assert list(notice.lots.all()) == [contract.lot]
    assert notice.data["acceptance"]["result"] == "passed"
    assert "6222000011112222" not in str(notice.data)  # the bank account is not public
    page = client.get(notice.get_absolute_url())
    body = page.content.decode()
    assert page.status_code == 200
    assert "设备运行良好，满意" in body and "张家长" in body and contract.number in body
    assert "procurement/announcements/acceptance.html" in {t.name for t in page.templates}


def test_the_acceptance_clock_is_due_after_a_holiday_and_on_a_make_up_working_day(cast):
    contract = signed_contract(cast)
    # Friday 2026-04-03, before 清明 (04-04 to 04-06): due at 24:00 of Tuesday 2026-04-07.
    first = deliver(cast, contract, at=dt.datetime(2026, 4, 3, 2, 0, tzinfo=dt.UTC))
    assert Clock.objects.get(subject_id=first.pk, kind=ACCEPTANCE).due == dt.datetime(
        2026, 4, 7, 16, 0, tzinfo=dt.UTC
    )
    accept(
        cast,
        first,
        at=dt.datetime(2026, 4, 3, 3, 0, tzinfo=dt.UTC),
        result=AcceptanceResult.FAILED,
        passed=False,
    )
    # Friday 2026-05-08: Saturday 2026-05-09 is a make-up working day (调休), due at its 24:00.
    second = deliver(cast, contract, at=dt.datetime(2026, 5, 8, 2, 0, tzinfo=dt.UTC))
    assert Clock.objects.get(subject_id=second.pk, kind=ACCEPTANCE).due == dt.datetime(
        2026, 5, 9, 16, 0, tzinfo=dt.UTC
    )


def test_an_acceptance_recorded_late_meets_the_clock_after_its_breach(cast):
    from timers.services import sweep

    delivery = deliver(cast, signed_contract(cast))
    with time_machine.travel(DUE + dt.timedelta(minutes=1), tick=False):
        sweep()
    clock = Clock.objects.get(kind=ACCEPTANCE)
    assert clock.breached_at is not None and clock.met_at is None
    with time_machine.travel(DUE + dt.timedelta(minutes=2), tick=False):
        sweep()  # a second sweep changes nothing
    assert Clock.objects.get(kind=ACCEPTANCE).breached_at == clock.breached_at
    accept(cast, delivery, at=DUE + dt.timedelta(hours=1))
    clock.refresh_from_db()
    assert clock.met_at == DUE + dt.timedelta(hours=1)


def test_an_acceptance_is_recorded_once(cast):
    delivery = deliver(cast, signed_contract(cast))
    accept(cast, delivery)
    with pytest.raises(InvalidTransition) as again:
        accept(cast, delivery)
    assert again.value.code == "already_recorded"
