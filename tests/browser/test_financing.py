"""Contract financing end to end (issue 15 §7): the supplier applies from its home page, the bank's
officer approves from its to-do, both parties sign the account-change supplement, and the
purchaser's payment goes into the bank's collection account."""

from __future__ import annotations

import importlib
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.apps import apps
from django.db import connection

from contracts.models import Payment
from financing.models import Application, ApplicationState
from tests.contracts.payment_builders import signed_contract
from tests.financing.builders import product

from .conftest import PASSWORD, settle, shot, sign_in

COLLECTION = "41000100200300"


def _signed(cast):
    # The live-server tests flush the database: the bureau's model texts are written again.
    texts = importlib.import_module("contracts.migrations.0002_model_texts")
    try:
        texts.add_texts(apps, None)
        contract = signed_contract(cast)
        product(cast.bank)  # no rule: the officer decides
        return contract
    finally:
        connection.close()


@pytest.fixture
def new_page(browser):
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


def test_a_supplier_applies_and_the_purchaser_pays_into_the_collection_account(
    new_page, live_server, cast, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CONTRACT_SIGNING_DIR = tmp_path / "signing"
    # pyhanko's signing runs asyncio.run(): built in a thread of its own (as test_payment does).
    with ThreadPoolExecutor(max_workers=1) as pool:
        contract = pool.submit(_signed, cast).result()

    # 1. The supplier applies from its home page: one bank, 50,000 yuan for 6 months.
    supplier = new_page()
    sign_in(supplier, live_server, "supplier")
    supplier.click("[data-testid=supplier-financing] [data-testid=apply-link]")
    supplier.check("input[name=products] >> nth=0")
    supplier.fill("#id_amount", "50000")
    supplier.fill("#id_term_months", "6")
    shot(supplier, "financing-01-apply")
    supplier.click("[data-testid=apply-submit]")
    assert supplier.inner_text("[data-testid=application-state]") == "已申请"
    application = Application.objects.get()

    # 2. The bank's officer: from the to-do to the application, approves with its account.
    bank = new_page()
    sign_in(bank, live_server, "bank")
    bank.click("[data-kind='financing.to_decide'] [data-testid=todo-link]")
    assert bank.input_value("#id_account_number") == COLLECTION
    shot(bank, "financing-02-bank-decides")
    bank.click("[data-testid=approve]")
    bank.wait_for_selector("[data-testid=collection-account]")
    assert bank.inner_text("[data-testid=application-state]") == "已批准"
    application.refresh_from_db()
    assert application.state == ApplicationState.APPROVED

    # 3. The contract was signed before: both parties sign the account-change supplement.
    purchaser = new_page()
    sign_in(purchaser, live_server, "purchaser")
    supplier.goto(f"{live_server.url}/accounts/")
    for person in (supplier, purchaser):
        person.click("[data-kind='financing.to_sign_account_change'] [data-testid=todo-link]")
        person.fill("#id_password", PASSWORD)
        person.click("[data-testid=sign-change]")
        person.wait_for_selector(".alert-success")
    assert purchaser.inner_text("[data-testid=published]") != "双方签署后公开"
    shot(purchaser, "financing-03-supplement-published")

    # 4. The purchaser pays the advance: the form shows the one account it pays into.
    purchaser.goto(f"{live_server.url}/accounts/")
    purchaser.click("[data-kind='contracts.to_pay'] [data-testid=todo-link] >> nth=0")
    assert purchaser.inner_text("[data-testid=payee-account-number]") == COLLECTION
    purchaser.fill("#id_voucher_number", "GK-2026-0099")
    shot(purchaser, "financing-04-payment-form")
    purchaser.click("[data-testid=save-payment]")
    purchaser.wait_for_selector("[data-testid=voucher-row]:has-text('GK-2026-0099')")
    assert COLLECTION in purchaser.inner_text("[data-testid=paid-into]")
    payment = Payment.objects.get(contract=contract)
    assert payment.payee_account_number == COLLECTION
