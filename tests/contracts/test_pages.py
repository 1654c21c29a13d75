"""Contract pages: only the two parties see a draft, the bureau sees all, every other role is
refused on every object URL; the pages drive the services; supplementary contracts within 10 %."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from accounts.todo import todo_items
from common.errors import RulesBroken
from contracts.models import Contract, ContractState, SupplementaryState
from contracts.services import SupplementaryValues, draft_supplementary, sign_supplementary
from tests.factories import PASSWORD

from .builders import NOTICE, drafted_contract, make_award
from .test_signing import sign_both

pytestmark = pytest.mark.django_db

OTHERS = ["purchaser2", "agency", "supplier2", "expert", "bank", "outsider"]


def object_urls(contract) -> list[tuple[str, str]]:
    return [
        ("get", reverse("contracts:detail", args=[contract.pk])),
        ("get", reverse("contracts:edit", args=[contract.pk])),
        ("get", reverse("contracts:pdf", args=[contract.pk])),
        ("get", reverse("contracts:supplementary_new", args=[contract.pk])),
        ("post", reverse("contracts:comment", args=[contract.pk])),
        ("post", reverse("contracts:accept", args=[contract.pk])),
        ("post", reverse("contracts:sign", args=[contract.pk])),
    ]


def test_every_other_role_is_refused_on_every_contract_url(client, cast):
    contract = drafted_contract(cast)
    for name in OTHERS:
        client.force_login(getattr(cast, name))
        for method, url in object_urls(contract):
            response = getattr(client, method)(url, {"password": PASSWORD, "text": "x"})
            assert response.status_code == 404, (name, url)
        assert client.get(reverse("contracts:draft", args=[contract.award_id])).status_code == 404
        assert contract.number not in client.get(reverse("contracts:list")).content.decode()
    client.logout()
    assert client.get(object_urls(contract)[0][1]).status_code == 302  # to the sign-in
    contract.refresh_from_db()
    assert contract.state == ContractState.DRAFTED and not contract.comments.exists()


def test_the_parties_and_the_bureau_see_the_draft_and_the_bureau_changes_nothing(client, cast):
    contract = drafted_contract(cast)
    detail = reverse("contracts:detail", args=[contract.pk])
    for name in ["purchaser", "supplier", "bureau"]:
        client.force_login(getattr(cast, name))
        page = client.get(detail)
        assert page.status_code == 200 and contract.title in page.content.decode()
    assert client.post(reverse("contracts:sign", args=[contract.pk]), {"password": PASSWORD})
    assert client.get(reverse("contracts:edit", args=[contract.pk])).status_code == 403
    assert not contract.signatures.exists()
    # The supplier may not edit the draft; the purchaser may.
    client.force_login(cast.supplier)
    assert client.get(reverse("contracts:edit", args=[contract.pk])).status_code == 403
    client.force_login(cast.purchaser)
    assert client.get(reverse("contracts:edit", args=[contract.pk])).status_code == 200


def test_the_to_do_asks_each_step_with_the_clock_due_and_the_pages_sign(client, cast):
    award = make_award(cast)
    due = dt.datetime(2026, 3, 27, 16, 0, tzinfo=dt.UTC)
    at = NOTICE + dt.timedelta(hours=1)
    with time_machine.travel(at, tick=False):
        [item] = [i for i in todo_items(cast.purchaser) if i.kind.startswith("contracts.")]
        assert (item.kind, item.due) == ("contracts.to_draft", due)
        client.force_login(cast.purchaser)
        page = client.get(item.url)
        assert page.status_code == 200
        form = page.context["form"].initial
        form.update(supplier_bank_name="中原银行", supplier_account_number="62220001")
        form = {k: v for k, v in form.items() if v not in (None, False)}
        response = client.post(item.url, form)
        assert response.status_code == 302, response.content.decode()[-3000:]
        assert response.url.startswith("/contracts/"), response.url
        contract = Contract.objects.get(award=award)
        [item] = [i for i in todo_items(cast.supplier) if i.kind.startswith("contracts.")]
        assert (item.kind, item.due) == ("contracts.to_review", due)
        client.force_login(cast.supplier)
        client.post(reverse("contracts:accept", args=[contract.pk]))
        client.post(reverse("contracts:sign", args=[contract.pk]), {"password": "wrong"})
        assert not contract.signatures.exists()
        client.post(reverse("contracts:sign", args=[contract.pk]), {"password": PASSWORD})
        [item] = [i for i in todo_items(cast.purchaser) if i.kind.startswith("contracts.")]
        assert (item.kind, item.due) == ("contracts.to_sign", due)
        client.force_login(cast.purchaser)
        client.post(reverse("contracts:sign", args=[contract.pk]), {"password": PASSWORD})
        # Signed: nothing left to sign; the advance is owed from now (its one-day clock).
        owed = [i.kind for i in todo_items(cast.purchaser) if i.kind.startswith("contracts.")]
        assert owed == ["contracts.to_pay"]
    contract.refresh_from_db()
    assert contract.state == ContractState.SIGNED
    client.force_login(cast.bureau)
    listing = client.get(reverse("contracts:list")).content.decode()
    assert contract.number in listing and "2026-03-26" in listing  # filed at signing


def test_supplementary_contracts_stay_within_ten_percent_and_are_signed_the_same_way(cast):
    contract = sign_both(cast, drafted_contract(cast))
    item = contract.items.get()
    with pytest.raises(RulesBroken) as refused:
        draft_supplementary(
            contract=contract,
            values=SupplementaryValues(reason="增加学校", quantities={item.pk: Decimal("0.11")}),
            acting_user=cast.purchaser,
        )
    [message] = refused.value.messages
    assert "10,000.00" in message and "11,000.00" in message and "第四十九条" in message
    first = draft_supplementary(
        contract=contract,
        values=SupplementaryValues(reason="增加学校", quantities={item.pk: Decimal("0.06")}),
        acting_user=cast.purchaser,
    )
    assert first.amount == Decimal("6000.00")
    with pytest.raises(RulesBroken):  # 6,000 + 5,000 > 10,000
        draft_supplementary(
            contract=contract,
            values=SupplementaryValues(reason="再增加", quantities={item.pk: Decimal("0.05")}),
            acting_user=cast.purchaser,
        )
    sign_supplementary(supplementary=first, password=PASSWORD, acting_user=cast.purchaser)
    signed = sign_supplementary(supplementary=first, password=PASSWORD, acting_user=cast.supplier)
    assert signed.state == SupplementaryState.SIGNED
    from contracts import pades

    found = pades.verify(signed.pdf.file.open("rb").read())
    assert [(v.valid, v.intact) for v in found] == [(True, True), (True, True)]


def test_every_other_role_is_refused_on_a_supplementary_contract_and_the_bureau_only_reads(
    client, cast
):
    contract = sign_both(cast, drafted_contract(cast))
    item = contract.items.get()
    supplementary = draft_supplementary(
        contract=contract,
        values=SupplementaryValues(reason="增加学校", quantities={item.pk: Decimal("0.05")}),
        acting_user=cast.purchaser,
    )
    sign_supplementary(supplementary=supplementary, password=PASSWORD, acting_user=cast.purchaser)
    page = reverse("contracts:supplementary", args=[supplementary.pk])
    pdf = reverse("contracts:supplementary_pdf", args=[supplementary.pk])
    for name in OTHERS:
        client.force_login(getattr(cast, name))
        assert client.get(page).status_code == 404, name
        assert client.get(pdf).status_code == 404, name
        assert client.post(page, {"password": PASSWORD}).status_code == 404, name
    client.force_login(cast.bureau)
    assert client.get(page).status_code == 200 and client.get(pdf).status_code == 200
    assert client.post(page, {"password": PASSWORD}).status_code == 403
    for party in (cast.purchaser, cast.supplier):
        client.force_login(party)
        assert client.get(page).status_code == 200
    supplementary.refresh_from_db()
    assert supplementary.state != SupplementaryState.SIGNED  # nobody else signed for the supplier


def test_the_contract_page_names_its_signers_and_its_title_is_only_the_contract(client, cast):
    """Found by the whole-cycle journey: the page's <title> carried the payment section's
    markup, and each signature showed the signer's username for its name."""
    import re

    contract = sign_both(cast, drafted_contract(cast))
    client.force_login(cast.supplier)
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert contract.title in title and "<" not in title and "付款" not in title
    signatures = re.search(r'data-testid="signatures">(.*?)</ul>', page, re.S).group(1)
    assert "采购人小王" in signatures and "供应商老张" in signatures
    assert " purchaser " not in signatures and " supplier " not in signatures
