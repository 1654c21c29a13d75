"""Delivery and acceptance pages: who may open each URL, the forms driving the services with
every error shown, the to-do items coming and going, and the contract page's section."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from accounts.todo import todo_items
from contracts.models import AcceptanceResult, ContractState, Delivery
from tests.factories import PASSWORD

from .acceptance_builders import (
    DELIVERED_AT,
    DUE,
    RECORDED_AT,
    accept,
    deliver,
    document,
    signed_contract,
)

pytestmark = pytest.mark.django_db


def zh(text: str) -> str:
    """The words as the page shows them (the site speaks Chinese)."""
    with translation.override("zh-hans"):
        return translation.gettext(text)


OTHERS = ["purchaser2", "agency", "supplier2", "expert", "bank", "outsider"]


def _urls(contract, delivery, acceptance) -> list[tuple[str, str]]:
    return [
        ("get", reverse("contracts:deliver", args=[contract.pk])),
        ("post", reverse("contracts:deliver", args=[contract.pk])),
        ("get", reverse("contracts:record_acceptance", args=[delivery.pk])),
        ("post", reverse("contracts:record_acceptance", args=[delivery.pk])),
        ("get", reverse("contracts:acceptance", args=[acceptance.pk])),
        ("post", reverse("contracts:acceptance", args=[acceptance.pk])),
        ("get", reverse("contracts:acceptance_pdf", args=[acceptance.pk])),
    ]


def _kinds(user, prefix=("contracts.to_deliver", "contracts.to_accept", "contracts.to_sign_a")):
    return [(i.kind, i.due) for i in todo_items(user) if i.kind.startswith(prefix)]


def test_every_other_role_is_refused_on_every_delivery_and_acceptance_url(client, cast):
    contract = signed_contract(cast)
    delivery = deliver(cast, contract)
    acceptance = accept(cast, delivery)
    report = acceptance.report_pdf
    for name in OTHERS:
        client.force_login(getattr(cast, name))
        for method, url in _urls(contract, delivery, acceptance):
            response = getattr(client, method)(url, {"password": PASSWORD})
            assert response.status_code == 404, (name, method, url)
        download = client.get(reverse("documents:download", args=[report.uuid]))
        assert download.status_code in (403, 404), name
        document_file = delivery.documents.get()
        assert client.get(reverse("documents:download", args=[document_file.uuid])).status_code in (
            403,
            404,
        )
    client.logout()
    assert client.get(_urls(contract, delivery, acceptance)[0][1]).status_code == 302
    assert acceptance.signatures.count() == 1


def test_each_party_may_do_only_its_own_step_and_the_bureau_only_reads(client, cast):
    contract = signed_contract(cast)
    deliver_url = reverse("contracts:deliver", args=[contract.pk])
    for name in ["purchaser", "bureau"]:
        client.force_login(getattr(cast, name))
        assert client.get(deliver_url).status_code == 403
        assert client.post(deliver_url, {"delivered_on": "2026-03-26"}).status_code == 403
    delivery = deliver(cast, contract)
    record_url = reverse("contracts:record_acceptance", args=[delivery.pk])
    for name in ["supplier", "bureau"]:
        client.force_login(getattr(cast, name))
        assert client.get(record_url).status_code == 403
        assert client.post(record_url, {"password": PASSWORD}).status_code == 403
    acceptance = accept(cast, delivery)
    page = reverse("contracts:acceptance", args=[acceptance.pk])
    pdf = reverse("contracts:acceptance_pdf", args=[acceptance.pk])
    for name in ["purchaser", "supplier", "bureau"]:
        client.force_login(getattr(cast, name))
        assert client.get(page).status_code == 200, name
        assert client.get(pdf)["Content-Type"] == "application/pdf", name
        detail = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
        assert page in detail, name
        downloaded = client.get(reverse("documents:download", args=[delivery.documents.get().uuid]))
        assert downloaded.status_code == 200, name
    client.force_login(cast.bureau)
    assert client.post(page, {"password": PASSWORD}).status_code == 403
    # The recorded acceptance's form sends the purchaser to the report.
    client.force_login(cast.purchaser)
    assert client.get(record_url).url == page


def test_the_supplier_declares_delivery_through_the_form_and_sees_every_error_first(client, cast):
    contract = signed_contract(cast)
    url = reverse("contracts:deliver", args=[contract.pk])
    client.force_login(cast.supplier)
    with time_machine.travel(DELIVERED_AT, tick=False):
        refused = client.post(url, {"delivered_on": "2026-03-29", "note": "第一批"})
        assert refused.status_code == 200
        body = refused.content.decode()
        assert zh("Attach the delivery documents.") in body
        refused = client.post(
            url, {"delivered_on": "2026-03-29", "note": "第一批", "documents": document()}
        )
        assert zh("The day of delivery cannot be in the future.") in refused.content.decode()
        assert zh("The file you chose was not kept: choose the file again.") in (
            refused.content.decode()
        )
        done = client.post(
            url, {"delivered_on": "2026-03-27", "note": "第一批", "documents": document()}
        )
        assert done.status_code == 302
    delivery = Delivery.objects.get()
    assert delivery.note == "第一批" and delivery.documents.count() == 1


def _acceptance_post(contract, *, result="passed", passed="yes", password=PASSWORD) -> dict:
    [item] = contract.items.all()
    return {
        "result": result,
        "reasons": "" if result == "passed" else "坏点",
        "overall": "良好",
        "password": password,
        "checks-TOTAL_FORMS": "3",
        "checks-INITIAL_FORMS": "2",
        "checks-0-item_id": str(item.pk),
        "checks-0-what": item.name,
        "checks-0-passed": passed,
        "checks-0-finding": "" if passed == "yes" else "坏点",
        # The stage's own checks, proposed by the page.
        "checks-1-what": contract.acceptance_plan.stages.get().checks,
        "checks-1-passed": "yes",
        "checks-2-what": "",
        "checks-2-passed": "",
        "people-TOTAL_FORMS": "3",
        "people-INITIAL_FORMS": "1",
        "people-0-kind": "purchaser",
        "people-0-name": "王验收",
        "people-0-organisation_name": "市教育局",
        "people-1-kind": "",
        "people-2-kind": "",
    }


def test_the_purchaser_records_through_the_form_with_every_rule_reported(client, cast):
    contract = signed_contract(cast)
    delivery = deliver(cast, contract)
    url = reverse("contracts:record_acceptance", args=[delivery.pk])
    client.force_login(cast.purchaser)
    page = client.get(url)
    assert page.status_code == 200
    initial = page.context["checks"].initial
    assert [row.get("item_id") for row in initial][:1] == [contract.items.get().pk]
    with time_machine.travel(RECORDED_AT, tick=False):
        wrong = client.post(url, _acceptance_post(contract, password="nope"))
        assert zh("The password is not right: sign again with your sign-in password.") in (
            wrong.content.decode()
        )
        mixed = client.post(url, _acceptance_post(contract, passed="no"))
        body = mixed.content.decode()
        assert zh("A passed acceptance has every check passed.") in body
        # What was typed is kept.
        assert "王验收" in body and "良好" in body
        done = client.post(url, _acceptance_post(contract))
    assert done.status_code == 302, done.content.decode()[-2000:]
    contract.refresh_from_db()
    assert contract.state == ContractState.ACCEPTED
    acceptance = contract.acceptances.get()
    assert done.url == reverse("contracts:acceptance", args=[acceptance.pk])
    assert [p.name for p in acceptance.participants.all()] == ["王验收"]
    # The supplier countersigns on the report's page.
    client.force_login(cast.supplier)
    client.post(done.url, {"password": PASSWORD})
    assert acceptance.signatures.count() == 2


def test_the_to_do_asks_each_step_and_each_item_goes_when_done(cast):
    with time_machine.travel(DELIVERED_AT - dt.timedelta(hours=1), tick=False):
        assert _kinds(cast.supplier) == []
    contract = signed_contract(cast)
    # Delivery within 30 days of signing on 2026-03-26: 24:00 of Saturday 2026-04-25, moved
    # past the weekend by the period rule (RULES.md §2) to 24:00 of Monday 2026-04-27.
    [(kind, due)] = _kinds(cast.supplier)
    assert kind == "contracts.to_deliver"
    assert due == dt.datetime(2026, 4, 27, 16, 0, tzinfo=dt.UTC)
    assert _kinds(cast.purchaser) == []
    delivery = deliver(cast, contract)
    assert _kinds(cast.supplier) == []
    assert _kinds(cast.purchaser) == [("contracts.to_accept", DUE)]
    assert _kinds(cast.supplier2) == [] and _kinds(cast.purchaser2) == []
    accept(cast, delivery, result=AcceptanceResult.FAILED, passed=False)
    assert _kinds(cast.purchaser) == []
    items = [i for i in todo_items(cast.supplier) if i.kind.startswith("contracts.")]
    assert {i.kind for i in items} == {"contracts.to_deliver", "contracts.to_sign_acceptance"}
    assert zh("Deliver again") in [str(i.title) for i in items]
    acceptance = contract.acceptances.get()
    from contracts.services.acceptance import sign_acceptance_report

    sign_acceptance_report(acceptance=acceptance, password=PASSWORD, acting_user=cast.supplier)
    assert [k for k, _due in _kinds(cast.supplier)] == ["contracts.to_deliver"]
    accept(
        cast,
        deliver(cast, contract, at=RECORDED_AT + dt.timedelta(hours=1)),
        at=RECORDED_AT + dt.timedelta(hours=2),
    )
    assert [k for k, _due in _kinds(cast.supplier)] == ["contracts.to_sign_acceptance"]
    assert _kinds(cast.purchaser) == []


def test_the_contract_page_section_runs_a_fixed_number_of_queries(
    client, cast, django_assert_num_queries
):
    contract = signed_contract(cast)
    client.force_login(cast.supplier)
    url = reverse("contracts:detail", args=[contract.pk])
    first = accept(cast, deliver(cast, contract), result=AcceptanceResult.FAILED, passed=False)
    assert first.pk
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        page = client.get(url)
    assert page.content.decode().count('data-testid="delivery-row"') == 1
    later = RECORDED_AT + dt.timedelta(hours=1)
    accept(
        cast,
        deliver(cast, contract, at=later),
        at=later + dt.timedelta(minutes=30),
        result=AcceptanceResult.FAILED,
        passed=False,
    )
    deliver(cast, contract, at=later + dt.timedelta(hours=1))
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(url)
    assert page.content.decode().count('data-testid="delivery-row"') == 3
