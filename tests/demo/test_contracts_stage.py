"""The contracts demo stage (issue 12 §8): a contract at each step, one signed in PAdES, one
payment overdue with its interest; the bank sees none of it."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from accounts.models import User
from accounts.todo import todo_items
from contracts import pades
from contracts.models import Acceptance, Contract, ContractState, Delivery, Payment
from contracts.selectors_payment import payment_status
from contracts.terms import late_interest
from demo.stages import DemoContext, s80_contracts, stage_modules
from procurement.models import Announcement, AnnouncementKind, AnnouncementStatus
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


def contract_of(project: str) -> Contract:
    return Contract.objects.select_related("lot__project").get(lot__project__name=project)


def client_for(username: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(User.objects.get(username=username))
    return client


def test_it_leaves_a_contract_at_each_step(demo):
    drafted = contract_of(s80_contracts.AWARDED_PROJECT)
    assert drafted.state == ContractState.DRAFTED
    assert contract_of(s80_contracts.SIGNED_PROJECT).state == ContractState.SIGNED
    assert contract_of(s80_contracts.DELIVERED_PROJECT).state == ContractState.DELIVERED
    assert contract_of(s80_contracts.OVERDUE_PROJECT).state == ContractState.ACCEPTED
    closed = contract_of(s80_contracts.CLOSED_PROJECT)
    assert closed.state == ContractState.CLOSED
    assert payment_status(closed).outstanding == 0
    assert all(p.confirmed_by_supplier_at for p in Payment.objects.filter(contract=closed))
    # Every contract is the purchaser's with 华信, the `supplier` of the demo.
    parties = {(c.purchaser, c.supplier) for c in Contract.objects.all()}
    assert parties == {
        (demo.orgs["purchaser1"], demo.users["supplier"].memberships.get().organisation)
    }
    # The supplier has the draft to review.
    kinds = [i.kind for i in todo_items(demo.users["supplier"])]
    assert "contracts.to_review" in kinds


def test_the_signed_contract_carries_two_valid_pades_signatures_and_is_announced(demo):
    contract = contract_of(s80_contracts.SIGNED_PROJECT)
    response = client_for("supplier").get(reverse("contracts:pdf", args=[contract.pk]))
    assert response.status_code == 200
    pdf = b"".join(response.streaming_content) if response.streaming else response.content
    # pyhanko's own validator, trusting only the development CA's root.
    context = ValidationContext(trust_roots=[pades.root_certificate()], allow_fetching=False)
    signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
    assert len(signatures) == 2
    statuses = [validate_pdf_signature(s, context) for s in signatures]
    assert all(s.intact and s.valid and s.trusted for s in statuses)
    signers = [s.signing_cert.subject.native["common_name"] for s in statuses]
    assert sorted(signers) == sorted([contract.supplier.name, contract.purchaser.name])
    assert statuses[-1].coverage.name == "ENTIRE_FILE"
    notice = Announcement.objects.get(kind=AnnouncementKind.CONTRACT, project=contract.lot.project)
    assert notice.status == AnnouncementStatus.PUBLISHED
    assert Client().get(reverse("portal:announcement", args=[notice.pk])).status_code == 200


def test_the_overdue_instalment_shows_its_interest_on_the_suppliers_owed_page(demo):
    contract = contract_of(s80_contracts.OVERDUE_PROJECT)
    today = timezone.localdate(timezone=SHANGHAI)
    final = contract.instalments.get(kind="final")
    assert final.legal_due_on is not None and final.legal_due_on < today
    expected = late_interest(amount=final.amount, due=final.legal_due_on, paid_on=today)
    assert expected > 0
    page = client_for("supplier").get(reverse("contracts:owed")).content.decode()
    row = next(r for r in page.split('data-testid="owed-row"')[1:] if contract.number in r)
    shown = re.search(r'data-testid="owed-interest">([^<]+)<', row).group(1)
    assert Decimal(shown.replace(",", "").strip()) == expected
    detail = client_for("supplier").get(reverse("contracts:detail", args=[contract.pk]))
    assert f"{expected:,.2f}" in detail.content.decode()


def test_the_purchasers_todo_lists_acceptance_and_payment_with_due_times(demo):
    items = todo_items(demo.users["purchaser"])
    by_kind = {}
    for item in items:
        by_kind.setdefault(item.kind, []).append(item)
    delivered = contract_of(s80_contracts.DELIVERED_PROJECT)
    (accept,) = by_kind["contracts.to_accept"]
    delivery = Delivery.objects.get(contract=delivered)
    assert accept.url == reverse("contracts:record_acceptance", args=[delivery.pk])
    assert accept.due is not None and accept.due > timezone.now()
    pays = by_kind["contracts.to_pay"]
    assert all(item.due is not None for item in pays)
    overdue = contract_of(s80_contracts.OVERDUE_PROJECT)
    late = reverse("contracts:payment_new", args=[overdue.pk])
    assert any(item.overdue(timezone.now()) and item.url == late for item in pays)
    legal = overdue.instalments.get(kind="final").legal_due_on.isoformat()
    assert any(legal in item.note for item in pays if item.url == late)  # the legal date beside
    # The advance of the contract signed today is owed by the clock, not yet late.
    signed = contract_of(s80_contracts.SIGNED_PROJECT)
    advance = reverse("contracts:payment_new", args=[signed.pk])
    assert any(item.url == advance and not item.overdue(timezone.now()) for item in pays)


def test_the_bureau_dashboard_counts_the_overdue_payment(demo):
    response = client_for("bureau").get(reverse("supervision:dashboard"))
    overview = response.context["overview"]
    overdue = [o for o in overview.overdue if o.clock.kind == "contracts.payment"]
    contract = contract_of(s80_contracts.OVERDUE_PROJECT)
    assert [o.clock.subject_id for o in overdue] == [contract.instalments.get(kind="final").pk]
    payment = next(t for t in overview.by_stage if t.kind == "contracts.payment")
    assert payment.overdue == 1 and payment.on_time >= 4
    assert overview.counts.overdue >= 1


def test_the_closed_public_service_has_its_acceptance_announcement(demo):
    contract = contract_of(s80_contracts.CLOSED_PROJECT)
    acceptance = Acceptance.objects.get(contract=contract)
    assert acceptance.accepted_on is not None
    notice = Announcement.objects.get(
        project=contract.lot.project, kind=AnnouncementKind.ACCEPTANCE
    )
    assert notice.status == AnnouncementStatus.PUBLISHED


def test_the_bank_gets_404_on_every_contract_url(demo):
    bank = client_for("bank")
    pages, writes = [], []  # read with GET; the transitions and forms with POST
    for contract in Contract.objects.all():
        pages += [
            reverse(f"contracts:{name}", args=[contract.pk])
            for name in ("detail", "edit", "pdf", "payments", "payment_new", "dispute_new",
                         "deliver", "supplementary_new")
        ]  # fmt: skip
        writes += [
            reverse(f"contracts:{name}", args=[contract.pk])
            for name in ("edit", "comment", "accept", "sign", "payment_new", "dispute_new",
                         "deliver", "supplementary_new")
        ]  # fmt: skip
        pages.append(reverse("contracts:draft", args=[contract.award_id]))
        writes.append(reverse("contracts:draft", args=[contract.award_id]))
    for delivery in Delivery.objects.all():
        pages.append(reverse("contracts:record_acceptance", args=[delivery.pk]))
        writes.append(reverse("contracts:record_acceptance", args=[delivery.pk]))
    for acceptance in Acceptance.objects.all():
        pages.append(reverse("contracts:acceptance", args=[acceptance.pk]))
        pages.append(reverse("contracts:acceptance_pdf", args=[acceptance.pk]))
    for payment in Payment.objects.all():
        writes.append(reverse("contracts:payment_confirm", args=[payment.pk]))
    assert len(pages) + len(writes) > 80
    refused = {("GET", url): bank.get(url).status_code for url in pages}
    refused |= {("POST", url): bank.post(url).status_code for url in writes}
    assert set(refused.values()) == {404}, {u: s for u, s in refused.items() if s != 404}
    # Its contract list is empty, the purchaser's and supplier's pages are not its own.
    assert "暂无合同" in bank.get(reverse("contracts:list")).content.decode()
    assert bank.get(reverse("contracts:owed")).status_code == 403
    assert bank.get(reverse("contracts:dashboard")).status_code == 403


def test_the_banks_home_says_what_it_can_do_today(demo):
    page = client_for("bank").get(reverse("accounts:home")).content.decode()
    assert 'data-testid="bank-today"' in page
    assert reverse("portal:announcements") + "?kind=contract" in page


def test_seeding_again_adds_no_contract(demo):
    before = (Contract.objects.count(), Payment.objects.count(), Acceptance.objects.count())
    s80_contracts.run(DemoContext(orgs=demo.orgs, users=demo.users))
    assert (Contract.objects.count(), Payment.objects.count(), Acceptance.objects.count()) == (
        before
    )
