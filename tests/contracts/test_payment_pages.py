"""Payment pages: who sees and does what on each URL, the forms driving the services, late
interest shown to the fen, and the supplier's "owed to me" page in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from contracts.models import ContractState, InstalmentKind, Payment
from contracts.services.payment import dispute_part, record_payment

from .payment_builders import accepted_contract, beijing, signed_contract

pytestmark = pytest.mark.django_db

OTHERS = ["purchaser2", "agency", "supplier2", "expert", "bank", "outsider"]


def _payment(cast, contract, *, paid_on=dt.date(2026, 3, 27)):
    with time_machine.travel(beijing(2026, 3, 27, 10, 0), tick=False):
        return record_payment(
            contract=contract,
            kind=InstalmentKind.ADVANCE,
            voucher_number="PZ-1",
            paid_on=paid_on,
            amount=Decimal("30000.00"),
            acting_user=cast.purchaser,
        )


def test_every_other_role_is_refused_on_every_payment_url(client, cast):
    contract = signed_contract(cast)
    payment = _payment(cast, contract)
    final = contract.instalments.get(kind=InstalmentKind.FINAL)
    dispute = dispute_part(
        instalment=final, amount=Decimal("1"), reason="r", acting_user=cast.purchaser
    )
    urls = [
        ("get", reverse("contracts:payments", args=[contract.pk])),
        ("get", reverse("contracts:payment_new", args=[contract.pk])),
        ("post", reverse("contracts:payment_new", args=[contract.pk])),
        ("get", reverse("contracts:dispute_new", args=[contract.pk])),
        ("post", reverse("contracts:payment_confirm", args=[payment.pk])),
        ("post", reverse("contracts:dispute_settle", args=[dispute.pk])),
    ]
    for name in OTHERS:
        client.force_login(getattr(cast, name))
        for method, url in urls:
            response = getattr(client, method)(url, {"settlement": "x"})
            assert response.status_code == 404, (name, url)
    # The bureau reads, and does nothing.
    client.force_login(cast.bureau)
    assert client.get(urls[0][1]).status_code == 200
    for method, url in urls[1:]:
        assert getattr(client, method)(url, {"settlement": "x"}).status_code == 403, url
    # The supplier confirms, never records; the purchaser records, never confirms.
    client.force_login(cast.supplier)
    for method, url in urls[1:4] + urls[5:]:
        assert getattr(client, method)(url, {"settlement": "x"}).status_code == 403, url
    client.force_login(cast.purchaser)
    assert client.post(urls[4][1]).status_code == 403
    payment.refresh_from_db()
    dispute.refresh_from_db()
    assert payment.confirmed_by_supplier_at is None and dispute.settled_at is None
    # The owed page is the supplier's: every other role is refused.
    for name in ["purchaser", "agency", "expert", "bank", "outsider", "bureau"]:
        client.force_login(getattr(cast, name))
        assert client.get(reverse("contracts:owed")).status_code == 403, name
    client.logout()
    assert client.get(urls[0][1]).status_code == 302


def test_the_purchaser_records_through_the_form_and_the_supplier_confirms(client, cast):
    contract = signed_contract(cast)
    client.force_login(cast.purchaser)
    with time_machine.travel(beijing(2026, 3, 27, 10, 0), tick=False):
        page = client.get(reverse("contracts:detail", args=[contract.pk]))
        assert 'data-testid="payment-section"' in page.content.decode()
        form = client.get(reverse("contracts:payment_new", args=[contract.pk]))
        assert form.context["form"].initial["amount"] == Decimal("30000.00")
        data = {"kind": "advance", "voucher_number": "PZ-1", "paid_on": "2026-03-27"}
        response = client.post(
            reverse("contracts:payment_new", args=[contract.pk]), {**data, "amount": "30000.00"}
        )
        assert response.status_code == 302
        again = client.post(
            reverse("contracts:payment_new", args=[contract.pk]), {**data, "amount": "1"}
        )
        assert again.status_code == 200 and "PZ-1" in str(again.context["form"].non_field_errors())
    payment = Payment.objects.get()
    client.force_login(cast.supplier)
    listing = client.get(reverse("contracts:payments", args=[contract.pk])).content.decode()
    assert "PZ-1" in listing and 'data-testid="confirm-receipt"' in listing
    client.post(reverse("contracts:payment_confirm", args=[payment.pk]))
    payment.refresh_from_db()
    assert payment.confirmed_by == cast.supplier


def test_an_overdue_sme_payment_shows_its_interest_to_the_fen_on_both_pages(client, cast):
    contract = accepted_contract(cast)  # final 70,000.00 legally due 2026-05-06
    with time_machine.travel(beijing(2026, 5, 16, 10, 0), tick=False):
        client.force_login(cast.purchaser)
        page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
        assert "350.00" in page and 'data-testid="interest-accrued"' in page
        assert "2026-05-06" in page
        client.force_login(cast.supplier)
        owed = client.get(reverse("contracts:owed"))
        [row] = owed.context["rows"]
        assert (row.days_overdue, row.interest) == (10, Decimal("350.00"))
        assert row.status.outstanding == Decimal("100000.00")
        assert row.status.owed_since == contract.instalments.get(kind="advance").owed_since
        html = owed.content.decode()
        assert "350.00" in html and contract.number in html
        home = client.get(reverse("accounts:home")).content.decode()
        assert reverse("contracts:owed") in home and contract.number in home


def test_the_owed_page_runs_a_fixed_number_of_queries(client, cast, django_assert_max_num_queries):
    signed_contract(cast)
    client.force_login(cast.supplier)
    with django_assert_max_num_queries(12) as few:
        assert len(client.get(reverse("contracts:owed")).context["rows"]) == 1
    signed_contract(cast)
    accepted_contract(cast)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(reverse("contracts:owed")).context["rows"]) == 3


def test_a_closed_contract_is_no_longer_owed(client, cast):
    contract = accepted_contract(cast)
    from contracts.services.payment import confirm_receipt

    with time_machine.travel(beijing(2026, 4, 7, 10, 0), tick=False):
        for kind, amount, voucher in [("advance", "30000", "A"), ("final", "70000", "F")]:
            payment = record_payment(
                contract=contract,
                kind=kind,
                voucher_number=voucher,
                paid_on=dt.date(2026, 4, 7),
                amount=Decimal(amount),
                acting_user=cast.purchaser,
            )
            confirm_receipt(payment=payment, acting_user=cast.supplier)
    contract.refresh_from_db()
    assert contract.state == ContractState.CLOSED
    client.force_login(cast.supplier)
    assert client.get(reverse("contracts:owed")).context["rows"] == []
