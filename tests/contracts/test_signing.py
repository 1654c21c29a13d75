"""Drafting and signing a contract (issue 12 §1–§2, §4): the draft from the award, the PAdES
signatures read back by two independent validators, the announcement and the filing copy, and
the one-day signing clock with the legal limit beside it."""

from __future__ import annotations

import datetime as dt
import subprocess
from decimal import Decimal

import pytest
import time_machine

from common.errors import DomainError, RulesBroken
from contracts import pades
from contracts.models import SME_CLAUSE, ContractState, InstalmentKind, Signature
from contracts.services import (
    SIGNING,
    SIGNING_LIMIT,
    accept_draft,
    comment_on_draft,
    sign_contract,
    update_draft,
)
from procurement.models import AnnouncementKind, ProcurementKind
from procurement.services.plans import PlanLotValues
from tests.factories import PASSWORD
from timers.models import Clock

from .builders import NOTICE, PRICE, draft_values, drafted_contract, make_award

pytestmark = pytest.mark.django_db

SIGN_AT = NOTICE + dt.timedelta(hours=3)


def sign_both(cast, contract, *, at=SIGN_AT):
    with time_machine.travel(at, tick=False):
        sign_contract(contract=contract, password=PASSWORD, acting_user=cast.supplier)
        contract = sign_contract(contract=contract, password=PASSWORD, acting_user=cast.purchaser)
    return contract


def test_it_drafts_at_the_winning_price_on_the_bureaus_model_text(cast):
    contract = drafted_contract(cast)
    assert contract.amount == PRICE == contract.award.price
    assert contract.supplier == cast.supplier.memberships.get().organisation
    assert (contract.template.kind, contract.template.version) == (ProcurementKind.GOODS, 1)
    assert [(i.name, i.quantity, i.unit_price) for i in contract.items.all()] == [
        ("教学一体机", Decimal("1.000"), PRICE)
    ]
    # The bureau's default advance share, 30 % (RULES.md §8.1), then the rest on acceptance.
    assert contract.advance_share == Decimal("30")
    assert [(i.kind, i.amount) for i in contract.instalments.all()] == [
        (InstalmentKind.ADVANCE, Decimal("30000.00")),
        (InstalmentKind.FINAL, Decimal("70000.00")),
    ]
    assert contract.sme_clause is False
    assert contract.acceptance_plan.stages.count() == 1


def test_items_that_do_not_add_up_to_the_winning_price_are_refused_with_every_problem(cast):
    award = make_award(cast)
    values = draft_values(award, advance_share=Decimal("120"))
    values.items[0].unit_price = Decimal("99999.00")
    with pytest.raises(RulesBroken) as refused:
        from contracts.services import draft_contract

        draft_contract(award=award, values=values, acting_user=cast.purchaser)
    assert len(refused.value.messages) == 2
    assert "99,999.00" in refused.value.messages[0] and "100,000.00" in refused.value.messages[0]
    assert "第四十六条" in refused.value.messages[0]
    assert "0" in refused.value.messages[1] and "100" in refused.value.messages[1]


def test_a_lot_reserved_for_smes_carries_the_words_of_d46_art_14(cast):
    award = make_award(
        cast,
        lots=[
            PlanLotValues(
                name="教学一体机",
                kind=ProcurementKind.GOODS,
                budget=Decimal("1500000.00"),
                sme_reserved=True,
            )
        ],
    )
    contract = drafted_contract(cast, award=award)
    assert contract.sme_clause is True
    assert SME_CLAUSE == "本合同为中小企业预留合同"
    contract = sign_both(cast, contract)
    assert contract.announcement.data["contract"]["sme_clause"] == SME_CLAUSE


def test_the_supplier_comments_accepts_and_a_change_asks_it_again(cast):
    contract = drafted_contract(cast)
    comment_on_draft(contract=contract, text="交货期请改为45天", acting_user=cast.supplier)
    with pytest.raises(DomainError):
        accept_draft(contract=contract, acting_user=cast.purchaser)
    accept_draft(contract=contract, acting_user=cast.supplier)
    contract.refresh_from_db()
    assert contract.supplier_accepted_at is not None
    update_draft(
        contract=contract,
        values=draft_values(contract.award, delivery_days=45),
        acting_user=cast.purchaser,
    )
    contract.refresh_from_db()
    assert contract.delivery_days == 45 and contract.supplier_accepted_at is None
    with pytest.raises(DomainError):
        comment_on_draft(contract=contract, text="x", acting_user=cast.supplier2)


def test_both_sign_and_two_independent_validators_find_two_valid_signatures(cast, tmp_path):
    contract = sign_both(cast, drafted_contract(cast))
    assert contract.state == ContractState.SIGNED and contract.signed_at == SIGN_AT
    signatures = list(Signature.objects.filter(contract=contract).order_by("signed_at", "id"))
    assert [s.party for s in signatures] == ["supplier", "purchaser"]
    # The purchaser signed exactly the PDF the supplier's signature produced.
    import hashlib

    first = signatures[0].signed_pdf.file.open("rb").read()
    assert signatures[1].signed_sha256 == hashlib.sha256(first).hexdigest()
    signed = contract.pdf.file.open("rb").read()
    assert signed.startswith(first)  # the second signature is an incremental update

    found = pades.verify(signed)
    assert [(v.signer, v.valid, v.intact) for v in found] == [
        ("郑州甲科技有限公司", True, True),
        ("市教育局", True, True),
    ]
    assert [v.covers_whole_file for v in found] == [False, True]

    path = tmp_path / "contract.pdf"
    path.write_bytes(signed)
    report = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=True)
    assert report.stdout.count("Signature Validation: Signature is Valid.") == 2
    assert "Total document signed" in report.stdout
    assert "Signer Certificate Common Name: 市教育局" in report.stdout


def test_a_byte_changed_after_signing_is_detected(cast, tmp_path):
    contract = sign_both(cast, drafted_contract(cast))
    signed = bytearray(contract.pdf.file.open("rb").read())
    # A byte inside the first signed range (the document body), changed in place.
    at = signed.index(b"stream") + 20
    signed[at] = (signed[at] + 1) % 256
    found = pades.verify(bytes(signed))
    assert [v.intact for v in found] == [False, False]
    path = tmp_path / "tampered.pdf"
    path.write_bytes(bytes(signed))
    report = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True)
    assert "Signature is Valid." not in report.stdout
    assert report.stdout.count("Signature Validation: Digest Mismatch.") == 2


def test_a_wrong_password_signs_nothing_and_a_party_signs_once(cast):
    contract = drafted_contract(cast)
    with pytest.raises(DomainError) as refused:
        sign_contract(contract=contract, password="not-it", acting_user=cast.supplier)
    assert refused.value.code == "wrong_password"
    assert not Signature.objects.exists()
    with pytest.raises(DomainError):
        sign_contract(contract=contract, password=PASSWORD, acting_user=cast.supplier2)
    sign_contract(contract=contract, password=PASSWORD, acting_user=cast.supplier)
    with pytest.raises(DomainError) as again:
        sign_contract(contract=contract, password=PASSWORD, acting_user=cast.supplier)
    assert again.value.code == "already_signed"
    # Once signed by one party, the draft is frozen.
    with pytest.raises(DomainError):
        update_draft(
            contract=contract, values=draft_values(contract.award), acting_user=cast.purchaser
        )


def test_signed_by_both_the_contract_is_announced_without_its_secrets_and_filed(cast):
    contract = drafted_contract(cast, secret_parts="核心算法源代码")
    contract = sign_both(cast, contract)
    notice = contract.announcement
    assert notice.kind == AnnouncementKind.CONTRACT and notice.published_at == SIGN_AT
    assert list(notice.lots.all()) == [contract.lot]
    text = str(notice.data)
    assert "6222000011112222" not in text and "核心算法源代码" not in text
    assert notice.data["contract"]["secrets_left_out"] is True
    assert notice.data["contract"]["amount"] == "100000.00"
    assert contract.filed_at == SIGN_AT


def test_the_signing_clock_runs_from_the_award_notice_to_the_end_of_the_next_working_day(cast):
    award = make_award(cast)  # notice on Thursday 2026-03-26, 10:00 Beijing
    clock = Clock.objects.get(kind=SIGNING)
    assert clock.subject_id == award.pk and clock.started == NOTICE
    # 24:00 of Friday 2026-03-27 in Beijing.
    assert clock.due == dt.datetime(2026, 3, 27, 16, 0, tzinfo=dt.UTC)
    # GPL Art 46: 30 days from the notice, the last day (Saturday 2026-04-25) moved past a
    # day off by the calendar's period rule (RULES.md §2).
    limit = Clock.objects.get(kind=SIGNING_LIMIT)
    from contracts.services.clocks import signing_limit

    assert limit.due == signing_limit(NOTICE)
    assert limit.due >= dt.datetime(2026, 4, 25, 16, 0, tzinfo=dt.UTC)
    sign_both(cast, drafted_contract(cast, award=award))
    clock.refresh_from_db()
    limit.refresh_from_db()
    assert clock.met_at == SIGN_AT and limit.met_at == SIGN_AT


def test_a_notice_before_the_qingming_holiday_is_due_after_it(cast):
    # Friday 2026-04-03; 清明 2026-04-04 to 04-06: due at 24:00 of Tuesday 2026-04-07.
    make_award(cast, notice_issued_at=dt.datetime(2026, 4, 3, 2, 0, tzinfo=dt.UTC))
    assert Clock.objects.get(kind=SIGNING).due == dt.datetime(2026, 4, 7, 16, 0, tzinfo=dt.UTC)
