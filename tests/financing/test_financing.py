"""Contract financing (issue 15 §1–§2, RULES.md §8.2): the bank's rule, the officer's clock, the
collection account fixed and locked, the supplement after signing, disbursement and repayment."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import translation

from accounts.todo import todo_items
from audit.models import Event
from common.errors import InvalidTransition, PermissionDenied, RulesBroken
from contracts.models import InstalmentKind
from contracts.services import initial_values, update_draft
from contracts.services.payment import record_payment
from financing import grades
from financing.models import AccountChange, ApplicationState
from financing.selectors import applications_for_user, on_time_share
from financing.services import (
    REVIEW_CLOCK,
    AccountValues,
    approve_application,
    change_collection_account,
    decline_application,
    record_disbursement,
    record_repayment,
    sign_account_change,
)
from tests.contracts.builders import draft_values, drafted_contract, make_award
from tests.contracts.payment_builders import signed_contract
from tests.factories import PASSWORD
from timers.models import Clock

from .builders import APPLY_AT, apply, product, second_bank

pytestmark = pytest.mark.django_db

ACCOUNT = AccountValues("中原银行郑州分行", "中原银行政采贷回款专户", "41000100200300")
OTHER = AccountValues("某银行", "郑州甲科技有限公司", "6222000099998888")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def approve(cast, application, *, account=ACCOUNT, amount="50000.00", at=APPLY_AT):
    with time_machine.travel(at + dt.timedelta(hours=1), tick=False):
        return approve_application(
            application=application,
            amount=Decimal(amount),
            rate=Decimal("3.85"),
            account=account,
            note="",
            acting_user=cast.bank,
        )


def test_it_approves_by_the_banks_rule_within_the_same_request(cast):
    award = make_award(cast)
    fast = product(cast.bank, auto_approve=True, auto_max_share=Decimal("60"))
    [application] = apply(cast, award, [fast], amount="60000.00")
    assert application.state == ApplicationState.APPROVED
    assert application.by_rule and application.decided_by is None
    assert application.decided_at == application.applied_at == APPLY_AT
    assert application.collection_account_number == "41000100200300"
    assert Event.objects.filter(action="financing.application.approved").count() == 1
    assert not Clock.objects.filter(kind=REVIEW_CLOCK).exists()


def test_it_sends_an_application_above_the_rules_share_to_an_officer_with_a_clock(cast):
    award = make_award(cast)
    fast = product(cast.bank, auto_approve=True, auto_max_share=Decimal("50"))
    [application] = apply(cast, award, [fast], amount="50000.01")
    assert application.state == ApplicationState.APPLIED
    clock = Clock.objects.for_subject(application).get(kind=REVIEW_CLOCK)
    # 5 working days from Thursday 2026-03-26: Thursday 2026-04-02, at 24:00 (Beijing).
    assert clock.due == dt.datetime(2026, 4, 2, 16, 0, tzinfo=dt.UTC)
    assert clock.responsible == application.bank
    [item] = [i for i in todo_items(cast.bank) if i.kind == "financing.to_decide"]
    assert item.due == clock.due and str(application.pk) in item.url
    approve(cast, application)
    clock.refresh_from_db()
    assert clock.met_at is not None
    assert not [i for i in todo_items(cast.bank) if i.kind == "financing.to_decide"]
    assert [i.kind for i in todo_items(cast.bank) if i.kind.startswith("financing")] == [
        "financing.to_disburse"
    ]


def test_the_rule_needs_the_grade_and_the_purchasers_on_time_share(cast, monkeypatch):
    award = make_award(cast)
    strict = product(
        cast.bank, auto_approve=True, auto_min_grade="B", auto_min_on_time=Decimal("90")
    )
    monkeypatch.setattr(grades, "supplier_grade", lambda org: "A")
    monkeypatch.setattr("financing.services.supplier_grade", lambda org: "A")
    # The purchaser has no payment fallen due: no share, and a minimum above 0 is not met.
    [application] = apply(cast, award, [strict])
    assert application.supplier_grade == "A" and application.purchaser_on_time is None
    assert application.state == ApplicationState.APPLIED


def test_grades_compare_best_first():
    assert grades.grade_at_least("A", "B") and grades.grade_at_least("B", "B")
    assert not grades.grade_at_least("C", "B") and not grades.grade_at_least(None, "D")
    assert grades.grade_at_least(None, "")
    # Until the credit app is merged, no grade.
    assert grades.supplier_grade(object()) is None


def test_the_on_time_share_counts_the_purchasers_payment_clocks(cast):
    from accounts.selectors import organisation_of
    from contracts.services.payment import PAYMENT
    from timers.services import meet_clock, start_clock

    purchaser = organisation_of(cast.purchaser)
    contract = signed_contract(cast)
    instalment = contract.instalments.get(kind=InstalmentKind.ADVANCE)
    clock = Clock.objects.for_subject(instalment).get(kind=PAYMENT)
    # The advance clock started at signing; met before due: 100 %.
    meet_clock(subject=instalment, kind=PAYMENT, at=clock.due - dt.timedelta(hours=1))
    assert on_time_share(purchaser, now=clock.due) == Decimal("100.00")
    final = contract.instalments.get(kind=InstalmentKind.FINAL)
    start_clock(subject=final, kind=PAYMENT, due=clock.due, responsible=purchaser)
    # Open past due: it counts against the share, as on the bureau's dashboard.
    assert on_time_share(purchaser, now=clock.due + dt.timedelta(days=1)) == Decimal("50.00")


def test_a_bank_sees_only_the_applications_addressed_to_it(cast, client):
    other = second_bank()
    award = make_award(cast)
    mine = product(cast.bank)
    theirs = product(other, collection_account_number="41999")
    to_me, to_them = apply(cast, award, [mine, theirs])
    assert list(applications_for_user(cast.bank)) == [to_me]
    assert list(applications_for_user(other)) == [to_them]
    assert set(applications_for_user(cast.supplier)) == {to_me, to_them}
    for user in (cast.supplier2, cast.agency, cast.expert, cast.outsider, cast.purchaser):
        assert not applications_for_user(user).exists()
    client.force_login(cast.bank)
    assert client.get(f"/financing/applications/{to_me.pk}/").status_code == 200
    assert client.get(f"/financing/applications/{to_them.pk}/").status_code == 404
    with pytest.raises(PermissionDenied):
        approve(cast, to_them)


def test_only_the_winning_supplier_applies(cast):
    award = make_award(cast)
    with pytest.raises(PermissionDenied), time_machine.travel(APPLY_AT, tick=False):
        from financing.services import apply_for_financing

        apply_for_financing(
            award=award,
            products=[product(cast.bank)],
            amount=Decimal("1000"),
            term_months=6,
            acting_user=cast.supplier2,
        )


def test_it_refuses_more_than_the_products_share_and_term(cast):
    award = make_award(cast)
    with pytest.raises(RulesBroken) as refused:
        apply(cast, award, [product(cast.bank)], amount="80000.01", term=13)
    assert len(refused.value.messages) == 2


def test_approval_before_the_draft_fills_and_locks_the_drafts_payee_account(cast):
    award = make_award(cast)
    [application] = apply(cast, award, [product(cast.bank)])
    approve(cast, application)
    values = initial_values(award)
    assert (values.supplier_bank_name, values.supplier_account_number) == (
        "中原银行郑州分行",
        "41000100200300",
    )
    with pytest.raises(RulesBroken, match="changes only with the bank's consent"):
        drafted_contract(cast, award=award)  # the builder writes the supplier's own account
    contract = drafted_contract(
        cast,
        award=award,
        supplier_bank_name=ACCOUNT.bank_name,
        supplier_account_name=ACCOUNT.account_name,
        supplier_account_number=ACCOUNT.account_number,
    )
    assert contract.supplier_account_number == "41000100200300"
    assert application.current_contract == contract


def test_approval_of_a_draft_writes_the_account_and_refuses_a_change_without_consent(cast):
    contract = drafted_contract(cast)
    [application] = apply(cast, contract.award, [product(cast.bank)])
    assert application.contract == contract
    approve(cast, application)
    contract.refresh_from_db()
    assert contract.supplier_account_number == "41000100200300"
    assert contract.history.first().history_change_reason.startswith("collection account")
    assert not AccountChange.objects.exists()
    with pytest.raises(RulesBroken, match="changes only with the bank's consent"):
        update_draft(
            contract=contract, values=draft_values(contract.award), acting_user=cast.purchaser
        )
    for user in (cast.supplier, cast.purchaser):
        with pytest.raises(PermissionDenied):
            change_collection_account(application=application, account=OTHER, acting_user=user)
    # The bank consents: its change reaches the contract.
    change_collection_account(application=application, account=OTHER, acting_user=cast.bank)
    contract.refresh_from_db()
    assert contract.supplier_account_number == OTHER.account_number


def test_after_signing_the_account_changes_by_a_published_supplement(cast):
    contract = signed_contract(cast)
    old = contract.supplier_account_number
    [application] = apply(cast, contract.award, [product(cast.bank)])
    approve(cast, application)
    change = AccountChange.objects.get()
    contract.refresh_from_db()
    assert contract.supplier_account_number == old  # not before both signed
    assert [i.kind for i in todo_items(cast.purchaser) if i.kind.startswith("financing")] == [
        "financing.to_sign_account_change"
    ]
    with pytest.raises(PermissionDenied):
        sign_account_change(change=change, password=PASSWORD, acting_user=cast.supplier2)
    sign_account_change(change=change, password=PASSWORD, acting_user=cast.purchaser)
    with pytest.raises(InvalidTransition):
        sign_account_change(change=change, password=PASSWORD, acting_user=cast.purchaser)
    change = sign_account_change(change=change, password=PASSWORD, acting_user=cast.supplier)
    assert change.published_at is not None
    contract.refresh_from_db()
    assert contract.supplier_account_number == "41000100200300"
    assert not [i for i in todo_items(cast.supplier) if i.kind.startswith("financing.to_sign")]
    # The purchaser's payment now goes into the collection account, the only one.
    with time_machine.travel(APPLY_AT + dt.timedelta(hours=3), tick=False):
        payment = record_payment(
            contract=contract,
            kind=InstalmentKind.ADVANCE,
            voucher_number="PZ-1",
            paid_on=dt.date(2026, 3, 26),
            amount=Decimal("30000.00"),
            acting_user=cast.purchaser,
        )
    assert payment.payee_account_number == "41000100200300"


def test_a_second_bank_cannot_approve_once_one_finances_the_contract(cast):
    other = second_bank()
    award = make_award(cast)
    first, second = apply(cast, award, [product(cast.bank), product(other)])
    approve(cast, first)
    with pytest.raises(InvalidTransition), time_machine.travel(APPLY_AT, tick=False):
        approve_application(
            application=second,
            amount=Decimal("1000"),
            rate=Decimal("4"),
            account=OTHER,
            note="",
            acting_user=other,
        )


def test_the_bank_records_disbursement_and_repayment(cast):
    award = make_award(cast)
    [application] = apply(cast, award, [product(cast.bank)])
    approve(cast, application)
    with time_machine.travel(APPLY_AT + dt.timedelta(days=1), tick=False):
        with pytest.raises(RulesBroken):
            record_disbursement(
                application=application,
                amount=Decimal("50000.01"),
                disbursed_on=dt.date(2026, 3, 27),
                acting_user=cast.bank,
            )
        with pytest.raises(PermissionDenied):
            record_disbursement(
                application=application,
                amount=Decimal("50000"),
                disbursed_on=dt.date(2026, 3, 27),
                acting_user=cast.supplier,
            )
        record_disbursement(
            application=application,
            amount=Decimal("50000"),
            disbursed_on=dt.date(2026, 3, 27),
            acting_user=cast.bank,
        )
    with time_machine.travel(APPLY_AT + dt.timedelta(days=60), tick=False):
        application = record_repayment(
            application=application,
            amount=Decimal("50800"),
            repaid_on=dt.date(2026, 5, 20),
            acting_user=cast.bank,
        )
    assert application.state == ApplicationState.REPAID
    assert list(application.history.order_by("history_date").values_list("state", flat=True)) == [
        "applied",
        "approved",
        "disbursed",
        "repaid",
    ]


def test_a_declined_application_needs_a_reason_and_tells_the_supplier(cast):
    award = make_award(cast)
    [application] = apply(cast, award, [product(cast.bank)])
    with pytest.raises(RulesBroken):
        decline_application(application=application, note=" ", acting_user=cast.bank)
    decline_application(application=application, note="经营年限不足", acting_user=cast.bank)
    application.refresh_from_db()
    assert application.state == ApplicationState.DECLINED
    assert application.supplier.pk == cast.supplier.memberships.get().organisation_id


def test_the_financing_notice_is_a_pdf_for_the_purchaser(cast, client):
    award = make_award(cast)
    [application] = apply(cast, award, [product(cast.bank)])
    client.force_login(cast.purchaser)
    # Not approved yet: the purchaser does not see the application.
    assert client.get(f"/financing/applications/{application.pk}/notice.pdf").status_code == 404
    approve(cast, application)
    response = client.get(f"/financing/applications/{application.pk}/notice.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    client.force_login(cast.purchaser2)
    assert client.get(f"/financing/applications/{application.pk}/notice.pdf").status_code == 404


def test_only_the_bank_of_the_application_acts_on_its_page(cast, client):
    award = make_award(cast)
    [application] = apply(cast, award, [product(cast.bank)])
    client.force_login(cast.supplier)
    response = client.post(f"/financing/applications/{application.pk}/decline/", {"note": "x"})
    assert response.status_code == 403
    client.force_login(cast.supplier2)
    response = client.post(f"/financing/applications/{application.pk}/decline/", {"note": "x"})
    assert response.status_code == 404


def test_the_lists_run_a_fixed_number_of_queries(cast, client, django_assert_num_queries):
    award = make_award(cast)
    other = second_bank()
    apply(cast, award, [product(cast.bank), product(other)])
    client.force_login(cast.supplier)
    client.get("/financing/applications/")
    with django_assert_num_queries(5):
        assert client.get("/financing/applications/").status_code == 200
    client.logout()
    with django_assert_num_queries(1):  # the products with their banks, in one query
        assert client.get("/financing/products/").status_code == 200


OBJECT_URLS = [
    "detail",
    "approve",
    "decline",
    "disburse",
    "repay",
    "change_account",
    "notice_pdf",
]


def test_every_application_url_refuses_every_other_role(cast, client):
    from django.urls import reverse

    award = make_award(cast)
    [application] = apply(cast, award, [product(cast.bank)])
    approve(cast, application)
    other_bank = second_bank()
    change_page = reverse("financing:product_edit", args=[application.product_id])
    for user in (
        cast.supplier2,
        cast.purchaser2,
        cast.agency,
        cast.expert,
        cast.outsider,
        other_bank,
    ):
        client.force_login(user)
        for name in OBJECT_URLS:
            url = reverse(f"financing:{name}", args=[application.pk])
            response = (
                client.post(url) if name != "detail" and name != "notice_pdf" else client.get(url)
            )
            assert response.status_code == 404, (user, name)
        assert client.get(change_page).status_code in (403, 404), user
    client.logout()
    assert client.get(reverse("financing:detail", args=[application.pk])).status_code == 302
