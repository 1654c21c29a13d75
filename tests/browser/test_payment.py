"""The purchaser records a payment and the supplier confirms receipt, each by clicking from its
workspace (issue 12 §6); the supplier reads what it is owed, with the late interest (§7)."""

from __future__ import annotations

import importlib
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.apps import apps
from django.db import connection

from contracts.models import ContractState, Payment
from tests.contracts.payment_builders import accepted_contract

from .conftest import settle, shot, sign_in


def _accepted(cast):
    # The live-server tests flush the database: the bureau's model texts (a data migration)
    # are written again.
    texts = importlib.import_module("contracts.migrations.0002_model_texts")
    try:
        texts.add_texts(apps, None)
        return accepted_contract(cast)
    finally:
        connection.close()  # this thread's connection, before the test database is flushed


@pytest.fixture
def new_page(browser):
    """A fresh browser context per person, so each signs in on their own."""
    contexts = []

    def make():
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        settle(context)
        context.close()


def test_the_purchaser_pays_and_the_supplier_confirms_receipt(
    new_page, live_server, cast, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CONTRACT_SIGNING_DIR = tmp_path / "signing"
    # Accepted 2026-04-03: the final 70,000.00 was legally due on 2026-05-06, long past today.
    # Built in a thread of its own: pyhanko's signing runs asyncio.run(), which cannot run in
    # the thread where Playwright's event loop is already running.
    with ThreadPoolExecutor(max_workers=1) as pool:
        contract = pool.submit(_accepted, cast).result()

    # 1. The purchaser: from the to-do to the payment form, prefilled with the advance.
    purchaser = new_page()
    sign_in(purchaser, live_server, "purchaser")
    purchaser.click("[data-kind='contracts.to_pay'] [data-testid=todo-link] >> nth=0")
    assert purchaser.input_value("#id_amount") == "30000.00"
    purchaser.fill("#id_voucher_number", "GK-2026-0001")
    shot(purchaser, "payment-01-record-form")
    purchaser.click("[data-testid=save-payment]")
    purchaser.wait_for_selector("[data-testid=voucher-row]:has-text('GK-2026-0001')")
    shot(purchaser, "payment-02-voucher-list")
    purchaser.click(f"main a[href$='/contracts/{contract.pk}/']")
    purchaser.wait_for_selector("[data-testid=payment-section]")
    assert "70,000.00" in purchaser.inner_text("[data-testid=payment-schedule]")
    assert purchaser.is_visible("[data-testid=interest-accrued]")
    shot(purchaser, "payment-03-contract-section")

    # 2. The supplier: from the to-do to the voucher list, confirms receipt.
    supplier = new_page()
    sign_in(supplier, live_server, "supplier")
    supplier.wait_for_selector("[data-testid=home-owed]")
    shot(supplier, "payment-04-supplier-home")
    supplier.click("[data-kind='contracts.to_confirm_receipt'] [data-testid=todo-link]")
    supplier.click("[data-testid=confirm-receipt]")
    supplier.wait_for_selector("[data-testid=confirmed]")
    shot(supplier, "payment-05-receipt-confirmed")
    payment = Payment.objects.get()
    assert payment.confirmed_by == cast.supplier and payment.voucher_number == "GK-2026-0001"

    # 3. What it is still owed, since when and with what interest.
    supplier.goto(f"{live_server.url}/accounts/")
    supplier.click("[data-testid=home-owed-all]")
    supplier.wait_for_selector("[data-testid=owed-row]")
    assert contract.number in supplier.inner_text("[data-testid=owed-list]")
    shot(supplier, "payment-06-owed-to-me")
    contract.refresh_from_db()
    assert contract.state == ContractState.ACCEPTED
