"""The financing demo stage (issue 15 §6): two banks with products, an approval by rule within
the same request, an officer's approval and disbursement, a refusal, one waiting on the clock, a
contract paid into its bank's collection account, and the statistics over it."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings

from accounts.models import User
from accounts.todo import todo_items
from contracts.models import Contract, Payment
from demo.stages import DemoContext, s90_financing, stage_modules
from financing.models import AccountChange, Application, ApplicationState, Product
from policy.selectors import statistics

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_dirs(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-media"), tmp_path_factory.mktemp("demo-signing")


@pytest.fixture(autouse=True)
def dirs(settings, demo_dirs):
    settings.MEDIA_ROOT, settings.CONTRACT_SIGNING_DIR = demo_dirs


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, demo_dirs):
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


def test_it_leaves_an_application_at_each_step(demo):
    assert Product.objects.values("bank").distinct().count() == 2
    states = {(a.state, a.by_rule) for a in Application.objects.all()}
    assert states == {
        (ApplicationState.APPROVED, True),
        (ApplicationState.DISBURSED, False),
        (ApplicationState.DECLINED, False),
        (ApplicationState.APPLIED, False),
    }
    by_rule = Application.objects.get(by_rule=True)
    assert by_rule.decided_at == by_rule.applied_at
    # The officer's queue: one to decide, on its clock.
    kinds = [i.kind for i in todo_items(User.objects.get(username="bank2"))]
    assert kinds.count("financing.to_decide") == 1
    assert all(i.due for i in todo_items(User.objects.get(username="bank2")))
    # The contract signed before its financing waits for the parties' supplement.
    assert AccountChange.objects.filter(published_at__isnull=True).count() == 1


def test_the_contract_financed_before_signing_is_paid_into_the_collection_account(demo):
    contract = Contract.objects.get(lot__project__name=s90_financing.FINANCED_PROJECT)
    application = Application.objects.get(award=contract.award)
    assert contract.supplier_account_number == application.collection_account_number
    [payment] = Payment.objects.filter(contract=contract)
    assert payment.payee_account_number == application.collection_account_number
    assert statistics().financing == sum(a.disbursed_amount for a in Application.objects.granted())


def test_the_pages_show_it(demo):
    bank = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    bank.force_login(User.objects.get(username="bank"))
    page = bank.get("/financing/applications/").content.decode()
    assert page.count('data-testid="application-row"') == 1  # its own only
    assert Client().get("/financing/products/").status_code == 200
    assert Client().get("/policy/statistics/").status_code == 200
