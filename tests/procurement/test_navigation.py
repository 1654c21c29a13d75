"""Every stage one click away and a lot's state read the same everywhere (issue 10 §3–§4)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from accounts.selectors import organisation_of
from bidding.services import decrypt_bid
from procurement.services import cancel_procurement
from tests.bidding.helpers import PASSPHRASE, announced_lot, bid, third_supplier
from timers.services import sweep

pytestmark = pytest.mark.django_db

DEADLINE = dt.datetime(2026, 3, 24, 1, 30, tzinfo=dt.UTC)
AFTER = DEADLINE + dt.timedelta(minutes=5)


def lot_with_bids(cast, n: int, **plan_fields):
    with time_machine.travel(DEADLINE - dt.timedelta(days=20), tick=False):
        lot = announced_lot(cast, deadline=DEADLINE, **plan_fields)
    users = [cast.supplier, cast.supplier2, third_supplier()][:n]
    with time_machine.travel(DEADLINE - dt.timedelta(days=1), tick=False):
        bids = [bid(lot, user) for user in users]
    with time_machine.travel(DEADLINE, tick=False):
        sweep()
    return lot, users, bids


def labels(html: str) -> list[str]:
    return re.findall(
        r'data-testid="(?:lot-state|list-lot-state|home-lot-state)"[^>]*>([^<]+)<', html
    )


def states_seen(client, cast, lot, *, bidder) -> set[str]:
    """The lot's label on every page that shows it, to each audience."""
    seen: set[str] = set()
    project = reverse("procurement:project_detail", args=[lot.project_id])
    for user in (cast.purchaser, cast.bureau):
        client.force_login(user)
        seen.update(labels(client.get(project).content.decode()))
        seen.update(labels(client.get(reverse("procurement:lots")).content.decode()))
        page = client.get(reverse("procurement:projects")).content.decode()
        seen.update(s.split(". ", 1)[1] for s in labels(page))
    client.logout()
    seen.update(
        labels(client.get(reverse("procurement:tender_lot", args=[lot.pk])).content.decode())
    )
    client.force_login(bidder)
    seen.update(labels(client.get(reverse("accounts:home")).content.decode()))
    mine = client.get(reverse("bidding:mine")).content.decode()
    assert any(label in mine for label in seen)
    return {s.strip() for s in seen}


def test_a_failed_lot_reads_the_same_on_every_page(client, cast):
    lot, users, _bids = lot_with_bids(cast, 1)
    with time_machine.travel(AFTER, tick=False):
        assert states_seen(client, cast, lot, bidder=users[0]) == {"流标"}


def test_an_opening_reads_the_same_on_every_page_and_then_opened(client, cast):
    lot, users, bids = lot_with_bids(cast, 3)
    with time_machine.travel(AFTER, tick=False):
        assert states_seen(client, cast, lot, bidder=users[0]) == {"开标中"}
        for b, user in zip(bids, users, strict=True):
            decrypt_bid(bid=b, passphrase=PASSPHRASE, acting_user=user)
        assert states_seen(client, cast, lot, bidder=users[0]) == {"已开标"}


def test_a_terminated_lot_reads_the_same_on_every_page(client, cast):
    with time_machine.travel(DEADLINE - dt.timedelta(days=20), tick=False):
        lot = announced_lot(cast, deadline=DEADLINE)
        mine = bid(lot, cast.supplier)
        cancel_procurement(project=lot.project, reason="采购任务取消。", acting_user=cast.purchaser)
        assert states_seen(client, cast, lot, bidder=cast.supplier) == {"已终止"}
    assert mine.pk


def test_the_project_page_reaches_the_opening_record_and_collusion_leads(client, cast):
    lot, users, bids = lot_with_bids(cast, 3)
    project = reverse("procurement:project_detail", args=[lot.project_id])
    opening = reverse("bidding:opening", args=[lot.pk])
    with time_machine.travel(AFTER, tick=False):
        client.force_login(cast.purchaser)
        page = client.get(project).content.decode()
        assert f'href="{opening}" data-testid="lot-link-opening"' in page
        for b, user in zip(bids, users, strict=True):
            decrypt_bid(bid=b, passphrase=PASSPHRASE, acting_user=user)
        for user in (cast.purchaser, cast.bureau):
            client.force_login(user)
            page = client.get(project).content.decode()
            assert f'href="{opening}" data-testid="lot-link-record"' in page
            assert f'href="{opening}#flags" data-testid="lot-link-collusion"' in page
            record = reverse("bidding:record_pdf", args=[lot.pk])
            assert f'href="{record}" data-testid="lot-link-pdf"' in page
            assert client.get(opening).status_code == 200
        # The purchaser of another project sees neither the project nor its links.
        client.force_login(cast.purchaser2)
        assert client.get(project).status_code == 404


def test_the_bureau_lists_lots_by_state_in_a_fixed_number_of_queries(
    client, cast, django_assert_max_num_queries
):
    lot, _users, _bids = lot_with_bids(cast, 1)
    with time_machine.travel(DEADLINE - dt.timedelta(days=20), tick=False):
        open_lot = announced_lot(cast, deadline=DEADLINE + dt.timedelta(days=10))
    client.force_login(cast.bureau)
    url = reverse("procurement:lots")
    # One query per later app's lot links (experts, evaluation, contracts) on top of the list's
    # own, whatever the number of lots.
    queries = 15
    with time_machine.travel(AFTER, tick=False):
        with django_assert_max_num_queries(queries):
            page = client.get(url).content.decode()
        assert page.count('data-testid="lot-row"') == 2
        failed = client.get(url, {"state": "failed"}).content.decode()
        assert failed.count('data-testid="lot-row"') == 1 and "流标" in failed
        assert reverse("procurement:tender_lot", args=[open_lot.pk]) not in failed
        for _ in range(6):
            with time_machine.travel(DEADLINE - dt.timedelta(days=20), tick=False):
                announced_lot(cast, deadline=DEADLINE + dt.timedelta(days=10))
        with django_assert_max_num_queries(queries):
            page = client.get(url).content.decode()
        assert page.count('data-testid="lot-row"') == 8
    assert lot.pk
    # Suppliers and the public have no such list.
    client.force_login(cast.supplier)
    assert client.get(url).status_code == 403


def test_a_purchaser_lists_only_its_own_lots(client, cast):
    from bench.builders import announced_project

    with time_machine.travel(DEADLINE - dt.timedelta(days=20), tick=False):
        mine = announced_lot(cast, deadline=DEADLINE)
        theirs = announced_project(
            purchaser=cast.purchaser2, bureau=cast.bureau, deadline=DEADLINE
        ).lots.first()
    client.force_login(cast.purchaser)
    page = client.get(reverse("procurement:lots")).content.decode()
    assert reverse("procurement:tender_lot", args=[mine.pk]) in page
    assert reverse("procurement:tender_lot", args=[theirs.pk]) not in page


def test_the_agency_home_lists_its_projects_by_step(client, cast):
    agency = organisation_of(cast.agency)
    with time_machine.travel(DEADLINE - dt.timedelta(days=20), tick=False):
        announced_lot(cast, deadline=DEADLINE + dt.timedelta(days=10), agency=agency)
    lot_with_bids(cast, 1, agency=agency)  # fails at DEADLINE for too few bids
    client.force_login(cast.agency)
    with time_machine.travel(AFTER, tick=False):
        home = client.get(reverse("accounts:home")).content.decode()
    steps = [
        s.split("<")[0].strip() for s in re.findall(r'data-testid="home-step">(.+?)</li>', home)
    ]
    assert steps == ["投标中", "流标"]
